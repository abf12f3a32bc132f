package org.netgeom.proofs.catalog;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Figure;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.kernels.DuRate;
import org.netgeom.symbolic.kernels.KernelOptions;
import org.netgeom.symbolic.kernels.KernelResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Du, Zhai, Póczos &amp; Singh (ICLR 2019), "Gradient descent provably optimizes
 * over-parameterized neural networks": Theorem 3.1 (λ₀ = λ_min(H∞) &gt; 0 when no two inputs are
 * parallel) and Theorem 4.1 (gradient descent on f(x) = (1/√m) Σ_r a_r relu(w_rᵀx) with a fixed,
 * w_r ~ N(0, I), ‖x_i‖ = 1, loss ½‖y − u‖² and step η = O(λ₀/n²) satisfies
 * ‖y − u(k)‖² ≤ (1 − ηλ₀/2)^k ‖y − u(0)‖² for all k, when m = Ω(n⁶/(λ₀⁴δ³))).
 *
 * <p>Checked on seeded instances: rational unit-norm inputs (stereographic images of rational
 * points, so ‖x_i‖ = 1 exactly), no two parallel (decided exactly), λ₀ certified to 30 digits by
 * {@link Kernels#hInfinity}, then gradient descent in float64 with η = c·λ₀/n² at a width m that
 * is reported beside the width the theorem asks for (with the constants of its proof, see
 * {@link DuRate}); the bound is checked at every step with a relative slack of 1e-9 for float64
 * rounding. The instances meet the unit-norm and non-parallel hypotheses; the width hypothesis is
 * not met (the theorem's m is astronomically large), which the evidence says.
 *
 * <p>False variant: the hypothesis "no two inputs are parallel" is dropped ("λ₀ &gt; 0 for any
 * inputs"). The checker draws a data set with a repeated input and certifies λ₀ = 0 exactly.
 */
public final class DuHinf extends AbstractTheorem {

    public DuHinf() {
        super("du-hinf", "Du et al.: lambda_0(H-infinity) > 0, and gradient descent converges at rate (1 - eta lambda_0 / 2)^k",
                "If no two inputs are parallel, lambda_0 = lambda_min(H-infinity) > 0 with H-infinity_ij = x_i.x_j (pi - arccos(x_i.x_j))/(2 pi); "
                        + "gradient descent with step eta = O(lambda_0/n^2) on the width-m two-layer ReLU net with fixed output layer "
                        + "satisfies ||y - u(k)||^2 <= (1 - eta lambda_0 / 2)^k ||y - u(0)||^2.",
                "\\lambda_0=\\lambda_{\\min}(H^\\infty)>0,\\qquad \\|y-u(k)\\|_2^2\\le\\Big(1-\\frac{\\eta\\lambda_0}{2}\\Big)^k\\|y-u(0)\\|_2^2",
                new Citation("S. S. Du, X. Zhai, B. Poczos, A. Singh", 2019,
                        "Gradient descent provably optimizes over-parameterized neural networks", "Theorem 3.1 and Theorem 4.1"),
                "the hypothesis that no two inputs are parallel is dropped: lambda_0 > 0 is claimed for any inputs",
                List.of(new Param("points", "4", "n"), new Param("dim", "3", "input dimension d"),
                        new Param("width", "4096", "hidden units m actually trained"), new Param("steps", "300", "gradient steps k"),
                        new Param("c", "1", "step size eta = c lambda_0 / n^2"), new Param("delta", "1/10", "failure probability for the width")));
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int n = ctx.intParam(this, "points", 1);
        int d = ctx.intParam(this, "dim", 1);
        int m = ctx.intParam(this, "width", 1);
        int steps = ctx.intParam(this, "steps", 1);
        Rational c = ctx.positiveParam(this, "c");
        Rational delta = ctx.rationalParam(this, "delta");
        int instances = ctx.instances(3);
        Random rnd = ctx.random(id());
        Map<String, Object> ev = new LinkedHashMap<>();
        double worst = 0;
        List<Figure> figures = new ArrayList<>();
        ctx.progress().start(id(), instances);
        for (int inst = 0; inst < instances; inst++) {
            Rational[][] x = new Rational[n][];
            for (int i = 0; i < n; i++) {
                x[i] = unitVector(rnd, d);
            }
            if (ctx.falseVariant()) {
                x[n - 1] = x[0].clone();               // a repeated (parallel) input: the dropped hypothesis
            }
            Rational[][] y = new Rational[n][1];
            for (int i = 0; i < n; i++) {
                y[i][0] = Rational.of(rnd.nextInt(9) - 4, 4);
            }
            boolean parallel = anyParallel(x);
            KernelResult h = ctx.engines().hInfinity().of(dataSet(x, y), KernelOptions.defaults().withDigits(30));
            BigDecimal lambda0 = h.lambdaMin();
            boolean positive = lambda0.signum() > 0 && h.exactZeros() == 0;
            if (!positive) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("x", rows(x));
                ce.put("lambda0", KernelResult.format(lambda0));
                ce.put("exactZeros", h.exactZeros());
                ce.put("zeroCertificate", h.zeroCertificate());
                ce.put("parallelPair", parallel);
                ev.put("lambda0", KernelResult.format(lambda0));
                ev.put("noTwoParallel", !parallel);
                ctx.progress().done();
                Verdict v = parallel && !ctx.falseVariant() ? Verdict.INCONCLUSIVE : Verdict.VIOLATED;
                return result(ctx, v, inst + 1, ev, ce, List.of(parallel
                        ? "two inputs are parallel and lambda_0 = 0 exactly (" + h.zeroCertificate() + ")"
                        : "lambda_0 = 0 although no two inputs are parallel"));
            }
            if (parallel) {
                continue;                                // the theorem says nothing here
            }
            double l0 = lambda0.doubleValue();
            double eta = c.doubleValue() * l0 / ((double) n * n);
            double[] trace = new double[steps + 1];
            double ratio = gradientDescent(x, y, m, steps, eta, l0, rnd.nextLong(), trace);
            if (figures.isEmpty()) {
                double[] ks = new double[steps + 1];
                double[] bound = new double[steps + 1];
                for (int k = 0; k <= steps; k++) {
                    ks[k] = k;
                    bound[k] = Math.pow(1 - eta * l0 / 2, k);
                }
                figures.add(new Figure("rate", "Du et al.: gradient descent at width " + m + " vs the bound (1 - eta lambda_0/2)^k",
                        "step k", "||y - u(k)||^2 / ||y - u(0)||^2", false, true,
                        List.of(Figure.Series.line("gradient descent", ks, trace), Figure.Series.line("bound", ks, bound))));
            }
            worst = Math.max(worst, ratio);
            DuRate du = DuRate.of(x, y, lambda0, delta, null, null, 6);
            ev.put("lambda0", KernelResult.format(lambda0));
            ev.put("noTwoParallel", true);
            ev.put("unitNorm", du.unitNorm());
            ev.put("widthTrained", m);
            ev.put("widthTheoremOrder", du.widthOrder().toString());
            ev.put("widthWithProofConstants", du.widthWithProofConstants().toString());
            ev.put("eta", eta);
            ev.put("steps", steps);
            if (ratio > 1 + 1e-9) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("x", rows(x));
                ce.put("y", rows(y));
                ce.put("lambda0", KernelResult.format(lambda0));
                ce.put("width", m);
                ce.put("worstRatio", ratio);
                ctx.progress().done();
                return result(ctx, Verdict.INCONCLUSIVE, inst + 1, ev, ce, List.of(
                        "the rate bound failed at a width far below the theorem's, which the theorem does not exclude"));
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        ev.put("maxRatioToBound", worst);
        return result(ctx, Verdict.HOLDS, instances, ev, null, List.of(
                "lambda_0 > 0 certified (30 significant digits, no certified zero eigenvalue) on inputs with no two parallel, decided exactly",
                "||y - u(k)||^2 / ((1 - eta lambda_0/2)^k ||y - u(0)||^2) <= 1 at every step k (maxRatioToBound, float64)",
                "hypotheses met: unit-norm inputs, no two parallel, eta = c lambda_0/n^2; NOT met: the width (widthTrained "
                        + "is far below widthWithProofConstants), so the rate is observed beyond what the theorem guarantees"))
                .withFigures(figures);
    }

    /** A rational point of the unit sphere: the inverse stereographic image of a rational t ∈ Q^(d−1). */
    static Rational[] unitVector(Random rnd, int d) {
        Rational[] t = new Rational[d - 1];
        Rational s = Rational.ZERO;
        for (int i = 0; i < d - 1; i++) {
            t[i] = Rational.of(rnd.nextInt(13) - 6, 1 + rnd.nextInt(4));
            s = s.add(t[i].multiply(t[i]));
        }
        Rational den = s.add(Rational.ONE);
        Rational[] x = new Rational[d];
        for (int i = 0; i < d - 1; i++) {
            x[i] = t[i].multiply(Rational.TWO).divide(den);
        }
        x[d - 1] = s.subtract(Rational.ONE).divide(den);
        return x;
    }

    /** True when some x_i = c·x_j, c > 0 (for unit vectors: equal); decided exactly. */
    static boolean anyParallel(Rational[][] x) {
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (java.util.Arrays.equals(x[i], x[j])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static DataSet dataSet(Rational[][] x, Rational[][] y) {
        int n = x.length;
        int d = x[0].length;
        Rational[] xs = new Rational[n * d];
        Rational[] ys = new Rational[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, xs, i * d, d);
            ys[i] = y[i][0];
        }
        return new DataSet(Tensor.of(Shape.of(n, d), xs), Tensor.of(Shape.of(n, 1), ys));
    }

    private static List<List<String>> rows(Rational[][] x) {
        List<List<String>> out = new ArrayList<>();
        for (Rational[] r : x) {
            out.add(Instances.exact(r));
        }
        return out;
    }

    /**
     * Gradient descent on ½‖y − u‖², u_i = (1/√m) Σ_r a_r relu(w_r·x_i), w_r ~ N(0, I), a_r ~ ±1
     * fixed; returns max over k ≤ steps of ‖y − u(k)‖² / ((1 − ηλ₀/2)^k ‖y − u(0)‖²).
     */
    static double gradientDescent(Rational[][] xq, Rational[][] yq, int m, int steps, double eta, double lambda0, long seed,
                                  double[] trace) {
        int n = xq.length;
        int d = xq[0].length;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = xq[i][j].doubleValue();
            }
            y[i] = yq[i][0].doubleValue();
        }
        Random r = new Random(seed);
        double[][] w = new double[m][d];
        double[] a = new double[m];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < d; j++) {
                w[k][j] = r.nextGaussian();
            }
            a[k] = r.nextBoolean() ? 1 : -1;
        }
        double scale = 1 / Math.sqrt(m);
        double rate = 1 - eta * lambda0 / 2;
        double e0 = -1;
        double worst = 0;
        double bound = 1;
        double[] u = new double[n];
        double[][] pre = new double[m][n];
        for (int step = 0; step <= steps; step++) {
            java.util.Arrays.fill(u, 0);
            for (int k = 0; k < m; k++) {
                for (int i = 0; i < n; i++) {
                    double z = 0;
                    for (int j = 0; j < d; j++) {
                        z += w[k][j] * x[i][j];
                    }
                    pre[k][i] = z;
                    if (z > 0) {
                        u[i] += a[k] * z * scale;
                    }
                }
            }
            double err = 0;
            for (int i = 0; i < n; i++) {
                err += (y[i] - u[i]) * (y[i] - u[i]);
            }
            if (e0 < 0) {
                e0 = err;
            }
            worst = Math.max(worst, err / (bound * e0));
            if (trace != null) {
                trace[step] = err / e0;
            }
            bound *= rate;
            if (step == steps) {
                break;
            }
            for (int k = 0; k < m; k++) {                 // dL/dw_k = (1/√m) a_k Σ_i (u_i − y_i) 1{w_k·x_i > 0} x_i
                for (int i = 0; i < n; i++) {
                    if (pre[k][i] > 0) {
                        double g = eta * scale * a[k] * (u[i] - y[i]);
                        for (int j = 0; j < d; j++) {
                            w[k][j] -= g * x[i][j];
                        }
                    }
                }
            }
        }
        return worst;
    }
}
