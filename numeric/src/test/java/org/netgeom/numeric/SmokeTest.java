package org.netgeom.numeric;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.torch.TorchEngine;

class SmokeTest {
    @Test
    void smoke() {
        Model m = TestNets.allVectorOps(1);
        Net net = Net.of(m);
        int n = 6;
        double[] x = TestNets.data(2, n, 3);
        double[] y = TestNets.data(3, n, 3);
        double[] out = net.forward(x, n, false);
        double[] f64 = Forward64.eval(m, java.util.Arrays.copyOfRange(x, 0, 3));
        System.out.println(java.util.Arrays.toString(java.util.Arrays.copyOf(out, 3)) + " vs " + java.util.Arrays.toString(f64));
        TorchEngine t = new TorchEngine(TorchEngine.Options.CPU64);
        double[] tout = t.forward(net, x, n, false);
        System.out.println("forward " + TestNets.maxRelErr(out, tout));
        double[] g = new double[net.paramCount()];
        double s = net.lossGradient(x, y, n, Loss.MSE, 1.0 / (n * 3), false, g);
        TorchEngine.Gradient tg = t.gradient(net, x, y, n, Loss.MSE, false);
        System.out.println("loss " + s / (n * 3) + " vs " + tg.loss() + " grad " + TestNets.maxRelErr(g, tg.grad()));
        double[] gt = new double[net.paramCount()];
        net.lossGradient(x, y, n, Loss.MSE, 1.0 / (n * 3), true, gt);
        TorchEngine.Gradient tgt = t.gradient(net, x, y, n, Loss.MSE, true);
        System.out.println("train-bn grad " + TestNets.maxRelErr(gt, tgt.grad()));
        double[] v = TestNets.data(9, net.paramCount(), 1);
        double[] hv = new double[net.paramCount()];
        net.lossHvp(x, y, n, Loss.MSE, 1.0 / (n * 3), v, hv, null);
        double[] thv = t.hvp(net, x, y, n, Loss.MSE, v);
        System.out.println("hvp " + TestNets.maxRelErr(hv, thv));
        System.out.println("jac in " + TestNets.maxRelErr(net.jacobianInput(x, n), t.jacobian(net, x, n, false)));
        System.out.println("jac p " + TestNets.maxRelErr(net.jacobianParams(x, n), t.jacobian(net, x, n, true)));
        Model c = TestNets.cnn(4);
        Net cn = Net.of(c);
        double[] cx = TestNets.data(5, 4, 128);
        double[] cy = TestNets.classes(6, 4, 3);
        System.out.println("cnn fwd " + TestNets.maxRelErr(cn.forward(cx, 4, false), t.forward(cn, cx, 4, false)));
        double[] cg = new double[cn.paramCount()];
        cn.lossGradient(cx, cy, 4, Loss.CROSS_ENTROPY, 1.0 / 4, true, cg);
        System.out.println("cnn grad " + TestNets.maxRelErr(cg, t.gradient(cn, cx, cy, 4, Loss.CROSS_ENTROPY, true).grad()));
        double[] cv = TestNets.data(9, cn.paramCount(), 1);
        double[] chv = new double[cn.paramCount()];
        cn.lossHvp(cx, cy, 4, Loss.CROSS_ENTROPY, 1.0 / 4, cv, chv, null);
        System.out.println("cnn hvp " + TestNets.maxRelErr(chv, t.hvp(cn, cx, cy, 4, Loss.CROSS_ENTROPY, cv)));
        double[] cp = TestNets.probabilities(6, 4, 3);
        cn.lossHvp(cx, cp, 4, Loss.CROSS_ENTROPY, 1.0 / 4, cv, chv = new double[cn.paramCount()], null);
        System.out.println("cnn hvp prob " + TestNets.maxRelErr(chv, t.hvp(cn, cx, cp, 4, Loss.CROSS_ENTROPY, cv)));
        System.out.println("cnn jac p " + TestNets.maxRelErr(cn.jacobianParams(cx, 4), t.jacobian(cn, cx, 4, true)));
        System.out.println("cnn jac x " + TestNets.maxRelErr(cn.jacobianInput(cx, 4), t.jacobian(cn, cx, 4, false)));
    }
}
