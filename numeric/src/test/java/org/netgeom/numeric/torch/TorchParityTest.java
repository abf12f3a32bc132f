package org.netgeom.numeric.torch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.curvature.Hutchinson;
import org.netgeom.numeric.curvature.Lanczos;
import org.netgeom.numeric.curvature.LossHessian;
import org.netgeom.numeric.curvature.Slq;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;
import org.netgeom.numeric.train.Trainer;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java engine against PyTorch (the reference: torch's autograd and torch.optim, run through
 * the bridge in float64) on forward values, gradients, Jacobians, the empirical NTK,
 * Hessian-vector products and training trajectories: every element within 1e-10 relative (an
 * element is measured against |torch| + 1e-4·max|torch| of its tensor, so that entries that
 * cancel to ~0 are judged at the tensor's scale). These tests need python3 with torch (CI
 * installs python3-torch); without it they fail with TORCH_UNAVAILABLE, they are never skipped.
 */
class TorchParityTest {
    static final double TOL = 1e-10;
    static TorchEngine torch;

    @BeforeAll
    static void bridge() {
        torch = new TorchEngine(TorchEngine.Options.CPU64);
    }

    // ------------------------------------------------------------------ values and derivatives

    /** hardtanh (nn.Hardtanh) inside an MLP: values, parameter gradients, Jacobians and HVPs against torch. */
    @Test
    void hardtanhForwardGradientsJacobiansHvp() {
        org.netgeom.ir.Layer h = new org.netgeom.ir.Layer.HardTanh(null, org.netgeom.ir.Rational.of(-1, 8),
                org.netgeom.ir.Rational.of(1, 4));
        Net net = Net.of(TestNets.mlp(21, h, 3, 6, 5, 2));
        int n = 9;
        double[] x = TestNets.data(22, n, 3);
        double[] y = TestNets.data(23, n, 2);
        double[] f = net.forward(x, n, false);
        TestNets.assertClose(f, torch.forward(net, x, n, false), TOL, "forward");
        double[] g = new double[net.paramCount()];
        double sum = net.lossGradient(x, y, n, Loss.MSE, 1.0 / (n * 2), false, g);
        TorchEngine.Gradient tg = torch.gradient(net, x, y, n, Loss.MSE, false);
        assertEquals(tg.loss(), sum / (n * 2), TOL * tg.loss(), "loss");
        TestNets.assertClose(g, tg.grad(), TOL, "gradient");
        TestNets.assertClose(net.jacobianInput(x, n), torch.jacobian(net, x, n, false), TOL, "Jacobian w.r.t. the input");
        TestNets.assertClose(net.jacobianParams(x, n), torch.jacobian(net, x, n, true), TOL, "Jacobian w.r.t. the parameters");
        double[] v = TestNets.data(24, net.paramCount(), 1);
        double[] hv = new double[net.paramCount()];
        net.lossHvp(x, y, n, Loss.MSE, 1.0 / (n * 2), v, hv, null);
        TestNets.assertClose(hv, torch.hvp(net, x, y, n, Loss.MSE, v), TOL, "Hessian-vector product");
        // the data must reach both saturated sides and the linear part, or the test proves little
        java.util.Set<Integer> sides = new java.util.HashSet<>();
        Net first = Net.of(new Model("pre", org.netgeom.ir.Shape.of(3), java.util.List.of(TestNets.mlp(21, h, 3, 6, 5, 2).layers().get(0))));
        for (double z : first.forward(x, n, false)) {
            sides.add(z <= -0.125 ? -1 : z >= 0.25 ? 1 : 0);
        }
        assertEquals(3, sides.size(), "pre-activations on both kinks' sides and inside");
    }

    /** maxout (netgeom_torch.Maxout, x.view(-1, n, k).max(-1).values) in an MLP: values, gradients, Jacobians, HVPs. */
    @Test
    void maxoutForwardGradientsJacobiansHvp() {
        Net net = Net.of(TestNets.maxoutMlp(31));
        int n = 9;
        double[] x = TestNets.data(34, n, 3);
        double[] y = TestNets.data(35, n, 2);
        TestNets.assertClose(net.forward(x, n, false), torch.forward(net, x, n, false), TOL, "forward");
        double[] g = new double[net.paramCount()];
        double sum = net.lossGradient(x, y, n, Loss.MSE, 1.0 / (n * 2), false, g);
        TorchEngine.Gradient tg = torch.gradient(net, x, y, n, Loss.MSE, false);
        assertEquals(tg.loss(), sum / (n * 2), TOL * tg.loss(), "loss");
        TestNets.assertClose(g, tg.grad(), TOL, "gradient");
        TestNets.assertClose(net.jacobianInput(x, n), torch.jacobian(net, x, n, false), TOL, "Jacobian w.r.t. the input");
        TestNets.assertClose(net.jacobianParams(x, n), torch.jacobian(net, x, n, true), TOL, "Jacobian w.r.t. the parameters");
        double[] v = TestNets.data(36, net.paramCount(), 1);
        double[] hv = new double[net.paramCount()];
        net.lossHvp(x, y, n, Loss.MSE, 1.0 / (n * 2), v, hv, null);
        TestNets.assertClose(hv, torch.hvp(net, x, y, n, Loss.MSE, v), TOL, "Hessian-vector product");
    }

    @Test
    void vectorOpsForwardGradientsJacobiansNtkHvp() {
        Net net = Net.of(TestNets.allVectorOps(1));
        int n = 7;
        double[] x = TestNets.data(2, n, 3);
        double[] y = TestNets.data(3, n, 3);
        TestNets.assertClose(net.forward(x, n, false), torch.forward(net, x, n, false), TOL, "forward (inference batchnorm)");
        TestNets.assertClose(net.forward(x, n, true), torch.forward(net, x, n, true), TOL, "forward (training batchnorm)");
        for (boolean train : new boolean[]{false, true}) {
            double[] g = new double[net.paramCount()];
            double sum = net.lossGradient(x, y, n, Loss.MSE, 1.0 / (n * 3), train, g);
            TorchEngine.Gradient tg = torch.gradient(net, x, y, n, Loss.MSE, train);
            assertEquals(tg.loss(), sum / (n * 3), TOL * tg.loss(), "loss");
            TestNets.assertClose(g, tg.grad(), TOL, "gradient, batchnorm " + (train ? "train" : "eval"));
        }
        TestNets.assertClose(net.jacobianInput(x, n), torch.jacobian(net, x, n, false), TOL, "Jacobian w.r.t. the input");
        double[] jp = net.jacobianParams(x, n);
        TestNets.assertClose(jp, torch.jacobian(net, x, n, true), TOL, "Jacobian w.r.t. the parameters");
        TestNets.assertClose(net.ntk(x, n), torch.ntk(net, x, n), TOL, "empirical NTK");
        double[] v = TestNets.data(9, net.paramCount(), 1);
        double[] hv = new double[net.paramCount()];
        net.lossHvp(x, y, n, Loss.MSE, 1.0 / (n * 3), v, hv, null);
        TestNets.assertClose(hv, torch.hvp(net, x, y, n, Loss.MSE, v), TOL, "Hessian-vector product");
    }

    @Test
    void convBatchnormResidualPoolsWithCrossEntropy() {
        Net net = Net.of(TestNets.cnn(4));
        int n = 5;
        double[] x = TestNets.data(5, n, 128);
        double[] idx = TestNets.classes(6, n, 3);
        double[] prob = TestNets.probabilities(7, n, 3);
        TestNets.assertClose(net.forward(x, n, false), torch.forward(net, x, n, false), TOL, "cnn forward");
        double[] g = new double[net.paramCount()];
        net.lossGradient(x, idx, n, Loss.CROSS_ENTROPY, 1.0 / n, true, g);
        TestNets.assertClose(g, torch.gradient(net, x, idx, n, Loss.CROSS_ENTROPY, true).grad(), TOL, "cnn gradient (train BN, class indices)");
        double[] v = TestNets.data(8, net.paramCount(), 1);
        for (double[] y : new double[][]{idx, prob}) {
            double[] hv = new double[net.paramCount()];
            net.lossHvp(x, y, n, Loss.CROSS_ENTROPY, 1.0 / n, v, hv, null);
            TestNets.assertClose(hv, torch.hvp(net, x, y, n, Loss.CROSS_ENTROPY, v), TOL,
                    "cnn HVP, cross-entropy with " + (y == idx ? "class indices" : "probabilities"));
        }
        TestNets.assertClose(net.jacobianParams(x, n), torch.jacobian(net, x, n, true), TOL, "cnn Jacobian w.r.t. the parameters");
        TestNets.assertClose(net.jacobianInput(x, n), torch.jacobian(net, x, n, false), TOL, "cnn Jacobian w.r.t. the input");
    }

    // ------------------------------------------------------------------ trajectories

    static Optimizer.Config sgd(double lr, Double momentum, boolean nesterov, Double wd) {
        return Optimizer.Config.of("sgd", lr, momentum, null, nesterov, wd, null, null, null, false);
    }

    /** Trains a copy of the model on both engines and compares the metrics and the final parameters. */
    static void trajectory(Model m, double[] x, double[] y, int n, TrainConfig c, String what) {
        Net java = Net.of(m);
        Trainer.Result r = Trainer.run(java, x, y, n, c, Progress.NONE, null);
        TorchEngine.Trained t = torch.train(Net.of(m), x, y, n, c);
        assertEquals(r.metrics().length, t.metrics().length, what + ": steps");
        TestNets.assertClose(r.metrics(), t.metrics(), TOL, what + ": (step, epoch, loss) per step");
        Net back = Net.of(t.model());
        TestNets.assertClose(java.params(), back.params(), TOL, what + ": parameters after " + c.steps() + " steps");
        TestNets.assertClose(java.buffers(), back.buffers(), TOL, what + ": running statistics");
    }

    @Test
    void hundredStepsOfFullBatchSgd() {
        Model m = TestNets.allVectorOps(11);
        int n = 16;
        trajectory(m, TestNets.data(12, n, 3), TestNets.data(13, n, 3), n,
                new TrainConfig(Loss.MSE, sgd(0.05, null, false, null), 100, 0, true, 0, true, Precision.F64, null, 1, false),
                "100 full-batch SGD steps");
    }

    @Test
    void momentumNesterovWeightDecayOnShuffledMiniBatches() {
        Model m = TestNets.mlp(21, TestNets.smooth(org.netgeom.ir.Layer.Smooth.Fn.TANH), 4, 12, 12, 3);
        int n = 12;
        trajectory(m, TestNets.data(22, n, 4), TestNets.classes(23, n, 3), n,
                new TrainConfig(Loss.CROSS_ENTROPY, sgd(0.1, 0.9, true, 1e-3), 40, 5, true, 7, true, Precision.F64, null, 1, false),
                "SGD nesterov momentum + weight decay, batches of 5 of 12, shuffled");
    }

    @Test
    void adamOnTheCnnWithTrainingBatchnorm() {
        Model m = TestNets.cnn(31);
        int n = 6;
        trajectory(m, TestNets.data(32, n, 128), TestNets.probabilities(33, n, 3), n,
                new TrainConfig(Loss.CROSS_ENTROPY, Optimizer.Config.of("adam", 0.01, null, null, false, null, null, null, null, false),
                        25, 0, true, 0, true, Precision.F64, null, 1, false), "Adam, cnn, probabilities");
    }

    @Test
    void adamwWithAmsgradAndWeightDecay() {
        Model m = TestNets.allVectorOps(41, false);
        int n = 9;
        trajectory(m, TestNets.data(42, n, 3), TestNets.data(43, n, 3), n,
                new TrainConfig(Loss.MSE, Optimizer.Config.of("adamw", 0.02, null, null, false, 0.05, 0.8, 0.99, 1e-6, true),
                        30, 3, false, 0, true, Precision.F64, null, 1, false), "AdamW amsgrad, batches of 3 in file order");
    }

    @Test
    void ddpOnTwoProcessesMatchesOneJavaRun() {
        Model m = TestNets.allVectorOps(51);
        int n = 10;
        double[] x = TestNets.data(52, n, 3);
        double[] y = TestNets.data(53, n, 3);
        TrainConfig c = new TrainConfig(Loss.MSE, sgd(0.05, 0.5, false, null), 8, 0, true, 0, false, Precision.F64, null, 1, false);
        Net java = Net.of(m);
        Trainer.Result r = Trainer.run(java, x, y, n, c, Progress.NONE, null);
        TorchEngine ddp = new TorchEngine(new TorchEngine.Options("cpu", Precision.F64, 1, 2));
        TorchEngine.Trained t = ddp.train(Net.of(m), x, y, n, c);
        TestNets.assertClose(r.metrics(), t.metrics(), TOL, "DDP (2 processes, gloo) losses");
        TestNets.assertClose(java.params(), Net.of(t.model()).params(), TOL, "DDP (2 processes, gloo) parameters");
    }

    // ------------------------------------------------------------------ curvature

    @Test
    void hessianSpectrumMatchesTheBridgesPyHessianPort() {
        Net net = Net.of(TestNets.mlp(61, TestNets.smooth(org.netgeom.ir.Layer.Smooth.Fn.TANH), 3, 6, 2));
        int n = 8;
        double[] x = TestNets.data(62, n, 3);
        double[] y = TestNets.data(63, n, 2);
        LossHessian h = new LossHessian(net, x, y, n, Loss.MSE);
        Lanczos.Result lz = Lanczos.topK(h, 3, 300, 1e-10, 5, Progress.NONE);
        Hutchinson.Result tr = Hutchinson.trace(h, 30, 1e-3, 5, Progress.NONE);
        Slq.Result sl = Slq.density(h, 12, 2, 50, 1e-5, 0.01, 5, Progress.NONE);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", 5);
        s.put("top_k", 3);
        s.put("tol", 1e-10);
        s.put("trace", true);
        s.put("trace_samples", 30);
        s.put("density", true);
        s.put("density_iter", 12);
        s.put("density_runs", 2);
        JsonNode r = torch.hessian(net, x, y, n, Loss.MSE, s);
        for (int i = 0; i < 3; i++) {
            assertEquals(r.get("topEigenvalues").get(i).asDouble(), lz.values()[i], 1e-9 * Math.abs(lz.values()[0]), "λ" + (i + 1));
        }
        assertEquals(r.get("traceSamples").asInt(), tr.samples(), "the same Rademacher vectors stop at the same sample");
        assertEquals(r.get("trace").asDouble(), tr.trace(), 1e-10 * Math.abs(tr.trace()), "trace");
        for (int run = 0; run < 2; run++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(r.get("nodes").get(run).get(i).asDouble(), sl.nodes()[run][i], 1e-8 * Math.abs(lz.values()[0]), "SLQ node");
                assertEquals(r.get("weights").get(run).get(i).asDouble(), sl.weights()[run][i], 1e-8, "SLQ weight");
            }
        }
        assertTrue(r.get("hvps").asInt() > 0);
    }
}
