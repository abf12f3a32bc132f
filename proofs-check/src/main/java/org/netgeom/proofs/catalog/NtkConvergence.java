package org.netgeom.proofs.catalog;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;
import org.netgeom.numeric.kernels.WidthSweep;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Figure;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.kernels.Architecture;
import org.netgeom.symbolic.kernels.KernelKind;
import org.netgeom.symbolic.kernels.Kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Jacot, Gabriel &amp; Hongler (2018), "Neural tangent kernel: convergence and generalization in
 * neural networks", Theorem 1: at initialisation, in the NTK parameterisation, the empirical
 * tangent kernel of a fully connected net converges in probability to the deterministic limit Θ
 * as the widths grow (sequentially). Theorem 1 states no rate.
 *
 * <p>The rate checked here is the one observed, not one proved: the relative error falls like
 * W^(−1/2), the central-limit order of an average over W units at fixed depth. The proved
 * non-asymptotic bound we know of is Arora, Du, Hu, Li, Salakhutdinov &amp; Wang (2019), "On exact
 * computation with an infinitely wide neural net", Theorem 3.1 (ReLU, fully connected, inputs in
 * the unit ball): with probability 1 − δ each entry is within (L + 1)ε of Θ once every width is at
 * least of order L⁶ε⁻⁴ log(L/δ), i.e. an error of order W^(−1/4) up to the logarithm: slower than
 * what is observed, and so consistent with it, but not a proof of it.
 *
 * <p>Checked with the numeric engine's random nets {@code stax.serial(*[Dense(W), Relu] * L,
 * Dense(1))} (σ_w² = 2, σ_b² = 0) against the closed-form NTK: the mean relative Frobenius error
 * over seeds must shrink from the smallest to the largest width and its fitted log-log slope must
 * lie in [−0.7, −0.3] (the observed 1/√W rate, −1/2; a window around an observation, not a
 * theorem's constant).
 *
 * <p>False variant: the empirical NTK converges to the NNGP kernel Σ (not Θ). The error then
 * plateaus at the kernels' difference, and the checker reports the fitted slope outside the
 * window with the sweep as counterexample.
 */
public final class NtkConvergence extends AbstractTheorem {

    public NtkConvergence() {
        super("ntk-convergence", "The empirical NTK converges to the analytic NTK as width grows (observed rate 1/sqrt(width))",
                "For stax.serial(*[Dense(W), Relu] * L, Dense(1)) in the NTK parameterisation, the empirical tangent kernel "
                        + "J J^T at initialisation converges to the analytic NTK Theta as W grows (Jacot et al. 2018, Theorem 1, "
                        + "no rate); observed: relative Frobenius error of order W^(-1/2) (the proved bound of Arora et al. 2019, "
                        + "Theorem 3.1, is of order W^(-1/4) up to a logarithm).",
                "\\frac{\\|\\hat\\Theta_W - \\Theta\\|_F}{\\|\\Theta\\|_F}\\xrightarrow[W\\to\\infty]{} 0\\quad(\\text{observed: }\\approx W^{-1/2})",
                new Citation("A. Jacot, F. Gabriel, C. Hongler", 2018,
                        "Neural tangent kernel: convergence and generalization in neural networks",
                        "Theorem 1 (convergence, no rate); the rate is observed; a proved rate: Arora et al. 2019, "
                                + "\"On exact computation with an infinitely wide neural net\", Theorem 3.1, O(W^(-1/4)) up to log"),
                "the empirical NTK converges to the NNGP kernel Sigma instead of the NTK Theta",
                List.of(new Param("depth", "1", "hidden layers L"), new Param("widths", "32,128,512,2048", "widths W"),
                        new Param("seeds", "6", "random nets per width"), new Param("points", "4", "data points"),
                        new Param("dim", "3", "input dimension")));
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int depth = ctx.intParam(this, "depth");
        int seeds = ctx.intParam(this, "seeds", 1);
        int n = ctx.intParam(this, "points", 1);
        int d = ctx.intParam(this, "dim", 1);
        int[] widths = ctx.intListParam(this, "widths", 1);
        int instances = ctx.instances(1);
        Random rnd = ctx.random(id());
        Map<String, Object> ev = new LinkedHashMap<>();
        List<Figure> figures = new ArrayList<>();
        for (int inst = 0; inst < instances; inst++) {
            Rational[][] x = new Rational[n][d];
            double[][] xd = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = Rational.of(rnd.nextInt(17) - 8, 4);
                    xd[i][j] = x[i][j].doubleValue();
                }
            }
            Architecture arch = Architecture.relu(depth);
            double[][] limit = Kernels.doubles(ctx.falseVariant() ? KernelKind.NNGP : KernelKind.NTK, x, arch);
            WidthSweep.Result s = ctx.engines().ntkSweep().run(xd, limit, widths, seeds, rnd.nextLong(),
                    Layer.AbRelu.relu(null), depth, ctx.progress());
            List<Object> pts = new ArrayList<>();
            for (WidthSweep.Point p : s.points()) {
                pts.add(Map.of("width", p.width(), "meanRelativeError", p.meanError(), "stdError", p.stdError()));
            }
            double first = s.points().get(0).meanError();
            double last = s.points().get(s.points().size() - 1).meanError();
            ev.put("sweep", pts);
            ev.put("slope", s.slope());
            ev.put("expectedSlope", -0.5);
            boolean ok = last < first && s.slope() >= -0.7 && s.slope() <= -0.3;
            if (inst == 0) {
                double[] w = s.points().stream().mapToDouble(WidthSweep.Point::width).toArray();
                double[] e = s.points().stream().mapToDouble(WidthSweep.Point::meanError).toArray();
                double[] ref = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    ref[i] = e[0] * Math.sqrt(w[0] / w[i]);
                }
                figures.add(new Figure("width", "Empirical vs analytic NTK: relative Frobenius error", "width W", "relative error",
                        true, true, List.of(Figure.Series.points("mean over seeds", w, e), Figure.Series.line("W^(-1/2)", w, ref))));
            }
            if (!ok) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("x", org.netgeom.proofs.Instances.exact(java.util.Arrays.asList(x)));
                ce.put("limit", ctx.falseVariant() ? "nngp" : "ntk");
                ce.put("sweep", pts);
                ce.put("slope", s.slope());
                return result(ctx, Verdict.VIOLATED, inst + 1, ev, ce, List.of(
                        "the relative error against the claimed limit does not decay like W^(-1/2): fitted slope " + s.slope()));
            }
        }
        return result(ctx, Verdict.HOLDS, instances, ev, null, List.of(
                "relative Frobenius error of J J^T against the closed-form NTK, mean over seeds, fitted log-log slope in [-0.7, -0.3]",
                "the slope window is around the observed W^(-1/2); Jacot et al.'s Theorem 1 states no rate, and the proved bound of "
                        + "Arora et al. 2019 (Theorem 3.1) is of order W^(-1/4) up to a logarithm"))
                .withFigures(figures);
    }
}
