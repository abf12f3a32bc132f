package org.netgeom.proofs.catalog;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.ProofsError;
import org.netgeom.proofs.UserModel;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.linalg.Spectra;
import org.netgeom.symbolic.perturb.Factors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Riedi, Balestriero &amp; Baraniuk (2022), "Singular value perturbation and deep network
 * optimization": the local factor of a residual block is I + DW where a plain layer's is DW, and
 * (a) Weyl's inequality ties their spectra, |σ_k(I + DW) − σ_k(DW)| ≤ 1 for every k (Weyl 1912;
 * Horn &amp; Johnson, Topics in Matrix Analysis, Thm 3.3.16); (b) the residual cell is better
 * conditioned: by Weyl again (|σ_k(I + DW) − 1| ≤ ‖DW‖₂), when ‖DW‖₂ ≤ s̄ &lt; 1 every singular
 * value of I + DW lies in [1 − s̄, 1 + s̄], so κ(I + DW) ≤ (1 + s̄)/(1 − s̄), while DW is singular
 * (κ = ∞) as soon as one unit of the cell is off.
 *
 * <p>Checked exactly at random inputs of random residual blocks [dense, relu] with identity
 * shortcut (the same weights give the plain twin): (a) with the exact singular values of
 * {@link Spectra} and {@link Spectra#weyl} (decided exactly, equality included); (b) with s̄ the
 * rational ⌈‖DW‖_F⌉ to 1/64 (an upper bound of ‖DW‖₂) and exact definiteness decisions of
 * (I + DW)ᵀ(I + DW) − (1 − s̄)²I and (1 + s̄)²I − (I + DW)ᵀ(I + DW) ({@link ExactMatrices}).
 *
 * <p>False variant: the shift is exact, σ_k(I + DW) = 1 + σ_k(DW) for every k (decided exactly).
 */
public final class ResnetConditioning extends AbstractTheorem {

    public ResnetConditioning() {
        super("resnet-conditioning", "Residual cells: Weyl ties sigma(I + DW) to sigma(DW), and I + DW is better conditioned",
                "For a residual block's local factor I + DW and its plain twin DW: |sigma_k(I + DW) - sigma_k(DW)| <= 1 for every k; "
                        + "if ||DW||_2 <= s < 1 then every sigma_k(I + DW) lies in [1 - s, 1 + s], so kappa(I + DW) <= (1 + s)/(1 - s), "
                        + "while DW is singular whenever a unit is off.",
                "|\\sigma_k(I+DW)-\\sigma_k(DW)|\\le 1,\\qquad \\|DW\\|_2\\le s<1\\Rightarrow \\kappa(I+DW)\\le\\frac{1+s}{1-s}",
                new Citation("R. H. Riedi, R. Balestriero, R. G. Baraniuk", 2022, "Singular value perturbation and deep network optimization",
                        "residual vs plain local factors; Weyl's inequality (Horn & Johnson, Thm 3.3.16)"),
                "sigma_k(I + DW) = 1 + sigma_k(DW) for every k (an exact shift instead of Weyl's inequality)",
                List.of(new Param("width", "3", "units of the block"), new Param("scale", "1/4", "weights drawn in [-scale, scale]")));
    }

    @Override
    public boolean acceptsModel() {
        return true;
    }

    /** Running totals over the checked factors. */
    private static final class Tally {
        int pairs;
        int factors;
        int singularPlain;
        Rational worstKappaBound = Rational.ZERO;
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int width = ctx.intParam(this, "width", 1);
        Rational scale = ctx.positiveParam(this, "scale");
        Model user = ctx.model() == null ? null : UserModel.piecewiseLinear(ctx, id());
        int n = ctx.instances(user != null ? 8 : 12);
        Random rnd = ctx.random(id());
        Tally tally = new Tally();
        ctx.progress().start(id(), n);
        for (int inst = 0; inst < n; inst++) {
            Model m;
            Rational[] x;
            if (user != null) {
                m = user;
                x = UserModel.point(ctx, m, rnd);
            } else {
                Rational[][] w = new Rational[width][width];
                for (Rational[] row : w) {
                    for (int j = 0; j < width; j++) {
                        row[j] = Rational.of(rnd.nextInt(17) - 8, 8).multiply(scale);
                    }
                }
                Rational[] b = new Rational[width];
                x = new Rational[width];
                for (int j = 0; j < width; j++) {
                    b[j] = Rational.of(rnd.nextInt(9) - 4, 16);
                    x[j] = Rational.of(rnd.nextInt(17) - 8, 8);
                }
                m = new Model("resnet-block", Shape.of(width), List.of(new Layer.Residual(null, List.of(
                        new Layer.Dense(null, org.netgeom.ir.Tensor.matrix(w), org.netgeom.ir.Tensor.vector(b)), Layer.AbRelu.relu(null)), null)));
            }
            List<Factors.Factor> blocks = Factors.at(m, x).stream()
                    .filter(f -> f.kind() == Factors.Kind.RESIDUAL && f.identityShortcut()).toList();
            if (blocks.isEmpty()) {
                throw ProofsError.MODEL_NOT_APPLICABLE.at("--model", "resnet-conditioning needs a residual block with an identity "
                        + "shortcut (a top-level residual op without a shortcut list)");
            }
            for (Factors.Factor f : blocks) {
                CheckResult bad = checkFactor(ctx, tally, m, x, f, inst + 1);
                if (bad != null) {
                    ctx.progress().done();
                    return bad;
                }
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        if (ctx.falseVariant()) {
            return result(ctx, Verdict.INCONCLUSIVE, n, Map.of("weylPairs", tally.pairs), null,
                    List.of("every pair happened to be shifted by exactly 1"));
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("weylPairs", tally.pairs);
        ev.put("instances", n);
        ev.put("residualFactors", tally.factors);
        ev.put("plainFactorsSingular", tally.singularPlain);
        ev.put("largestKappaBoundResidual", tally.worstKappaBound.toDecimalString(8));
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "Weyl's inequality decided exactly for every pair (certified singular values, equality proved algebraically)",
                "every sigma_k(I + DW) certified in [1 - s, 1 + s] with s = ceil(||DW||_F) to 1/64 where that s is < 1, by exact "
                        + "definiteness tests; plainFactorsSingular of the plain twins have a dead unit, hence kappa(DW) = infinity"));
    }

    /** Checks one residual factor I + J_body at x; returns the violated result, or null. */
    private CheckResult checkFactor(CheckContext ctx, Tally tally, Model m, Rational[] x, Factors.Factor f, int instances) {
        tally.factors++;
        Rational[][] plain = f.body();             // D W (the body's local map)
        Rational[][] res = f.block();              // I + D W
        List<Spectra.Singular> sp = Spectra.singularValues(plain);
        List<Spectra.Singular> sr = Spectra.singularValues(res);
        List<Spectra.WeylPair> weyl = Spectra.weyl(sr, sp);
        for (Spectra.WeylPair p : weyl) {
            tally.pairs++;
            boolean ok = ctx.falseVariant()
                    ? Spectra.signOfGapMinusOne(p.withIdentity().squared(), p.without().squared()) == 0
                    : p.holds();
            if (!ok) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("x", Instances.exact(x));
                ce.put("block", f.layers());
                ce.put("k", p.k());
                ce.put("sigmaResidual", p.withIdentity().value().toString());
                ce.put("sigmaPlain", p.without().value().toString());
                ce.put("difference", p.gap().toString());
                return result(ctx, Verdict.VIOLATED, instances, Map.of("weylPairs", tally.pairs), ce, List.of(ctx.falseVariant()
                        ? "sigma_" + p.k() + "(I + DW) - sigma_" + p.k() + "(DW) is not exactly 1"
                        : "Weyl's inequality fails for k = " + p.k()));
            }
        }
        if (ctx.falseVariant()) {
            return null;
        }
        Rational fro = Rational.ZERO;
        boolean dead = false;
        for (Rational[] row : plain) {
            boolean zero = true;
            for (Rational v : row) {
                fro = fro.add(v.multiply(v));
                zero &= v.isZero();
            }
            dead |= zero;
        }
        tally.singularPlain += dead ? 1 : 0;
        Rational sbar = sqrtUp(fro, 64);
        if (sbar.compareTo(Rational.ONE) < 0) {
            Rational[][] g = ExactMatrices.gram(transpose(res));            // (I+DW)^T (I+DW)
            Rational lo = Rational.ONE.subtract(sbar);
            Rational hi = Rational.ONE.add(sbar);
            boolean below = ExactMatrices.definite(ExactMatrices.shift(g, lo.multiply(lo)), false).holds();
            boolean above = ExactMatrices.definite(ExactMatrices.shift(negate(g), hi.multiply(hi).negate()), false).holds();
            if (!below || !above) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("x", Instances.exact(x));
                ce.put("block", f.layers());
                ce.put("sBar", sbar.toString());
                ce.put("sigmaMinAtLeast1MinusS", below);
                ce.put("sigmaMaxAtMost1PlusS", above);
                return result(ctx, Verdict.VIOLATED, instances, Map.of("weylPairs", tally.pairs), ce,
                        List.of("a singular value of I + DW leaves [1 - s, 1 + s]"));
            }
            tally.worstKappaBound = tally.worstKappaBound.max(hi.divide(lo));
        }
        return null;
    }

    /** The smallest multiple of 1/den whose square is at least q. */
    private static Rational sqrtUp(Rational q, long den) {
        java.math.BigInteger scaled = q.multiply(Rational.of(den * den)).ceil();
        java.math.BigInteger r = scaled.sqrt();
        if (r.multiply(r).compareTo(scaled) < 0) {
            r = r.add(java.math.BigInteger.ONE);
        }
        return Rational.of(r, java.math.BigInteger.valueOf(den));
    }

    private static Rational[][] transpose(Rational[][] a) {
        Rational[][] t = new Rational[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static Rational[][] negate(Rational[][] a) {
        Rational[][] out = new Rational[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                out[i][j] = a[i][j].negate();
            }
        }
        return out;
    }
}
