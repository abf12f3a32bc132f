package org.netgeom.numeric.torch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;
import org.netgeom.numeric.train.Trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java engine's {@code --dtype float32} (float32 storage and float32 matrix products) against
 * PyTorch in float32 (the reference: torch's autograd, sgemm of the BLAS it links, torch.optim,
 * through the bridge): every element within 1e-5 relative, an element measured against
 * |torch| + 1e-2·max|torch| of its tensor. The floor is the tensor's scale rather than
 * {@link TorchParityTest}'s 1e-4 of it because a float32 sum of k terms is only known to within
 * k·2⁻²⁴·Σ|terms| (Higham, Accuracy and Stability of Numerical Algorithms, §3.1): an output that
 * cancels to 3e-5 among terms of size 0.1 carries float32 errors of 1e-8 in either engine, 3e-4 of
 * itself. Also checks that the comparison is a float32 one: the values differ from float64 ones
 * by far more than float64 rounding.
 */
class Float32ParityTest {
    static final double TOL = 1e-5;
    static TorchEngine torch32;
    static TorchEngine torch64;

    @BeforeAll
    static void bridge() {
        torch32 = new TorchEngine(new TorchEngine.Options("cpu", Precision.F32, 0, 1));
        torch64 = new TorchEngine(TorchEngine.Options.CPU64);
    }

    static void assertClose32(double[] got, double[] want, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - want[i]) / (Math.abs(want[i]) + 1e-2 * scale + Double.MIN_NORMAL);
            if (e > worst) {
                worst = e;
                at = i;
            }
        }
        assertTrue(worst <= tol, what + ": worst relative error " + worst + " > " + tol + " at index " + at + " (" + got[at] + " vs "
                + want[at] + ")");
    }

    @Test
    void mlpForwardAndGradient() {
        Model m = TestNets.mlp(21, TestNets.relu(), 300, 200, 130, 10);
        Net net = Net.of(m, Precision.F32);
        int n = 37;
        double[] x = TestNets.data(22, n, 300);
        double[] y = TestNets.classes(23, n, 10);
        double[] f = net.forward(x, n, false);
        assertClose32(f, torch32.forward(net, x, n, false), TOL, "float32 forward");
        double gap = TestNets.maxRelErr(f, Net.of(m).forward(x, n, false));
        assertTrue(gap > 1e-9, "float32 values differ from float64 ones (" + gap + ")");
        double[] g = new double[net.paramCount()];
        double sum = net.lossGradient(x, y, n, Loss.CROSS_ENTROPY, 1.0 / n, true, g);
        TorchEngine.Gradient tg = torch32.gradient(net, x, y, n, Loss.CROSS_ENTROPY, true);
        assertEquals(tg.loss(), sum / n, TOL * tg.loss(), "float32 loss");
        assertClose32(g, tg.grad(), TOL, "float32 gradient");
        for (double v : g) {
            assertEquals((double) (float) v, v, 0.0, "the gradient is stored as floats");
        }
    }

    @Test
    void cnnForwardAndGradient() {
        Net net = Net.of(TestNets.cnn(4), Precision.F32);
        int n = 5;
        double[] x = TestNets.data(5, n, 128);
        double[] idx = TestNets.classes(6, n, 3);
        assertClose32(net.forward(x, n, false), torch32.forward(net, x, n, false), TOL, "float32 cnn forward");
        double[] g = new double[net.paramCount()];
        net.lossGradient(x, idx, n, Loss.CROSS_ENTROPY, 1.0 / n, true, g);
        assertClose32(g, torch32.gradient(net, x, idx, n, Loss.CROSS_ENTROPY, true).grad(), TOL, "float32 cnn gradient");
    }

    @Test
    void fortyStepsOfFullBatchSgdInFloat32() {
        Model m = TestNets.mlp(31, TestNets.relu(), 64, 96, 96, 4);
        int n = 48;
        double[] x = TestNets.data(32, n, 64);
        double[] y = TestNets.classes(33, n, 4);
        TrainConfig c = new TrainConfig(Loss.CROSS_ENTROPY, Optimizer.Config.of("sgd", 0.05, null, null, false, null, null, null, null, false),
                40, 0, false, 0, true, Precision.F32, null, 1, false);
        Net java = Net.of(m, Precision.F32);
        Trainer.Result r = Trainer.run(java, x, y, n, c, Progress.NONE, null);
        TorchEngine.Trained t = torch32.train(Net.of(m, Precision.F32), x, y, n, c);
        assertEquals(r.metrics().length, t.metrics().length, "steps");
        assertClose32(r.metrics(), t.metrics(), TOL, "float32 (step, epoch, loss) per step");
        assertClose32(java.params(), Net.of(t.model()).params(), TOL, "float32 parameters after 40 steps");
        for (double v : java.params()) {
            assertEquals((double) (float) v, v, 0.0, "parameters are floats");
        }
    }
}
