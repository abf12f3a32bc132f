package org.netgeom.symbolic.loss;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.exact.ExactJacobian;
import org.netgeom.symbolic.linalg.QMatrix;
import org.netgeom.symbolic.linalg.Spectra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cell quadratic against two independent references: (1) Symja differentiating the cell's
 * formula, which this test writes itself as a Symja expression (a forward pass in symbols with the
 * layer's parameters as unknowns and each unit's slope fixed by ExactForward's pattern at θ0);
 * (2) the Gauss–Newton form 2s Σ JᵢᵀJᵢ with each local Jacobian Jᵢ obtained by exact divided
 * differences of ExactForward along each coordinate (with a step small enough that the pattern,
 * checked, does not change, so the difference quotient is the exact derivative); and the
 * local Jacobians against reverse-mode {@link ExactJacobian}.
 */
class LossCellTest {
    @AfterAll
    static void stopCas() {
        Cas.shutdown();
    }

    /** The output of a dense/abrelu net as Symja expressions, the dense layer {@code target} with symbolic parameters. */
    private static List<String> symbolicForward(Model m, int target, Rational[] x, String pattern, List<String> names) {
        List<String> h = new ArrayList<>();
        for (Rational v : x) {
            h.add(Cas.of(v));
        }
        int unit = 0;
        for (int li = 0; li < m.layers().size(); li++) {
            Layer l = m.layers().get(li);
            if (l instanceof Layer.Dense d) {
                List<String> y = new ArrayList<>();
                int k = 0;
                for (int i = 0; i < d.out(); i++) {
                    StringBuilder s = new StringBuilder();
                    for (int j = 0; j < d.in(); j++) {
                        String w = li == target ? names.get(i * d.in() + j) : Cas.of(d.weight().rational(i * d.in() + j));
                        s.append(j > 0 ? "+" : "").append(w).append("*(").append(h.get(j)).append(")");
                    }
                    String b = li == target ? names.get(d.out() * d.in() + i) : Cas.of(d.bias().rational(i));
                    y.add(s + "+" + b);
                    k++;
                }
                h = y;
            } else if (l instanceof Layer.AbRelu a) {
                List<String> y = new ArrayList<>();
                for (String v : h) {
                    Rational slope = pattern.charAt(unit++) == '1' ? a.pos().rational() : a.neg().rational();
                    y.add(Cas.of(slope) + "*(" + v + ")");
                }
                h = y;
            }
        }
        return h;
    }

    @Test
    void hessianEqualsSymjaHessianAndGaussNewtonForm() {
        Random rnd = new Random(21);
        Cas cas = Cas.get();
        int checked = 0;
        for (int trial = 0; trial < 6; trial++) {
            Model m = Nets.mlp(rnd, 2, 2, 1 + trial % 2);
            DataSet data = Nets.data(rnd, 4, 2, 1 + trial % 2);
            int target = 2 * (trial % 3);
            Variables v = Variables.of(m, String.valueOf(target), Map.of(), false);
            LossCell.Result r = LossCell.compute(v, data, LossKind.MSE, Progress.NONE);
            int p = v.size();
            Rational[] theta0 = v.point();

            // (1) Symja: the cell's formula, differentiated twice
            List<String> names = new ArrayList<>();
            for (int k = 0; k < p; k++) {
                names.add(cas.symbol("theta" + k));
            }
            StringBuilder loss = new StringBuilder("0");
            for (int i = 0; i < data.size(); i++) {
                String pat = ExactForward.run(m, data.x(i)).pattern();
                List<String> f = symbolicForward(m, target, data.x(i), pat, names);
                for (int j = 0; j < f.size(); j++) {
                    loss.append("+(").append(f.get(j)).append("-(").append(Cas.of(data.y(i)[j])).append("))^2");
                }
            }
            String lossExpr = "(" + loss + ")/" + (data.size() * data.targetWidth());
            for (int a = 0; a < p; a++) {
                for (int b = a; b < p; b++) {
                    Rational hab = cas.rational("D(" + lossExpr + "," + names.get(a) + "," + names.get(b) + ")");
                    assertEquals(hab, r.hessian()[a][b], "H[" + a + "][" + b + "], trial " + trial);
                    assertEquals(hab, r.hessian()[b][a]);
                }
            }
            StringBuilder zero = new StringBuilder();
            for (int k = 0; k < p; k++) {
                zero.append(k > 0 ? "," : "").append(names.get(k)).append("->0");
            }
            assertEquals(cas.rational("ReplaceAll(" + lossExpr + ",{" + zero + "})"), r.c(), "c");
            for (int a = 0; a < p; a++) {
                assertEquals(cas.rational("ReplaceAll(D(" + lossExpr + "," + names.get(a) + "),{" + zero + "})"), r.g()[a], "g[" + a + "]");
            }

            // (2) Gauss–Newton from exact divided differences of ExactForward
            Rational h = Rational.of(1, 1 << 20);
            Rational[][] gn = QMatrix.zeros(p, p);
            Rational two = Rational.of(2, (long) data.size() * data.targetWidth());
            for (int i = 0; i < data.size(); i++) {
                Rational[] f0 = ExactForward.eval(v.at(theta0), data.x(i));
                String pat0 = ExactForward.run(v.at(theta0), data.x(i)).pattern();
                Rational[][] jac = new Rational[f0.length][p];
                for (int k = 0; k < p; k++) {
                    Rational[] u = theta0.clone();
                    u[k] = u[k].add(h);
                    ExactForward.Result fr = ExactForward.run(v.at(u), data.x(i));
                    assertEquals(pat0, fr.pattern(), "the step leaves the cell; choose a smaller one");
                    for (int j = 0; j < f0.length; j++) {
                        jac[j][k] = fr.output()[j].subtract(f0[j]).divide(h);
                    }
                }
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        for (int j = 0; j < f0.length; j++) {
                            gn[a][b] = gn[a][b].add(two.multiply(jac[j][a]).multiply(jac[j][b]));
                        }
                    }
                }
            }
            for (int a = 0; a < p; a++) {
                assertArrayEquals(gn[a], r.hessian()[a], "Gauss-Newton row " + a);
            }
            // (3) the local Jacobians also agree with reverse-mode ExactJacobian (layer L's columns)
            int offset = -1;
            for (ExactJacobian.Param q : ExactJacobian.parameters(m)) {
                if (q.path().equals("layers[" + target + "].weight")) {
                    offset = q.offset();
                }
            }
            for (int i = 0; i < data.size(); i++) {
                Rational[][] wrt = ExactJacobian.at(m, data.x(i)).wrtParams();
                for (int j = 0; j < wrt.length; j++) {
                    for (int k = 0; k < p; k++) {
                        assertEquals(wrt[j][offset + k], r.jacobians().get(i)[j][k], "J[" + i + "][" + j + "][" + k + "]");
                    }
                }
            }
            assertEquals(Nets.mse(m, data), r.value(), "the quadratic at θ0 is the loss");
            // H's spectrum through the smaller Gram matrix equals the spectrum of H itself
            List<Spectra.Eigen> viaGram = r.eigenvalues();
            List<Spectra.Eigen> direct = Spectra.symmetricEigenvalues(r.hessian());
            assertEquals(direct.size(), viaGram.size());
            for (int i = 0; i < direct.size(); i++) {
                assertEquals(direct.get(i).multiplicity(), viaGram.get(i).multiplicity());
                assertEquals(direct.get(i).value().decimal(25), viaGram.get(i).value().decimal(25));
            }
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void cellInequalitiesDecidePatternsAndTheMinimiserIsChecked() {
        Random rnd = new Random(8);
        int inside = 0;
        int outside = 0;
        int minima = 0;
        for (int trial = 0; trial < 10; trial++) {
            Model m = Nets.mlp(rnd, 2, 3, 1);
            DataSet data = Nets.data(rnd, 5, 2, 1);
            Variables v = Variables.of(m, String.valueOf(2 * (trial % 3)), Map.of(), false);
            LossCell.Result r = LossCell.compute(v, data, LossKind.MSE, Progress.NONE);
            String pat0 = Nets.patterns(m, data);
            assertEquals(pat0, r.pattern());
            assertTrue(r.inClosedCell(r.point()));
            for (int k = 0; k < 40; k++) {
                Rational[] u = r.point();
                Rational scale = Rational.of(1, 1 + rnd.nextInt(8));
                for (int a = 0; a < u.length; a++) {
                    u[a] = u[a].add(Nets.q(rnd).multiply(scale));
                }
                if (r.inInterior(u)) {
                    inside++;
                    assertEquals(pat0, Nets.patterns(v.at(u), data), "a point inside the cell keeps every pattern");
                    assertEquals(Nets.mse(v.at(u), data), r.quadraticAt(u), "inside the cell the loss is the quadratic");
                } else if (!r.inClosedCell(u)) {
                    outside++;
                    assertTrue(!pat0.equals(Nets.patterns(v.at(u), data)), "a point outside the cell changes some pattern");
                }
            }
            LossCell.Minimiser min = LossCell.minimiser(r);
            assertTrue(min.exists(), "Gauss-Newton: g lies in range(H)");
            Rational[] grad = r.gradientAt(min.point());
            for (Rational gi : grad) {
                assertEquals(Rational.ZERO, gi, "the gradient vanishes at the minimiser");
            }
            if (min.localMinimum()) {
                minima++;
                assertEquals(pat0, Nets.patterns(v.at(min.point()), data));
                assertEquals(Nets.mse(v.at(min.point()), data), min.value());
            }
        }
        assertTrue(inside > 20 && outside > 20, "inside " + inside + ", outside " + outside);
        System.out.println("LossCellTest: " + inside + " points inside, " + outside + " outside, " + minima + " interior minimisers");
    }

    @Test
    void symbolsOfTheLayerAreTheVariables() {
        // relu(a·x + b) - y on three points; the weight and bias of layer 0 are the symbols a, b
        Layer.Dense d = new Layer.Dense(null, Tensor.of(Shape.of(1, 1), new Scalar[]{new Symbol("a")}),
                Tensor.of(Shape.of(1), new Scalar[]{new Symbol("b")}));
        Model m = new Model("sym", Shape.of(1), List.of(d, Layer.AbRelu.relu(null)));
        DataSet data = new DataSet(Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.of(2)}, {Rational.of(-1)}}),
                Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.of(3)}, {Rational.ZERO}}));
        Variables v = Variables.of(m, "0", Map.of("a", Rational.ONE, "b", Rational.HALF), false);
        assertTrue(v.symbolic());
        assertEquals(List.of("a", "b"), v.names());
        LossCell.Result r = LossCell.compute(v, data, LossKind.SSE, Progress.NONE);
        // at a = 1, b = 1/2 the points x = 1, 2 are active, x = -1 is not:
        // loss = (a + b - 1)^2 + (2a + b - 3)^2 = 5a^2 + 6ab + 2b^2 - 14a - 8b + 10
        String expr = QuadraticText.expression(r, v, Cas.get());
        Rational diff = Cas.get().rational("Expand((" + expr.replace("a", Cas.get().symbol("a")).replace("b", Cas.get().symbol("b"))
                + ") - (5*" + Cas.get().symbol("a") + "^2+6*" + Cas.get().symbol("a") + "*" + Cas.get().symbol("b") + "+2*"
                + Cas.get().symbol("b") + "^2-14*" + Cas.get().symbol("a") + "-8*" + Cas.get().symbol("b") + "+10))");
        assertEquals(Rational.ZERO, diff, expr);
        assertTrue(QuadraticText.latex(r, v, Cas.get()).contains("a"));
        LossCell.Minimiser min = LossCell.minimiser(r);
        assertArrayEquals(new Rational[]{Rational.of(2), Rational.of(-1)}, min.point());   // a = 2, b = -1 fits both points
        assertEquals(Rational.ZERO, min.value());
        assertTrue(min.localMinimum());        // at (2, -1): 2·1 - 1 > 0, 2·2 - 1 > 0, -2 - 1 < 0: interior
    }

    @Test
    void aLongSymbolicQuadraticIsOneLineAndEqualsTheLoss() {
        // relu(a x1 + b x2 + c x3 + d) on four points, all four symbols the variables: the expanded
        // quadratic has 15 terms, longer than Symja's output line, so its text form would wrap.
        // Reference: the exact loss of the bound model (Nets.mse, its own forward pass) at points of the cell.
        Scalar[] w = {new Symbol("a"), new Symbol("b"), new Symbol("c")};
        Layer.Dense d = new Layer.Dense(null, Tensor.of(Shape.of(1, 3), w), Tensor.of(Shape.of(1), new Scalar[]{new Symbol("d")}));
        Model m = new Model("sym4", Shape.of(3), List.of(d, Layer.AbRelu.relu(null)));
        Rational[][] xs = {{Rational.of(3, 7), Rational.of(-5, 11), Rational.of(2, 13)}, {Rational.of(9, 17), Rational.of(4, 19), Rational.of(-1, 23)},
                {Rational.of(6, 29), Rational.of(7, 31), Rational.of(8, 37)}, {Rational.of(-2, 41), Rational.of(10, 43), Rational.of(5, 47)}};
        Rational[][] ys = {{Rational.of(1, 3)}, {Rational.of(-2, 5)}, {Rational.of(7, 9)}, {Rational.of(4, 11)}};
        DataSet data = new DataSet(Tensor.matrix(xs), Tensor.matrix(ys));
        Map<String, Rational> at = Map.of("a", Rational.ONE, "b", Rational.ONE, "c", Rational.ONE, "d", Rational.ONE);
        Variables v = Variables.of(m, "0", at, false);
        LossCell.Result r = LossCell.compute(v, data, LossKind.MSE, Progress.NONE);
        String expr = QuadraticText.expression(r, v, Cas.get());
        assertTrue(expr.length() > 100, expr);
        assertTrue(!expr.contains("\n") && !expr.contains("\r"), "one line: " + expr);
        Rational[][] points = {{Rational.ONE, Rational.ONE, Rational.ONE, Rational.ONE},
                {Rational.of(3, 2), Rational.of(1, 2), Rational.of(2), Rational.of(5, 4)}};
        for (Rational[] u : points) {
            String e = expr;
            for (int i = 0; i < 4; i++) {
                e = e.replace(String.valueOf((char) ('a' + i)), "(" + u[i] + ")");
            }
            assertEquals(Nets.patterns(v.at(points[0]), data), Nets.patterns(v.at(u), data));   // same cell
            assertEquals(Nets.mse(v.at(u), data), Cas.get().rational(e), e);
        }
    }

    @Test
    void aPlaneCellIsDescribedInItsTwoCoordinates() {
        Random rnd = new Random(33);
        int inside = 0;
        for (int trial = 0; trial < 5; trial++) {
            Model m = Nets.mlp(rnd, 2, 3, 1);
            DataSet data = Nets.data(rnd, 4, 2, 1);
            LayerParams p = LayerParams.of(m, "0");
            Rational[][] dirs = {Nets.vector(rnd, p.size()), Nets.vector(rnd, p.size())};
            Rational[] ab = {Rational.of(1, 3), Rational.of(-1, 5)};
            Variables v = Variables.along(m, "0", dirs, ab);
            LossCell.Result r = LossCell.compute(v, data, LossKind.MSE, Progress.NONE);
            assertEquals(2, r.hessian().length);
            for (int k = 0; k < 30; k++) {
                Rational[] u = {ab[0].add(Nets.q(rnd).multiply(Rational.of(1, 32))), ab[1].add(Nets.q(rnd).multiply(Rational.of(1, 32)))};
                Rational[] theta = p.values();
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = theta[i].add(dirs[0][i].multiply(u[0])).add(dirs[1][i].multiply(u[1]));
                }
                Model mu = p.in(m, theta);
                if (r.inInterior(u)) {
                    inside++;
                    assertEquals(Nets.mse(mu, data), r.quadraticAt(u));
                    assertEquals(r.pattern(), Nets.patterns(mu, data));
                }
            }
        }
        assertTrue(inside >= 40, "inside " + inside);
    }
}
