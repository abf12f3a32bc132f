package org.netgeom.numeric.exact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.curvature.Lanczos;
import org.netgeom.numeric.curvature.LossHessian;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.ParamLayout;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;
import org.netgeom.numeric.train.Trainer;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java engine (float64) against exact rational references written in the test
 * ({@link ExactNet}: rational backpropagation for gradients, hyper-dual forward mode for
 * Hessians; {@link ExactEigen}: exact inertia bisection for eigenvalues), on nets with rational
 * weights: every element within 1e-12 relative.
 */
class ExactParityTest {
    static final double TOL = 1e-12;

    /** A case: a model with rational weights and exact data. */
    record Case(String name, Model model, Rational[][] x, Rational[][] y) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Rational q(long p, long d) {
        return Rational.of(p, d);
    }

    static Tensor mat(Rational[][] rows) {
        return Tensor.matrix(rows);
    }

    /** Telgarsky's tent composed twice (IR.md) on the contract's line.csv. */
    static Case tent2() {
        Layer d1 = new Layer.Dense(null, mat(new Rational[][]{{q(1, 1)}, {q(1, 1)}}), Tensor.vector(q(0, 1), q(-1, 2)));
        Layer d2 = new Layer.Dense(null, mat(new Rational[][]{{q(2, 1), q(-4, 1)}}), Tensor.vector(q(0, 1)));
        Layer r = Layer.AbRelu.relu(null);
        Model m = new Model("tent-2", Shape.of(1), List.of(d1, r, d2, r, d1, r, d2, r));
        Rational[][] x = {{q(1, 16)}, {q(1, 8)}, {q(3, 8)}, {q(11, 16)}};
        Rational[][] y = {{q(1, 2)}, {q(1, 2)}, {q(1, 2)}, {q(1, 2)}};
        return new Case("tent2", m, x, y);
    }

    /** Every piecewise-linear vector op, square, residual (both shortcut kinds), concat, batchnorm with rational √(var+eps). */
    static Case allOps(long seed) {
        Rng r = new Rng(seed);
        List<Layer> ls = List.of(
                new Layer.Dense(null, TestNets.rational(r, 3, 2), TestNets.rational(r, 3)),
                new Layer.BatchNorm(null, TestNets.rational(r, 3), Tensor.vector(q(3, 1), q(5, 4), q(0, 1)), TestNets.rational(r, 3),
                        TestNets.rational(r, 3), Rational.ONE),
                Layer.AbRelu.leakyRelu(null, q(1, 10)),
                new Layer.Residual(null, List.of(new Layer.Dense(null, TestNets.rational(r, 3, 3), null), Layer.AbRelu.abs(null)), null),
                new Layer.Concat(null, List.of(new Layer.Dense(null, TestNets.rational(r, 2, 3), TestNets.rational(r, 2)),
                        Layer.AbRelu.relu(null))),
                new Layer.Dense(null, TestNets.rational(r, 3, 5), TestNets.rational(r, 3)),
                new Layer.Square(null),
                new Layer.Residual(null, List.of(new Layer.Dense(null, TestNets.rational(r, 3, 3), TestNets.rational(r, 3)),
                        Layer.AbRelu.abrelu(null, q(-1, 3), q(2, 1))),
                        List.of(new Layer.Dense(null, TestNets.rational(r, 3, 3), null))),
                new Layer.Identity(null),
                new Layer.Dense(null, TestNets.rational(r, 2, 3), TestNets.rational(r, 2)));
        Model m = new Model("all-ops", Shape.of(2), ls);
        Rational[][] x = new Rational[5][2];
        Rational[][] y = new Rational[5][2];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 2; j++) {
                x[i][j] = q(r.below(19) - 9, 1 + r.below(6));
                y[i][j] = q(r.below(11) - 5, 1 + r.below(4));
            }
        }
        return new Case("all-ops-" + seed, m, x, y);
    }

    /** A smaller net of the same ops (42 parameters), so that exact eigenvalue certificates stay quick. */
    static Case allOpsSmall(long seed) {
        Rng r = new Rng(seed);
        List<Layer> ls = List.of(
                new Layer.Dense(null, TestNets.rational(r, 2, 2), TestNets.rational(r, 2)),
                new Layer.BatchNorm(null, TestNets.rational(r, 2), Tensor.vector(q(3, 1), q(0, 1)), TestNets.rational(r, 2),
                        TestNets.rational(r, 2), Rational.ONE),
                Layer.AbRelu.leakyRelu(null, q(1, 10)),
                new Layer.Residual(null, List.of(new Layer.Dense(null, TestNets.rational(r, 2, 2), null), Layer.AbRelu.abs(null)), null),
                new Layer.Concat(null, List.of(new Layer.Dense(null, TestNets.rational(r, 1, 2), TestNets.rational(r, 1)),
                        Layer.AbRelu.relu(null))),
                new Layer.Dense(null, TestNets.rational(r, 2, 3), TestNets.rational(r, 2)),
                new Layer.Square(null),
                new Layer.Residual(null, List.of(new Layer.Dense(null, TestNets.rational(r, 2, 2), TestNets.rational(r, 2)),
                        Layer.AbRelu.abrelu(null, q(-1, 3), q(2, 1))),
                        List.of(new Layer.Dense(null, TestNets.rational(r, 2, 2), null))),
                new Layer.Identity(null),
                new Layer.Dense(null, TestNets.rational(r, 1, 2), TestNets.rational(r, 1)));
        Model m = new Model("all-ops-small", Shape.of(2), ls);
        Rational[][] x = new Rational[4][2];
        Rational[][] y = new Rational[4][1];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                x[i][j] = q(r.below(19) - 9, 1 + r.below(6));
            }
            y[i][0] = q(r.below(11) - 5, 1 + r.below(4));
        }
        return new Case("all-ops-small-" + seed, m, x, y);
    }

    static Stream<Case> cases() {
        return Stream.of(tent2(), allOps(1), allOpsSmall(3));
    }

    static Stream<Case> eigenCases() {
        return Stream.of(tent2(), allOpsSmall(3), allOpsSmall(4));
    }

    private static final java.util.Map<String, Rational[][]> HESSIANS = new java.util.concurrent.ConcurrentHashMap<>();

    static Rational[][] exactHessian(Case c) {
        return HESSIANS.computeIfAbsent(c.name(), k -> new ExactNet(c.model()).hessian(c.x(), c.y()));
    }

    static double[] doubles(Rational[][] a) {
        int w = a[0].length;
        double[] d = new double[a.length * w];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < w; j++) {
                d[i * w + j] = a[i][j].doubleValue();
            }
        }
        return d;
    }

    static double[] doubles(Rational[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i].doubleValue();
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layoutIsPyTorchParameterOrder(Case c) {
        ExactNet e = new ExactNet(c.model());
        List<ParamLayout.Entry> l = Net.of(c.model()).layout().params();
        assertEquals(e.params().size(), l.size());
        for (int i = 0; i < l.size(); i++) {
            assertEquals(e.params().get(i).name(), l.get(i).name());
            assertEquals(e.params().get(i).offset(), l.get(i).offset());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientEqualsRationalBackprop(Case c) {
        ExactNet e = new ExactNet(c.model());
        Rational[] exact = e.gradient(c.x(), c.y());
        assertArrayEquals(exact, e.gradientForward(c.x(), c.y()), "the two exact references agree exactly");
        Net net = Net.of(c.model());
        int n = c.x().length;
        int k = c.y()[0].length;
        double[] g = new double[net.paramCount()];
        double sum = net.lossGradient(doubles(c.x()), doubles(c.y()), n, Loss.MSE, 1.0 / (n * k), false, g);
        TestNets.assertClose(g, doubles(exact), TOL, c + " gradient");
        assertTrue(sum > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hessianEqualsHyperDualForwardMode(Case c) {
        Rational[][] h = exactHessian(c);
        Net net = Net.of(c.model());
        int n = c.x().length;
        int k = c.y()[0].length;
        int p = net.paramCount();
        double[] got = new double[p * p];
        double[] want = new double[p * p];
        for (int j = 0; j < p; j++) {
            double[] v = new double[p];
            v[j] = 1;
            double[] hv = new double[p];
            net.lossHvp(doubles(c.x()), doubles(c.y()), n, Loss.MSE, 1.0 / (n * k), v, hv, null);
            for (int i = 0; i < p; i++) {
                got[i * p + j] = hv[i];
                want[i * p + j] = h[i][j].doubleValue();
            }
        }
        TestNets.assertClose(got, want, TOL, c + " Hessian");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eigenCases")
    void lanczosTopEigenvaluesEqualExactOnes(Case c) {
        Rational[][] h = exactHessian(c);
        Net net = Net.of(c.model());
        int n = c.x().length;
        LossHessian op = new LossHessian(net, doubles(c.x()), doubles(c.y()), n, Loss.MSE);
        int k = Math.min(3, net.paramCount());
        Lanczos.Result r = Lanczos.topK(op, k, 300, 1e-10, 0, Progress.NONE);
        assertTrue(r.converged());
        double scale = Math.abs(r.values()[0]);
        for (int i = 0; i < k; i++) {
            double v = r.values()[i];
            double delta = 1e-11 * Math.max(Math.abs(v), 1e-3 * scale);
            assertTrue(ExactEigen.certify(h, i + 1, v, delta), c + ": λ" + (i + 1) + " = " + v + " is not within " + delta
                    + " of the exact " + (i + 1) + "-th eigenvalue");
        }
    }

    @Test
    void oneSgdStepEqualsExactStep() {
        Case c = tent2();
        Rational lr = q(1, 20);
        Rational[] g = new ExactNet(c.model()).gradient(c.x(), c.y());
        Net net = Net.of(c.model());
        Rational[] theta = new Rational[net.paramCount()];
        double[] before = net.params().clone();
        for (int i = 0; i < theta.length; i++) {
            theta[i] = Rational.fromDouble(before[i]).subtract(lr.multiply(g[i]));
        }
        Optimizer.Config oc = Optimizer.Config.of("sgd", 0.05, null, null, false, null, null, null, null, false);
        TrainConfig tc = new TrainConfig(Loss.MSE, oc, 1, 0, true, 0, true, org.netgeom.numeric.engine.Precision.F64, null, 1, false);
        Trainer.run(net, doubles(c.x()), doubles(c.y()), 4, tc, Progress.NONE, null);
        TestNets.assertClose(net.params(), doubles(theta), TOL, "one SGD step");
    }
}
