package org.netgeom.symbolic.loss;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.linalg.QMatrix;
import org.netgeom.symbolic.linalg.Spectra;

import java.util.ArrayList;
import java.util.List;

/**
 * The cell of parameter space that contains a point u0, and the exact quadratic the loss is on it
 * (Riedi, Balestriero &amp; Baraniuk 2022: with the data fixed, a piecewise-linear network is
 * piecewise affine in one layer's parameters, so the squared loss is piecewise quadratic there).
 *
 * <p>On the cell every data point keeps its activation pattern, so its output is affine in the
 * variables, f(x_i; u) = J_i u + a_i (J_i the local Jacobian, k × m), and
 * loss(u) = s Σ_i ‖J_i u + a_i − y_i‖² = ½ uᵀHu + gᵀu + c with the Gauss–Newton form
 * H = 2s Σ J_iᵀJ_i, g = 2s Σ J_iᵀ(a_i − y_i), c = s Σ ‖a_i − y_i‖², s = 1/(N·k) for mse and 1
 * for sse. (For a piecewise-linear net the Hessian of the squared loss inside a cell is exactly
 * this Gauss–Newton matrix: the residual term vanishes because f is affine there.)
 *
 * <p>The cell is the set of u where every unit of every data point keeps its branch:
 * {@code normal·u + offset > 0} for units on the '1' branch and ≥ 0 for the others (and max-pool
 * winners), one inequality per unit and data point; units whose pre-activation does not depend on
 * u give no inequality.
 */
public final class LossCell {
    private LossCell() {
    }

    /** One inequality of the cell: normal·u + offset &gt; 0 (strict) or ≥ 0; from unit {@code unit} of {@code layer} on data point {@code data}. */
    public record Inequality(int data, String layer, int unit, Rational[] normal, Rational offset, boolean strict) {
        /** normal·u + offset. */
        public Rational valueAt(Rational[] u) {
            return ExactMatrices.dot(normal, u).add(offset);
        }
    }

    /** The cell, its quadratic ½uᵀHu + gᵀu + c, the local Jacobians J_i and the loss's factor s. */
    public record Result(String pattern, boolean onBoundary, List<Inequality> cell, Rational[][] hessian, Rational[] g,
                         Rational c, List<Rational[][]> jacobians, Rational[] point, Rational value, Rational scale) {
        /** The local Jacobians stacked (N·k × m): H = 2s JᵀJ. */
        public Rational[][] stackedJacobian() {
            List<Rational[]> rows = new ArrayList<>();
            for (Rational[][] j : jacobians) {
                rows.addAll(java.util.Arrays.asList(j));
            }
            return rows.toArray(new Rational[0][]);
        }

        /** H's eigenvalues with multiplicities, increasing, through the smaller Gram matrix of the stacked Jacobian. */
        public List<Spectra.Eigen> eigenvalues() {
            return Spectra.gramEigenvalues(stackedJacobian(), scale.multiply(2));
        }

        /** The quadratic's value at u. */
        public Rational quadraticAt(Rational[] u) {
            return ExactMatrices.dot(u, ExactMatrices.times(hessian, u)).multiply(Rational.HALF).add(ExactMatrices.dot(g, u)).add(c);
        }

        /** The gradient H u + g. */
        public Rational[] gradientAt(Rational[] u) {
            Rational[] r = ExactMatrices.times(hessian, u);
            for (int i = 0; i < r.length; i++) {
                r[i] = r[i].add(g[i]);
            }
            return r;
        }

        /** Whether u lies in the closed cell (every inequality ≥ 0). */
        public boolean inClosedCell(Rational[] u) {
            for (Inequality q : cell) {
                if (q.valueAt(u).signum() < 0) {
                    return false;
                }
            }
            return true;
        }

        /** Whether u lies in the cell's interior (every inequality &gt; 0). */
        public boolean inInterior(Rational[] u) {
            for (Inequality q : cell) {
                if (q.valueAt(u).signum() <= 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The cell of {@code vars} at their point, for the data and loss. */
    public static Result compute(Variables vars, DataSet data, LossKind loss, Progress progress) {
        LossKind.requireFits(data, vars.model());
        int m = vars.size();
        Rational[] u0 = vars.point();
        AffineForward.Target target = vars.target();
        AffineForward.Chooser at = AffineForward.atPoint(u0);
        Rational s = loss.scale(data);
        Rational two = s.multiply(2);
        Rational[][] h = QMatrix.zeros(m, m);
        Rational[] g = QMatrix.zeros(1, m)[0];
        Rational c = Rational.ZERO;
        List<Inequality> cell = new ArrayList<>();
        List<Rational[][]> jac = new ArrayList<>();
        StringBuilder pattern = new StringBuilder();
        boolean boundary = false;
        progress.start("loss cell", data.size());
        try {
            for (int i = 0; i < data.size(); i++) {
                AffineForward.Result r = AffineForward.run(vars.model(), AffineForward.constant(data.x(i), m), m, target, at);
                if (i > 0) {
                    pattern.append('|');
                }
                pattern.append(r.pattern());
                for (AffineForward.Constraint q : r.constraints()) {
                    if (q.isConstant()) {
                        continue;
                    }
                    Rational[] normal = new Rational[m];
                    System.arraycopy(q.g(), 1, normal, 0, m);
                    Inequality ineq = new Inequality(i, q.layer(), q.unit(), normal, q.g()[0], q.strict());
                    boundary |= ineq.valueAt(u0).signum() == 0;
                    cell.add(ineq);
                }
                Rational[] y = data.y(i);
                Rational[][] ji = new Rational[y.length][m];
                for (int j = 0; j < y.length; j++) {
                    Rational[] row = r.output()[j];
                    System.arraycopy(row, 1, ji[j], 0, m);
                    Rational res = row[0].subtract(y[j]);
                    c = c.add(res.multiply(res).multiply(s));
                    for (int a = 0; a < m; a++) {
                        Rational wa = ji[j][a];
                        if (wa.isZero()) {
                            continue;
                        }
                        g[a] = g[a].add(two.multiply(res).multiply(wa));
                        Rational twa = two.multiply(wa);
                        for (int b = a; b < m; b++) {
                            if (!ji[j][b].isZero()) {
                                h[a][b] = h[a][b].add(twa.multiply(ji[j][b]));
                            }
                        }
                    }
                }
                jac.add(ji);
                progress.step(1);
            }
        } finally {
            progress.done();
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                h[a][b] = h[b][a];
            }
        }
        Result res = new Result(pattern.toString(), boundary, cell, h, g, c, jac, u0, null, s);
        return new Result(res.pattern(), boundary, cell, h, g, c, jac, u0, res.quadraticAt(u0), s);
    }

    /** The minimiser of the quadratic and what it says about the loss. */
    public record Minimiser(Rational[] point, Rational value, boolean unique, boolean exists, boolean inCell,
                            boolean interior) {
        /** True when the minimiser lies in the cell's interior: then it is an exact local minimum of the loss. */
        public boolean localMinimum() {
            return exists && interior;
        }
    }

    /**
     * The minimiser of ½uᵀHu + gᵀu + c: −H⁻¹g when H is non-singular, else the minimum-norm
     * minimiser −H⁺g (g lies in range(H) for the Gauss–Newton form, so the minimum is attained on
     * an affine set of dimension m − rank H). It is an exact local minimum of the loss (in L's
     * parameters, the rest fixed) when it lies in the cell's interior, where loss = quadratic.
     */
    public static Minimiser minimiser(Result r) {
        Rational[] minusG = new Rational[r.g().length];
        for (int i = 0; i < minusG.length; i++) {
            minusG[i] = r.g()[i].negate();
        }
        boolean unique = QMatrix.rank(r.hessian()) == minusG.length;
        Rational[] u = unique ? QMatrix.solve(r.hessian(), minusG) : QMatrix.minNormSolve(r.hessian(), minusG);
        if (u == null) {
            return new Minimiser(null, null, false, false, false, false);
        }
        return new Minimiser(u, r.quadraticAt(u), unique, true, r.inClosedCell(u), r.inInterior(u));
    }
}
