package org.netgeom.numeric.engine;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.numeric.Forward64;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.loss.Loss;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled engine against the plain reference forward pass and against central differences. */
class EngineTest {
    @Test
    void everyIrOpIsCompiledAndAgreesWithForward64() {
        Set<Class<?>> seen = new HashSet<>();
        for (Model m : new Model[]{TestNets.allVectorOps(1), TestNets.cnn(2), TestNets.newOps(3)}) {
            m.walk(s -> seen.add(s.layer().getClass()));
            Net net = Net.of(m);
            int n = 3;
            double[] x = TestNets.data(3, n, net.inputSize());
            double[] y = net.forward(x, n, false);
            for (int r = 0; r < n; r++) {
                double[] want = Forward64.eval(m, Arrays.copyOfRange(x, r * net.inputSize(), (r + 1) * net.inputSize()));
                double[] got = Arrays.copyOfRange(y, r * net.outputSize(), (r + 1) * net.outputSize());
                TestNets.assertClose(got, want, 1e-13, m.name() + " row " + r);
            }
        }
        assertEquals(Set.of(Layer.class.getPermittedSubclasses()), seen, "the test models use every op of the IR");
    }

    /** A central difference of the gradient along v, which R-op HVPs must match on smooth nets. */
    @Test
    void hvpMatchesCentralDifferencesOfTheGradient() {
        Net net = Net.of(TestNets.mlp(4, TestNets.smooth(Layer.Smooth.Fn.GELU), 3, 7, 7, 2));
        int n = 5;
        double[] x = TestNets.data(5, n, 3);
        double[] y = TestNets.classes(6, n, 2);
        double[] v = TestNets.data(7, net.paramCount(), 1);
        double[] hv = new double[net.paramCount()];
        net.lossHvp(x, y, n, Loss.CROSS_ENTROPY, 1.0 / n, v, hv, null);
        double eps = 1e-5;
        double[] p0 = net.params().clone();
        double[] gp = grad(net, p0, v, eps, x, y, n);
        double[] gm = grad(net, p0, v, -eps, x, y, n);
        double[] fd = new double[hv.length];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (gp[i] - gm[i]) / (2 * eps);
        }
        net.setParams(p0);
        TestNets.assertClose(hv, fd, 1e-6, "HVP against central differences");
    }

    private static double[] grad(Net net, double[] p0, double[] v, double eps, double[] x, double[] y, int n) {
        double[] p = p0.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += eps * v[i];
        }
        net.setParams(p);
        double[] g = new double[p.length];
        net.lossGradient(x, y, n, Loss.CROSS_ENTROPY, 1.0 / n, false, g);
        return g;
    }

    @Test
    void toModelWritesTheCurrentParametersBack() {
        Model m = TestNets.allVectorOps(9);
        Net net = Net.of(m);
        double[] p = net.params().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.25;
        }
        net.setParams(p);
        Net again = Net.of(net.toModel());
        assertTrue(Arrays.equals(p, again.params()));
        assertTrue(Arrays.equals(net.buffers(), again.buffers()));
    }
}
