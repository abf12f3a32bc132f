package org.netgeom.symbolic.exact;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.io.IrReader;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exact Jacobians against exact central differences. Along one parameter (or input) coordinate,
 * a piecewise-linear network with at most one square layer is, away from kinks, a polynomial of
 * degree at most 2 in that coordinate (each weight enters its layer linearly), so the central
 * difference (f(θ + h e_j) − f(θ − h e_j)) / 2h is exactly the partial derivative as long as no
 * activation pattern changes between θ − h e_j and θ + h e_j (checked).
 */
class ExactJacobianTest {
    private static final Rational H = Rational.of(1, 1_000_000);

    private static String q(Random r) {
        return "\"" + (r.nextInt(17) - 8) + "/" + (1 + r.nextInt(5)) + "\"";
    }

    private static String mat(Random r, int rows, int cols) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < cols; j++) {
                sb.append(j == 0 ? "" : ",").append(q(r));
            }
            sb.append("]");
        }
        return sb.append("]").toString();
    }

    private static String vec(Random r, int n) {
        String m = mat(r, 1, n);
        return m.substring(1, m.length() - 1);
    }

    private static Model random(Random r) {
        String json = "{\"netgeom\": 1, \"input\": [1, 3, 3], \"layers\": ["
                + "{\"op\": \"conv2d\", \"weight\": [[" + mat(r, 2, 2) + "],[" + mat(r, 2, 2) + "]], \"bias\": " + vec(r, 2) + "},"
                + "{\"op\": \"leaky_relu\", \"slope\": \"1/10\"},"
                + "{\"op\": \"batchnorm\", \"mean\": " + vec(r, 2) + ", \"var\": [\"3\", \"8\"], \"eps\": 1, \"weight\": " + vec(r, 2)
                + ", \"bias\": " + vec(r, 2) + "},"
                + "{\"op\": \"maxpool2d\", \"kernel\": [2, 1], \"stride\": 1},"
                + "{\"op\": \"avgpool2d\", \"kernel\": [1, 2]},"
                + "{\"op\": \"flatten\"},"
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": " + mat(r, 2, 2) + ", \"bias\": " + vec(r, 2) + "},"
                + " {\"op\": \"abs\"}], \"shortcut\": [{\"op\": \"dense\", \"weight\": " + mat(r, 2, 2) + "}]},"
                + "{\"op\": \"concat\", \"layers\": [{\"op\": \"relu\"}, {\"op\": \"square\"}]},"
                + "{\"op\": \"dense\", \"weight\": " + mat(r, 2, 4) + ", \"bias\": " + vec(r, 2) + "}]}";
        return IrReader.read(json, null);
    }

    /** The model with flat parameter j shifted by t. */
    private static Model shifted(Model m, int j, Rational t) {
        List<ExactJacobian.Param> ps = ExactJacobian.parameters(m);
        for (ExactJacobian.Param p : ps) {
            int size = p.shape().size();
            if (j >= p.offset() && j < p.offset() + size) {
                int k = j - p.offset();
                String layerPath = p.path().substring(0, p.path().lastIndexOf('.'));
                String key = p.path().substring(p.path().lastIndexOf('.') + 1);
                org.netgeom.ir.LayerShape[] found = {null};
                m.walk(s -> {
                    if (s.path().toString().equals(layerPath)) {
                        found[0] = s;
                    }
                });
                org.netgeom.ir.LayerShape ls = found[0];
                Layer l = ls.layer();
                Layer moved;
                if (l instanceof Layer.Dense d) {
                    moved = key.equals("weight") ? new Layer.Dense(d.name(), bump(d.weight(), k, t), d.bias())
                            : new Layer.Dense(d.name(), d.weight(), bump(d.bias(), k, t));
                } else if (l instanceof Layer.Conv2d c) {
                    moved = key.equals("weight") ? new Layer.Conv2d(c.name(), bump(c.weight(), k, t), c.bias(), c.stride(), c.padding())
                            : new Layer.Conv2d(c.name(), c.weight(), bump(c.bias(), k, t), c.stride(), c.padding());
                } else {
                    Layer.BatchNorm b = (Layer.BatchNorm) l;
                    moved = key.equals("weight") ? new Layer.BatchNorm(b.name(), b.mean(), b.var(), bump(b.weight(), k, t), b.bias(), b.eps())
                            : new Layer.BatchNorm(b.name(), b.mean(), b.var(), b.weight(), bump(b.bias(), k, t), b.eps());
                }
                return m.replace(ls.path(), moved);
            }
        }
        throw new IllegalArgumentException("no parameter " + j);
    }

    private static org.netgeom.ir.Tensor bump(org.netgeom.ir.Tensor t, int k, Rational by) {
        Scalar[] v = new Scalar[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i == k ? t.rational(i).add(by) : t.get(i);
        }
        return org.netgeom.ir.Tensor.of(t.shape(), v);
    }

    @Test
    void parameterAndInputJacobiansEqualExactCentralDifferences() {
        Random r = new Random(11);
        int checked = 0;
        for (int trial = 0; trial < 12; trial++) {
            Model m = random(r);
            Rational[] x = new Rational[9];
            for (int i = 0; i < 9; i++) {
                x[i] = Rational.of(r.nextInt(41) - 20, 7);
            }
            ExactForward.Result at = ExactForward.run(m, x);
            if (at.onKink()) {
                continue;
            }
            ExactJacobian.Result jac = ExactJacobian.at(m, x);
            assertArrayEquals(at.output(), jac.output());
            int nParams = jac.wrtParams()[0].length;
            assertEquals(ExactJacobian.parameters(m).stream().mapToInt(p -> p.shape().size()).sum(), nParams);
            assertEquals(m.parameterCount(), nParams, "the flat vector holds exactly PyTorch's parameters");
            for (int j = 0; j < nParams; j++) {
                ExactForward.Result plus = ExactForward.run(shifted(m, j, H), x);
                ExactForward.Result minus = ExactForward.run(shifted(m, j, H.negate()), x);
                if (!plus.pattern().equals(at.pattern()) || !minus.pattern().equals(at.pattern())) {
                    continue;              // a kink within h: the difference quotient would not be the derivative
                }
                for (int k = 0; k < 2; k++) {
                    Rational fd = plus.output()[k].subtract(minus.output()[k]).divide(H.multiply(Rational.TWO));
                    assertEquals(fd, jac.wrtParams()[k][j], "trial " + trial + " output " + k + " parameter " + j);
                    checked++;
                }
            }
            for (int i = 0; i < 9; i++) {
                Rational[] xp = x.clone();
                Rational[] xm = x.clone();
                xp[i] = x[i].add(H);
                xm[i] = x[i].subtract(H);
                ExactForward.Result plus = ExactForward.run(m, xp);
                ExactForward.Result minus = ExactForward.run(m, xm);
                if (!plus.pattern().equals(at.pattern()) || !minus.pattern().equals(at.pattern())) {
                    continue;
                }
                for (int k = 0; k < 2; k++) {
                    assertEquals(plus.output()[k].subtract(minus.output()[k]).divide(H.multiply(Rational.TWO)), jac.wrtInput()[k][i]);
                }
            }
        }
        assertEquals(true, checked > 500, "enough derivatives were checked: " + checked);
    }

    @Test
    void kinkConventionsFollowPyTorch() {
        // at x = 0: relu'(0) = 0, leaky'(0) = slope, abs'(0) = 0
        for (String[] c : new String[][]{{"{\"op\": \"relu\"}", "0"}, {"{\"op\": \"leaky_relu\", \"slope\": \"1/5\"}", "1/5"},
                {"{\"op\": \"abs\"}", "0"}, {"{\"op\": \"abrelu\", \"neg\": \"-1/3\", \"pos\": 2}", "-1/3"}}) {
            Model m = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [" + c[0] + "]}", null);
            assertEquals(Rational.parse(c[1]), ExactJacobian.at(m, new Rational[]{Rational.ZERO}).wrtInput()[0][0], c[0]);
        }
        // hardtanh on [-1/2, 3/4]: PyTorch's hardtanh_backward passes the gradient only strictly inside, so the
        // derivative is 0 at both kinks; the exact Jacobian and the loss surface's local map (AffineForward at the
        // point) both take that branch
        Model h = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"hardtanh\", \"min_val\": \"-1/2\", "
                + "\"max_val\": \"3/4\"}]}", null);
        for (String[] c : new String[][]{{"-1/2", "0"}, {"3/4", "0"}, {"0", "1"}, {"-1", "0"}, {"1", "0"}, {"1/2", "1"}}) {
            Rational[] x = {Rational.parse(c[0])};
            assertEquals(Rational.parse(c[1]), ExactJacobian.at(h, x).wrtInput()[0][0], "hardtanh' at " + c[0]);
            org.netgeom.symbolic.loss.AffineForward.Result lm = org.netgeom.symbolic.loss.AffineForward.run(h,
                    org.netgeom.symbolic.loss.AffineForward.identity(1), 1, null, org.netgeom.symbolic.loss.AffineForward.atPoint(x));
            assertEquals(Rational.parse(c[1]), lm.output()[0][1], "local map's slope at " + c[0]);
        }
        // maxout k = 2 on (x, 2x - 1): at x = 1 the two tie; the first maximum takes the gradient (torch.max's index)
        Model mo = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[1], [2]], "
                + "\"bias\": [0, -1]}, {\"op\": \"maxout\", \"k\": 2}]}", null);
        assertEquals(Rational.ONE, ExactJacobian.at(mo, new Rational[]{Rational.ONE}).wrtInput()[0][0], "maxout tie: first maximum");
        assertEquals(Rational.TWO, ExactJacobian.at(mo, new Rational[]{Rational.TWO}).wrtInput()[0][0]);
    }
}
