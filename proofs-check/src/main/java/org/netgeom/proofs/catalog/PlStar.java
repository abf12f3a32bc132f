package org.netgeom.proofs.catalog;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.UserModel;
import org.netgeom.proofs.Verdict;
import org.netgeom.numeric.curvature.SymEig;
import org.netgeom.proofs.ParamDifferences;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.ExactMatrices;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The PL* inequality of Liu, Zhu &amp; Belkin (2022, "Loss landscapes and optimization in
 * over-parameterized non-linear systems and neural networks", Sec. 3, Definition 2 and
 * Theorem 2 / Eq. (7)): for the square loss L(w) = ½‖F(w) − y‖² with F(w) = (f(w; x_i))_i and
 * the tangent kernel K(w) = DF(w) DF(w)ᵀ,
 * ‖∇L(w)‖² = (F − y)ᵀ K (F − y) ≥ λ_min(K(w)) ‖F − y‖² = 2 λ_min(K(w)) L(w).
 *
 * <p>Checked exactly at random parameter points of small ReLU networks (or the user's model), with
 * the two sides computed by two different engines, so that the check is not Rayleigh's
 * inequality on one matrix: ∇L by backpropagation through the network (exact reverse mode seeded
 * with each point's residual, {@link org.netgeom.proofs.Engines#lossGradient}), and DF, hence K,
 * by exact forward differences of the exact forward pass ({@link ParamDifferences}, no backward
 * pass). The inequality is decided without computing λ_min: it holds iff λ_min(K) ≤ R with the
 * rational R = ‖∇L‖²/(2L), i.e. iff K − R·I is not positive definite, an exact decision that
 * comes with a vector v, vᵀ(K − RI)v ≤ 0, checked exactly. Every second instance with seeded
 * targets takes y = F − r with r K's bottom eigenvector to 2^-20, where the inequality is tight
 * (margin O(2^-40)): a gradient engine that loses part of the gradient (a unit dropped, a factor
 * lost) then fails it. A certified rational enclosure of λ_min is reported as evidence. (With
 * PyTorch's MSELoss, the mean over n points, the same statement reads
 * ‖∇L_mse‖² ≥ (4/n) λ_min(K) L_mse.)
 *
 * <p>False variant: the constant is λ_max(K) instead of λ_min(K) (the kernel's eigenvalue that the
 * step-size conditions of the same literature use). Nothing in the statement's arithmetic refutes
 * it; the network's K and gradient do, whenever the residual is not a top eigenvector, and the
 * checker exhibits v with vᵀ(R·I − K)v &lt; 0, i.e. λ_max &gt; R.
 */
public final class PlStar extends AbstractTheorem {

    public PlStar() {
        super("pl-star", "PL* condition: the gradient norm is bounded below by the tangent kernel's smallest eigenvalue",
                "For the square loss L(w) = 1/2 ||F(w) - y||^2 and the tangent kernel K(w) = DF(w) DF(w)^T, "
                        + "||grad L(w)||^2 >= 2 lambda_min(K(w)) L(w) at every w.",
                "\\|\\nabla L(w)\\|^2 \\ge 2\\,\\lambda_{\\min}\\big(K(w)\\big)\\,L(w),\\quad L(w)=\\tfrac12\\|F(w)-y\\|^2,\\;"
                        + " K(w) = DF(w)\\,DF(w)^\\top",
                new Citation("C. Liu, L. Zhu, M. Belkin", 2022,
                        "Loss landscapes and optimization in over-parameterized non-linear systems and neural networks",
                        "Section 3, Definition 2 (PL*) and Eq. (7)"),
                "the constant is the largest eigenvalue of the tangent kernel, lambda_max(K), instead of lambda_min(K)",
                List.of(new Param("inputs", "2", "input dimension"), new Param("width", "4", "hidden ReLU units"),
                        new Param("points", "3", "data points n")));
    }

    @Override
    public boolean acceptsModel() {
        return true;
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int inputs = ctx.intParam(this, "inputs", 1);
        int width = ctx.intParam(this, "width", 1);
        int points = ctx.intParam(this, "points", 1);
        Model user = ctx.model() == null ? null : UserModel.piecewiseLinear(ctx, id());
        int n = user != null && ctx.data() != null ? 1 : ctx.instances(user != null ? 3 : 8);
        Random rnd = ctx.random(id());
        Rational worstGap = null;
        Map<String, Object> last = new LinkedHashMap<>();
        ctx.progress().start(id(), n);
        for (int inst = 0; inst < n; inst++) {
            Model m;
            DataSet data;
            if (user != null) {
                m = user;
                data = UserModel.data(ctx, m, points, rnd);
            } else {
                m = new Model("pl-star-instance", Shape.of(inputs), List.of(
                        new Layer.Dense(null, Instances.matrix(rnd, width, inputs, 6, 3), Instances.vector(rnd, width, 6, 3)),
                        Layer.AbRelu.relu(null),
                        new Layer.Dense(null, Instances.matrix(rnd, 1, width, 6, 3), Instances.vector(rnd, 1, 6, 3))));
                Rational[] xs = new Rational[points * inputs];
                Rational[] ys = new Rational[points];
                for (int i = 0; i < points; i++) {
                    System.arraycopy(Instances.vector(rnd, inputs, 6, 4).rationals(), 0, xs, i * inputs, inputs);
                    ys[i] = Instances.rational(rnd, 6, 4);
                }
                data = new DataSet(Tensor.of(Shape.of(points, inputs), xs), Tensor.of(Shape.of(points, 1), ys));
            }
            // F stacks every output of every data point: K = DF DF^T is (N k) x (N k), DF by exact forward differences
            int outs = m.output().size();
            Rational[][] jac = jacobianByDifferences(m, data);
            if (jac == null) {
                if (user != null) {
                    ctx.progress().done();
                    return result(ctx, Verdict.INCONCLUSIVE, inst + 1, last, null, List.of(
                            "a data point sits on a kink of the network (a pre-activation is exactly 0): F is not differentiable there"));
                }
                inst--;                               // a seeded point on a kink: draw the instance again
                continue;
            }
            Rational[][] k = ExactMatrices.gram(jac);
            boolean tight = ctx.data() == null && inst % 2 == 1;
            if (tight) {
                data = tightTargets(m, data, k);      // residual = K's bottom eigenvector to 2^-20: the inequality is tight
            }
            Rational[] r = new Rational[data.size() * outs];
            for (int i = 0; i < data.size(); i++) {
                Rational[] f = ExactForward.eval(m, data.x(i));
                for (int o = 0; o < outs; o++) {
                    r[i * outs + o] = f[o].subtract(data.y(i)[o]);
                }
            }
            Rational rr = ExactMatrices.dot(r, r);
            if (rr.isZero()) {
                continue;                         // L = 0: both sides vanish
            }
            Rational loss = rr.multiply(Rational.HALF);
            Rational[] grad = ctx.engines().lossGradient().at(m, data);      // backpropagation through the network
            Rational gradSq = ExactMatrices.dot(grad, grad);
            Rational ratio = gradSq.divide(loss.multiply(Rational.TWO));
            // theorem: lambda_min(K) <= R  <=>  K - R I not positive definite
            // false variant: lambda_max(K) <= R  <=>  R I - K positive semidefinite
            ExactMatrices.Definiteness d = ctx.falseVariant()
                    ? ExactMatrices.definite(ExactMatrices.shift(negate(k), ratio.negate()), false)
                    : ExactMatrices.definite(ExactMatrices.shift(k, ratio), true);
            boolean holds = ctx.falseVariant() == d.holds();
            ExactMatrices.Enclosure lam = ctx.falseVariant() ? ExactMatrices.maxEigenvalue(k, Rational.of(1, 1L << 40))
                    : ExactMatrices.minEigenvalue(k, Rational.of(1, 1L << 40));
            last = evidence(loss, gradSq, ratio, lam, ctx.falseVariant(), data.size(), outs, jac[0].length);
            last.put("residualQuadraticForm", ExactMatrices.quadratic(k, r).toString());
            last.put("tightTargets", tight);
            if (!holds) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("x", Instances.exact(IntStream.range(0, data.size()).mapToObj(data::x).toList()));
                ce.put("y", Instances.exact(IntStream.range(0, data.size()).mapToObj(data::y).toList()));
                ce.put("loss", loss.toString());
                ce.put("gradNormSquared", gradSq.toString());
                ce.put("R", ratio.toString());
                ce.put(ctx.falseVariant() ? "lambdaMaxEnclosure" : "lambdaMinEnclosure", List.of(lam.lo().toString(), lam.hi().toString()));
                if (d.witness() != null) {
                    ce.put("witness", Instances.exact(d.witness()));
                    ce.put("witnessQuadraticForm", d.witnessValue().toString());
                } else {
                    ce.put("certificate", "K - R I positive definite, decided by exact LDL^T (every pivot > 0)");
                }
                ctx.progress().done();
                return result(ctx, Verdict.VIOLATED, inst + 1, last, ce, List.of(ctx.falseVariant()
                        ? "v^T (R I - K) v = " + d.witnessValue() + " < 0 with R = ||grad L||^2 / (2L): lambda_max(K) > R, "
                                + "so ||grad L||^2 < 2 lambda_max(K) L"
                        : "K - R I is positive definite: lambda_min(K) > R, so ||grad L||^2 < 2 lambda_min(K) L"));
            }
            Rational gap = ctx.falseVariant() ? null : ratio.subtract(lam.hi());
            if (gap != null && (worstGap == null || gap.compareTo(worstGap) < 0)) {
                worstGap = gap;
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        if (worstGap != null) {
            last.put("smallestMargin", worstGap.toDecimalString(12));
        }
        return result(ctx, Verdict.HOLDS, n, last, null, List.of(
                "decided exactly: K - R I is not positive definite (a witness v with v^T (K - R I) v <= 0 was found and checked) "
                        + "for R = ||grad L||^2 / (2 L)",
                "grad L by backpropagation through the network (exact reverse mode); K = DF DF^T with DF by exact forward "
                        + "differences of the forward pass (no backward pass): two engines, compared",
                "instances with tightTargets = true have the residual along K's bottom eigenvector (to 2^-20), where the "
                        + "inequality is tight; smallestMargin may then be below 0 by the enclosure's width 2^-40",
                "the instances are two-layer ReLU nets with more parameters than data points, the over-parameterised regime "
                        + "the paper considers; the inequality itself needs no hypothesis"));
    }

    /** DF stacked over the data (row i*k + o), by exact forward differences; null if a point sits on a kink. */
    private static Rational[][] jacobianByDifferences(Model m, DataSet data) {
        int outs = m.output().size();
        Rational[][] jac = new Rational[data.size() * outs][];
        for (int i = 0; i < data.size(); i++) {
            Rational[][] j = ParamDifferences.jacobian(m, data.x(i));
            if (j == null) {
                return null;
            }
            for (int o = 0; o < outs; o++) {
                jac[i * outs + o] = j[o];
            }
        }
        return jac;
    }

    /**
     * Targets y = F − r with r a rational approximation (to 2^-20 per entry) of a unit eigenvector of
     * K's smallest eigenvalue: then rᵀKr = λ_min ‖r‖² up to O(2^-40), the inequality is tight, and a
     * gradient that is short by more than that (a unit's contribution dropped, a factor lost) fails it.
     */
    private static DataSet tightTargets(Model m, DataSet data, Rational[][] k) {
        int n = k.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = k[i][j].doubleValue();
            }
        }
        SymEig.Result e = SymEig.of(a, n, true);
        double[] v = e.vectors()[n - 1];                 // eigenvalues in decreasing order: the last is lambda_min
        int outs = m.output().size();
        Rational[] ys = new Rational[n];
        for (int i = 0; i < data.size(); i++) {
            Rational[] f = ExactForward.eval(m, data.x(i));
            for (int o = 0; o < outs; o++) {
                Rational ri = Rational.of(Math.round(v[i * outs + o] * (1 << 20)), 1L << 20);
                ys[i * outs + o] = f[o].subtract(ri);
            }
        }
        Rational[] xs = new Rational[data.size() * m.input().size()];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.x(i), 0, xs, i * m.input().size(), m.input().size());
        }
        return new DataSet(Tensor.of(Shape.of(data.size(), m.input().size()), xs), Tensor.of(Shape.of(data.size(), outs), ys));
    }

    private static Map<String, Object> evidence(Rational loss, Rational gradSq, Rational ratio, ExactMatrices.Enclosure lam,
                                                boolean fv, int n, int outputs, int params) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("points", n);
        ev.put("outputs", outputs);
        ev.put("parameters", params);
        ev.put("loss", loss.toString());
        ev.put("gradNormSquared", gradSq.toString());
        ev.put("R", ratio.toString());
        ev.put(fv ? "lambdaMaxEnclosure" : "lambdaMinEnclosure", List.of(lam.lo().toDecimalString(15), lam.hi().toDecimalString(15)));
        return ev;
    }

    private static Rational[][] negate(Rational[][] k) {
        Rational[][] out = new Rational[k.length][k.length];
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k.length; j++) {
                out[i][j] = k[i][j].negate();
            }
        }
        return out;
    }
}
