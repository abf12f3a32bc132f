package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loss along random lines: each reported polynomial equals the loss evaluated exactly on the
 * model with the perturbed layer built here (ExactForward plus the test's own mean of squares) at
 * rational points inside every piece and at its ends; each breakpoint is a zero of some data
 * point's pre-activation (ExactForward reports the point on a kink there); the pattern is
 * constant on each piece (checked at random interior points, which also catches a missed
 * breakpoint).
 */
class LossLineTest {

    /** The model with the layer at {@code where} replaced by θ0 + t·d, built without LayerParams. */
    private static Model perturbed(Model m, LayerShape where, Rational[] theta0, Rational[] d, Rational t) {
        Rational[] th = new Rational[theta0.length];
        for (int i = 0; i < th.length; i++) {
            th[i] = theta0[i].add(d[i].multiply(t));
        }
        Layer l = where.layer();
        if (l instanceof Layer.Dense dl) {
            int out = dl.out();
            int in = dl.in();
            Rational[][] w = new Rational[out][in];
            Rational[] b = new Rational[out];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[i][j] = th[i * in + j];
                }
                b[i] = th[out * in + i];
            }
            return m.replace(where.path(), Nets.dense(w, b));
        }
        Layer.Conv2d c = (Layer.Conv2d) l;
        int nw = c.weight().size();
        Rational[] w = new Rational[nw];
        Rational[] b = new Rational[c.outChannels()];
        System.arraycopy(th, 0, w, 0, nw);
        System.arraycopy(th, nw, b, 0, b.length);
        return m.replace(where.path(), new Layer.Conv2d(c.name(), Tensor.of(c.weight().shape(), w), Tensor.vector(b), c.stride(), c.padding()));
    }

    private static int checkLine(Model m, String selector, DataSet data, Random rnd, Rational t0, Rational t1) {
        LayerShape where = m.locate(selector);
        LayerParams p = LayerParams.of(where);
        Rational[] theta0 = p.values();
        Rational[] d = Nets.vector(rnd, p.size());
        LossLine.Result r = LossLine.compute(m, p, d, data, LossKind.MSE, t0, t1, Progress.NONE);
        List<LossLine.Piece> pieces = r.pieces();
        assertEquals(t0, pieces.get(0).t0());
        assertEquals(t1, pieces.get(pieces.size() - 1).t1());
        assertEquals(r.breakpoints().size() + 1, pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            LossLine.Piece pc = pieces.get(i);
            assertTrue(pc.t0().compareTo(pc.t1()) < 0);
            if (i > 0) {
                assertEquals(r.breakpoints().get(i - 1), pc.t0());
            }
            List<Rational> ts = new ArrayList<>(List.of(pc.t0(), pc.t1()));
            for (int k = 0; k < 6; k++) {
                ts.add(Nets.between(rnd, pc.t0(), pc.t1()));
            }
            for (Rational t : ts) {
                Model mt = perturbed(m, where, theta0, d, t);
                assertEquals(Nets.mse(mt, data), pc.valueAt(t), "piece " + i + " at t = " + t);
            }
            for (int k = 2; k < ts.size(); k++) {
                assertEquals(pc.pattern(), Nets.patterns(perturbed(m, where, theta0, d, ts.get(k)), data),
                        "pattern inside piece " + i + " at t = " + ts.get(k));
            }
        }
        for (Rational b : r.breakpoints()) {
            assertTrue(Nets.anyKink(perturbed(m, where, theta0, d, b), data), "breakpoint " + b + " is a zero of a pre-activation");
        }
        return r.breakpoints().size();
    }

    @Test
    void randomLinesOnPlainNetsEveryLayer() {
        Random rnd = new Random(1);
        int breaks = 0;
        for (int trial = 0; trial < 12; trial++) {
            Model m = Nets.mlp(rnd, 2, 3, 1 + trial % 2);
            DataSet data = Nets.data(rnd, 5, 2, 1 + trial % 2);
            String layer = String.valueOf(2 * (trial % 3));              // dense layers 0, 2, 4
            breaks += checkLine(m, layer, data, rnd, Rational.of(-3), Rational.of(3));
        }
        System.out.println("LossLineTest: plain-net lines crossed " + breaks + " breakpoints");
        assertTrue(breaks >= 24, "the random lines cross few cells (" + breaks + " breakpoints): the test would say little");
    }

    @Test
    void randomLinesThroughAResidualBlockAndAConvMaxPoolNet() {
        Random rnd = new Random(2);
        int breaks = 0;
        for (int trial = 0; trial < 6; trial++) {
            Model m = Nets.resnet(rnd, 2, 3, 1);
            DataSet data = Nets.data(rnd, 4, 2, 1);
            breaks += checkLine(m, trial % 2 == 0 ? "1.layers.0" : "0", data, rnd, Rational.of(-2), Rational.of(2));
        }
        for (int trial = 0; trial < 6; trial++) {
            Model m = Nets.convPool(rnd);
            DataSet data = Nets.data(rnd, 3, 9, 1);
            breaks += checkLine(m, "conv", data, rnd, Rational.of(-2), Rational.of(2));
        }
        System.out.println("LossLineTest: residual and conv/maxpool lines crossed " + breaks + " breakpoints");
        assertTrue(breaks >= 12, "few breakpoints (" + breaks + ")");
    }

    @Test
    void sseIsNkTimesMse() {
        Random rnd = new Random(4);
        Model m = Nets.mlp(rnd, 2, 3, 2);
        DataSet data = Nets.data(rnd, 3, 2, 2);
        LayerParams p = LayerParams.of(m, "4");
        Rational[] d = Nets.vector(rnd, p.size());
        LossLine.Result mse = LossLine.compute(m, p, d, data, LossKind.MSE, Rational.of(-1), Rational.ONE, Progress.NONE);
        LossLine.Result sse = LossLine.compute(m, p, d, data, LossKind.SSE, Rational.of(-1), Rational.ONE, Progress.NONE);
        assertEquals(mse.breakpoints(), sse.breakpoints());
        for (int i = 0; i < mse.pieces().size(); i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(mse.pieces().get(i).coeffs()[k].multiply(6), sse.pieces().get(i).coeffs()[k]);
            }
        }
    }

    @Test
    void badInputsAreCodedErrors() {
        Random rnd = new Random(9);
        Model m = Nets.mlp(rnd, 2, 3, 1);
        DataSet data = Nets.data(rnd, 3, 2, 1);
        LayerParams p = LayerParams.of(m, "0");
        NetgeomException e = assertThrows(NetgeomException.class, () -> LayerParams.of(m, "1"));
        assertEquals(SymbolicError.NO_PARAMETERS, e.code());
        e = assertThrows(NetgeomException.class,
                () -> LossLine.compute(m, p, new Rational[3], data, LossKind.MSE, Rational.ZERO, Rational.ONE, Progress.NONE));
        assertEquals(SymbolicError.BAD_DIRECTION, e.code());
        e = assertThrows(NetgeomException.class, () -> LossLine.compute(m, p, Nets.vector(rnd, p.size()), data, LossKind.MSE,
                Rational.ONE, Rational.ONE, Progress.NONE));
        assertEquals(IrError.BAD_INPUT, e.code());
        DataSet empty = new DataSet(Tensor.of(Shape.of(0, 2), new org.netgeom.ir.Scalar[0]), Tensor.of(Shape.of(0, 1), new org.netgeom.ir.Scalar[0]));
        e = assertThrows(NetgeomException.class, () -> LossLine.compute(m, p, Nets.vector(rnd, p.size()), empty, LossKind.MSE,
                Rational.ZERO, Rational.ONE, Progress.NONE));
        assertEquals(SymbolicError.EMPTY_DATA, e.code());
        e = assertThrows(NetgeomException.class, () -> LossKind.parse("cross_entropy"));
        assertEquals(SymbolicError.NOT_QUADRATIC, e.code());
    }
}
