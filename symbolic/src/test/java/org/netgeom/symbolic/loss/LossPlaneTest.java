package org.netgeom.symbolic.loss;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.IrPath;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Options;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LossPlane} on random planes of plain, residual, concat, batchnorm and conv nets, with the varying
 * layer at the top level and inside composites (a residual's body and shortcut, a concat's body),
 * against an independent reference written here: the perturbed model θ0 + a·d1 + b·d2 built by
 * this test (its own weight/bias arithmetic in PyTorch's parameter order), evaluated with
 * {@link ExactForward} and its own mean of squares ({@link Nets#mse}). For every cell: the witness
 * and the midpoints between it and each vertex lie strictly inside the polygon (the test's own
 * cross products) and there every data point's pattern is the cell's and the loss equals the
 * cell's quadratic; at the vertices (the closed cell) the loss equals the quadratic too. The cells
 * tile the rectangle: distinct patterns (so disjoint open cells), exact areas (the test's shoelace)
 * summing to the rectangle's, and random rational points each strictly inside exactly one cell,
 * whose pattern and quadratic hold there.
 */
class LossPlaneTest {
    private static final Options OPT = Options.defaults();

    record Case(String name, Model model, String layer, int points) {
    }

    private static List<Case> cases(Random r) {
        List<Case> out = new ArrayList<>();
        out.add(new Case("plain, middle layer", Nets.mlp(r, 2, 3, 2), "2", 4));
        out.add(new Case("plain, first layer", Nets.mlp(r, 2, 3, 1), "0", 4));
        Model res = Nets.resnet(r, 2, 3, 1);
        out.add(new Case("residual, first layer", res, "0", 4));
        out.add(new Case("residual, inside the body", res, "1.layers.0", 4));
        Model sc = new Model("sc", Shape.of(2), List.of(Nets.dense(r, 3, 2),
                new Layer.Residual("b", List.of(Nets.dense(r, 3, 3), Layer.AbRelu.relu(null)),
                        List.of(Nets.dense(r, 3, 3), Layer.AbRelu.abs(null))),
                Layer.AbRelu.relu(null), Nets.dense(r, 1, 3)));
        out.add(new Case("residual, inside the shortcut", sc, "1.shortcut.0", 4));
        out.add(new Case("residual, inside the body, units in the shortcut", sc, "1.layers.0", 4));
        out.add(new Case("concat inside a residual's body", new Model("nested", Shape.of(2), List.of(Nets.dense(r, 3, 2),
                Layer.AbRelu.relu(null), new Layer.Residual("r", List.of(new Layer.Concat("c", List.of(Nets.dense(r, 2, 3),
                        Layer.AbRelu.abs(null))), Nets.dense(r, 3, 5), Layer.AbRelu.relu(null)),
                        List.of(Nets.dense(r, 3, 3), Layer.AbRelu.relu(null))), Nets.dense(r, 1, 3))), "2.layers.0.layers.0", 4));
        out.add(new Case("concat, inside the body", new Model("cat", Shape.of(2), List.of(Nets.dense(r, 3, 2), Layer.AbRelu.relu(null),
                new Layer.Concat("cat", List.of(Nets.dense(r, 2, 3), Layer.AbRelu.abs(null))), Nets.dense(r, 1, 5))), "2.layers.0", 4));
        out.add(new Case("affine batchnorm", batchnorm(r), "1", 4));
        out.add(new Case("conv + maxpool, the conv", Nets.convPool(r), "0", 3));
        out.add(new Case("conv + maxpool, the last dense", Nets.convPool(r), "4", 3));
        out.add(new Case("conv residual block, inside the body", convBlock(r, false), "0.layers.0", 3));
        out.add(new Case("conv concat block, inside the body", convBlock(r, true), "0.layers.0", 3));
        return out;
    }

    /** dense(2→3), batchnorm (var + eps = 1/4), relu, dense(3→1); the batchnorm's weight and bias vary. */
    private static Model batchnorm(Random r) {
        Rational eps = Rational.of(1, 100_000);
        Rational var = Rational.of(1, 4).subtract(eps);
        Layer bn = new Layer.BatchNorm("bn", Tensor.vector(Nets.vector(r, 3)), Tensor.vector(var, var, var), Tensor.vector(Nets.vector(r, 3)),
                Tensor.vector(Nets.vector(r, 3)), eps);
        return new Model("bn", Shape.of(2), List.of(Nets.dense(r, 3, 2), bn, Layer.AbRelu.relu(null), Nets.dense(r, 1, 3)));
    }

    /** [1, 3, 3] → residual or concat [conv 3×3 padding 1, relu] → relu → flatten → dense → 1. */
    private static Model convBlock(Random r, boolean concat) {
        Layer.Conv2d conv = new Layer.Conv2d("c", Tensor.of(Shape.of(1, 1, 3, 3), Nets.vector(r, 9)), Tensor.vector(Nets.q(r)),
                Layer.Hw.of(1), Layer.Hw.of(1));
        List<Layer> body = List.of(conv, Layer.AbRelu.relu(null));
        Layer block = concat ? new Layer.Concat("cat", body) : new Layer.Residual("res", body, null);
        return new Model(concat ? "convcat" : "convres", Shape.of(1, 3, 3), List.of(block, Layer.AbRelu.relu(null),
                new Layer.Flatten(null), Nets.dense(r, 1, concat ? 18 : 9)));
    }

    @Test
    void randomPlanesAgreeWithTheExactLossAndTileTheRectangle() {
        Random r = new Random(2022);
        for (Case c : cases(r)) {
            LayerParams p = LayerParams.of(c.model(), c.layer());
            Rational[] d1 = Nets.vector(r, p.size());
            Rational[] d2 = Nets.vector(r, p.size());
            DataSet data = Nets.data(r, c.points(), c.model().input().size(), c.model().output().size());
            Rational[] range = {Rational.of(-1), Rational.of(3, 2), Rational.of(-2), Rational.ONE};
            LossKind kind = c.name().startsWith("conv") ? LossKind.SSE : LossKind.MSE;
            LossPlane.Result res = LossPlane.compute(c.model(), p, d1, d2, data, kind, range, OPT);
            check(c, res, d1, d2, data, kind, r);
        }
    }

    private static void check(Case c, LossPlane.Result res, Rational[] d1, Rational[] d2, DataSet data, LossKind kind, Random r) {
        Rational total = Rational.ZERO;
        Set<String> patterns = new HashSet<>();
        Rational[] range = res.range();
        for (LossPlane.PlaneCell cell : res.cells()) {
            Rational area = shoelace(cell.vertices());
            assertTrue(area.signum() > 0, c.name() + ": vertices counter-clockwise, area > 0");
            assertEquals(area, cell.area(), c.name());
            total = total.add(area);
            assertTrue(patterns.add(cell.pattern()), c.name() + ": pattern " + cell.pattern() + " twice");
            Rational[] w = cell.witness();
            assertTrue(strictlyInside(cell.vertices(), w), c.name() + ": witness inside its polygon");
            List<Rational[]> inside = new ArrayList<>();
            inside.add(w);
            for (Rational[] v : cell.vertices()) {
                inside.add(new Rational[]{w[0].add(v[0]).multiply(Rational.HALF), w[1].add(v[1]).multiply(Rational.HALF)});
            }
            for (Rational[] u : inside) {
                assertTrue(strictlyInside(cell.vertices(), u));
                Model m = perturbed(c.model(), c.layer(), d1, d2, u);
                assertEquals(cell.pattern(), Nets.patterns(m, data), c.name() + " at " + u[0] + ", " + u[1]);
                assertEquals(loss(m, data, kind), cell.loss().valueAt(u[0], u[1]), c.name() + ": the quadratic inside");
            }
            for (Rational[] v : cell.vertices()) {
                assertEquals(loss(perturbed(c.model(), c.layer(), d1, d2, v), data, kind), cell.loss().valueAt(v[0], v[1]),
                        c.name() + ": the quadratic at a vertex");
            }
        }
        Rational box = range[1].subtract(range[0]).multiply(range[3].subtract(range[2]));
        assertEquals(box, total, c.name() + ": the cells' areas add up to the rectangle's");
        for (int i = 0; i < 12; i++) {
            Rational[] u = {Nets.between(r, range[0], range[1]), Nets.between(r, range[2], range[3])};
            List<LossPlane.PlaneCell> holders = new ArrayList<>();
            for (LossPlane.PlaneCell cell : res.cells()) {
                if (strictlyInside(cell.vertices(), u)) {
                    holders.add(cell);
                }
            }
            assertEquals(1, holders.size(), c.name() + ": (" + u[0] + ", " + u[1] + ") in exactly one cell");
            Model m = perturbed(c.model(), c.layer(), d1, d2, u);
            assertEquals(holders.get(0).pattern(), Nets.patterns(m, data));
            assertEquals(loss(m, data, kind), holders.get(0).loss().valueAt(u[0], u[1]));
        }
        assertTrue(res.cells().size() >= 1);
    }

    private static Rational loss(Model m, DataSet d, LossKind kind) {
        Rational mse = Nets.mse(m, d);
        return kind == LossKind.MSE ? mse : mse.multiply(Rational.of((long) d.size() * d.targetWidth()));
    }

    /** The model with layer L's parameters θ0 + a·d1 + b·d2 (weight row-major, then bias), built here. */
    static Model perturbed(Model m, String selector, Rational[] d1, Rational[] d2, Rational[] u) {
        IrPath path = m.locate(selector).path();
        Layer l = m.locate(selector).layer();
        Tensor w;
        Tensor b;
        if (l instanceof Layer.Dense d) {
            w = d.weight();
            b = d.bias();
        } else if (l instanceof Layer.BatchNorm bn) {
            w = bn.weight();
            b = bn.bias();
        } else {
            Layer.Conv2d c = (Layer.Conv2d) l;
            w = c.weight();
            b = c.bias();
        }
        Rational[] wv = new Rational[w.size()];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = w.rational(i).add(d1[i].multiply(u[0])).add(d2[i].multiply(u[1]));
        }
        Rational[] bv = null;
        if (b != null) {
            bv = new Rational[b.size()];
            for (int i = 0; i < bv.length; i++) {
                int k = wv.length + i;
                bv[i] = b.rational(i).add(d1[k].multiply(u[0])).add(d2[k].multiply(u[1]));
            }
        }
        Tensor nw = Tensor.of(w.shape(), wv);
        Tensor nb = bv == null ? null : Tensor.vector(bv);
        Layer nl = l instanceof Layer.Dense d ? new Layer.Dense(d.name(), nw, nb)
                : l instanceof Layer.BatchNorm bn ? new Layer.BatchNorm(bn.name(), bn.mean(), bn.var(), nw, nb, bn.eps())
                : new Layer.Conv2d(l.name(), nw, nb, ((Layer.Conv2d) l).stride(), ((Layer.Conv2d) l).padding());
        return m.replace(path, nl);
    }

    static Rational shoelace(List<Rational[]> v) {
        Rational s = Rational.ZERO;
        for (int i = 0; i < v.size(); i++) {
            Rational[] p = v.get(i);
            Rational[] q = v.get((i + 1) % v.size());
            s = s.add(p[0].multiply(q[1])).subtract(q[0].multiply(p[1]));
        }
        return s.multiply(Rational.HALF);
    }

    /** u strictly inside the convex polygon (counter-clockwise): strictly left of every edge. */
    static boolean strictlyInside(List<Rational[]> v, Rational[] u) {
        for (int i = 0; i < v.size(); i++) {
            Rational[] p = v.get(i);
            Rational[] q = v.get((i + 1) % v.size());
            Rational cross = q[0].subtract(p[0]).multiply(u[1].subtract(p[1])).subtract(q[1].subtract(p[1]).multiply(u[0].subtract(p[0])));
            if (cross.signum() <= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Telgarsky's tent twice with its last layer (w1, w2, b) = (2, −4, 0) moving along d1 = (1, 0, 0)
     * and d2 = (0, 0, 1): on the four points of examples/tent-data.csv the last pre-activation is
     * z_i = v_i + a·h1_i + b with (h1_i, v_i) = (1/8, 1/4), (1/4, 1/2), (3/4, 1/2), (5/8, 3/4), so the
     * cell where every z_i &lt; 0 is the quadrilateral (−1, −1), (2/5, −1), (−2/3, −1/3), (−1, −1/4)
     * with loss 1/4, and on the cell of (0, 0), where every z_i &gt; 0, the mse is
     * ¼ Σ (z_i − ½)² = 1/32 + a/16 + 33a²/128 + 7ab/8 + b² (hand derivation).
     */
    @Test
    void tentPlaneByHand() {
        Model tent = tent2();
        DataSet data = new DataSet(Tensor.matrix(new Rational[][]{{Rational.of(1, 16)}, {Rational.of(1, 8)}, {Rational.of(3, 8)},
                {Rational.of(11, 16)}}), Tensor.matrix(new Rational[][]{{Rational.HALF}, {Rational.HALF}, {Rational.HALF}, {Rational.HALF}}));
        LayerParams p = LayerParams.of(tent, "6");
        Rational[] d1 = {Rational.ONE, Rational.ZERO, Rational.ZERO};
        Rational[] d2 = {Rational.ZERO, Rational.ZERO, Rational.ONE};
        Rational[] range = {Rational.of(-1), Rational.ONE, Rational.of(-1), Rational.ONE};
        LossPlane.Result res = LossPlane.compute(tent, p, d1, d2, data, LossKind.MSE, range, OPT);
        LossPlane.PlaneCell off = null;
        LossPlane.PlaneCell on = null;
        for (LossPlane.PlaneCell c : res.cells()) {
            if (c.pattern().equals("101100|101100|101110|111110")) {
                off = c;
            }
            if (strictlyInside(c.vertices(), new Rational[]{Rational.ZERO, Rational.ZERO})) {
                on = c;
            }
        }
        assertTrue(off != null && on != null);
        Set<String> want = Set.of("-1,-1", "2/5,-1", "-2/3,-1/3", "-1,-1/4");
        Set<String> got = new HashSet<>();
        for (Rational[] v : off.vertices()) {
            got.add(v[0] + "," + v[1]);
        }
        assertEquals(want, got);
        assertEquals(Rational.of(1, 4), off.loss().coeff(0, 0));
        assertEquals(Rational.ZERO, off.loss().coeff(1, 0));
        assertEquals("101101|101101|101111|111111", on.pattern());
        Rational[][] c = on.loss().c();
        assertEquals(List.of(Rational.of(1, 32), Rational.ZERO, Rational.ONE), List.of(c[0]));
        assertEquals(List.of(Rational.of(1, 16), Rational.of(7, 8)), List.of(c[1]));
        assertEquals(List.of(Rational.of(33, 128)), List.of(c[2]));
    }

    static Model tent2() {
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ls.add(Nets.dense(new Rational[][]{{Rational.ONE}, {Rational.ONE}}, new Rational[]{Rational.ZERO, Rational.of(-1, 2)}));
            ls.add(Layer.AbRelu.relu(null));
            ls.add(Nets.dense(new Rational[][]{{Rational.TWO, Rational.of(-4)}}, new Rational[]{Rational.ZERO}));
            ls.add(Layer.AbRelu.relu(null));
        }
        return new Model("tent-2", Shape.of(1), ls);
    }

    @Test
    void badInputGetsCodedErrors() {
        Model tent = tent2();
        LayerParams p = LayerParams.of(tent, "6");
        DataSet data = new DataSet(Tensor.matrix(new Rational[][]{{Rational.HALF}}), Tensor.matrix(new Rational[][]{{Rational.ONE}}));
        Rational[] ok = {Rational.ONE, Rational.ZERO, Rational.ZERO};
        Rational[] range = {Rational.ZERO, Rational.ONE, Rational.ZERO, Rational.ONE};
        Object[][] cases = {
                {"BAD_DIRECTION", new Rational[]{Rational.ONE, Rational.ONE}, range},
                {"BAD_INPUT", ok, new Rational[]{Rational.ONE, Rational.ONE, Rational.ZERO, Rational.ONE}},
                {"BAD_INPUT", ok, new Rational[]{Rational.ZERO, Rational.ONE, Rational.ONE, Rational.HALF}},
                {"BAD_INPUT", ok, new Rational[]{Rational.ZERO, Rational.ONE}},
        };
        for (Object[] c : cases) {
            NetgeomException e = assertThrows(NetgeomException.class,
                    () -> LossPlane.compute(tent, p, (Rational[]) c[1], ok, data, LossKind.MSE, (Rational[]) c[2], OPT));
            assertEquals(c[0], e.code().name());
        }
        DataSet empty = new DataSet(Tensor.zeros(Shape.of(0, 1)), Tensor.zeros(Shape.of(0, 1)));
        NetgeomException e = assertThrows(NetgeomException.class, () -> LossPlane.compute(tent, p, ok, ok, empty, LossKind.MSE, range, OPT));
        assertEquals("EMPTY_DATA", e.code().name());
        Model smooth = new Model("s", Shape.of(1), List.of(Nets.dense(new Rational[][]{{Rational.ONE}}, new Rational[]{Rational.ZERO}),
                new Layer.Square(null)));
        NetgeomException sq = assertThrows(NetgeomException.class, () -> LossPlane.compute(smooth, LayerParams.of(smooth, "0"),
                new Rational[]{Rational.ONE, Rational.ZERO}, new Rational[]{Rational.ZERO, Rational.ONE}, data, LossKind.MSE, range, OPT));
        assertEquals("NOT_PIECEWISE_LINEAR", sq.code().name());
        assertEquals("layers[1]", sq.path());
    }
}
