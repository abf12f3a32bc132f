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
import org.netgeom.proofs.ParamDifferences;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.QMatrix;
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
 * <p>D and W are the network's own: the factors come from the project's perturbation code
 * ({@link org.netgeom.proofs.Engines#factors}, {@link Factors#at}) at seeded points inside a
 * region of the given model (the user's with {@code --model}, else random residual blocks
 * [dense, relu] with identity shortcut; every second with weights 8 times larger and units mostly
 * on). Before any spectral statement the factors are checked to be the network's local map, against
 * exact forward differences of the forward pass on x's region ({@link ParamDifferences}): their
 * product is ∂f/∂x, each residual factor is its block's own local map at the block's input, and
 * every unit that the region's pattern has off gives a zero row of DW. Then (a) with the exact
 * singular values of {@link Spectra} and {@link Spectra#weyl} (decided exactly, equality
 * included); (b) with s̄ the rational ⌈‖DW‖_F⌉ to 1/64 (an upper bound of ‖DW‖₂) and exact
 * definiteness decisions of (I + DW)ᵀ(I + DW) − (1 − s̄)²I and (1 + s̄)²I − (I + DW)ᵀ(I + DW)
 * ({@link ExactMatrices}).
 *
 * <p>False variant: the residual factor is never worse conditioned than its plain twin,
 * κ(I + DW) ≤ κ(DW) at every point (the paper's "better conditioned" read as a pointwise law). It
 * holds wherever a unit is off (κ(DW) = ∞) and near I; it fails where the network's DW is invertible
 * with an eigenvalue near −1, refuted by certified enclosures of both condition numbers.
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
                "the residual factor is never worse conditioned than the plain one: kappa(I + DW) <= kappa(DW) at every point",
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
                // every second block has weights 8 times larger and units mostly on: factors far from I, where DW can be
                // well conditioned and I + DW not
                boolean large = inst % 2 == 1;
                Rational[][] w = new Rational[width][width];
                for (Rational[] row : w) {
                    for (int j = 0; j < width; j++) {
                        row[j] = Rational.of(rnd.nextInt(17) - 8, 8).multiply(scale).multiply(Rational.of(large ? 8 : 1));
                    }
                }
                Rational[] b = new Rational[width];
                x = new Rational[width];
                for (int j = 0; j < width; j++) {
                    b[j] = Rational.of(rnd.nextInt(9) - 4 + (large ? 64 : 0), 16);
                    x[j] = Rational.of(rnd.nextInt(17) - 8, 8);
                }
                m = new Model("resnet-block", Shape.of(width), List.of(new Layer.Residual(null, List.of(
                        new Layer.Dense(null, org.netgeom.ir.Tensor.matrix(w), org.netgeom.ir.Tensor.vector(b)), Layer.AbRelu.relu(null)), null)));
            }
            if (ExactForward.run(m, x).onKink()) {
                inst--;                                   // on a region boundary the local factors are not defined: redraw
                continue;
            }
            List<Factors.Factor> all = ctx.engines().factors().at(m, x);      // the perturbation code's local factors
            CheckResult inconsistent = checkProduct(ctx, m, x, all, inst + 1);
            if (inconsistent != null) {
                ctx.progress().done();
                return inconsistent;
            }
            List<Factors.Factor> blocks = all.stream()
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
            return result(ctx, Verdict.INCONCLUSIVE, n, Map.of("residualFactors", tally.factors), null,
                    List.of("no point had a residual factor decidedly worse conditioned than its plain twin"));
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
        if (ctx.falseVariant()) {
            return checkKappaClaim(ctx, tally, m, x, f, res, plain, instances);
        }
        List<Spectra.WeylPair> weyl = Spectra.weyl(sr, sp);
        for (Spectra.WeylPair p : weyl) {
            tally.pairs++;
            if (!p.holds()) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("x", Instances.exact(x));
                ce.put("block", f.layers());
                ce.put("k", p.k());
                ce.put("sigmaResidual", p.withIdentity().value().toString());
                ce.put("sigmaPlain", p.without().value().toString());
                ce.put("difference", p.gap().toString());
                return result(ctx, Verdict.VIOLATED, instances, Map.of("weylPairs", tally.pairs), ce,
                        List.of("Weyl's inequality fails for k = " + p.k()));
            }
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

    /**
     * The factors must be the network's own local map: their product equals ∂f/∂x at x by exact
     * forward differences of the forward pass, each residual factor I + J_body equals the block's
     * own difference Jacobian at the block's input, and where the body ends in a relu, every unit
     * that x's region has off gives a zero row of DW (D from the region's pattern). Returns the
     * violated result, or null.
     */
    private CheckResult checkProduct(CheckContext ctx, Model m, Rational[] x, List<Factors.Factor> factors, int instances) {
        Rational[][] want = ParamDifferences.inputJacobian(m, x);
        Rational[][] prod = null;
        Rational[] h = x;
        List<org.netgeom.ir.LayerShape> top = m.shapes();
        for (Factors.Factor f : factors) {
            prod = prod == null ? f.block() : QMatrix.multiply(f.block(), prod);
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("layers\\[(\\d+)(?:\\.\\.(\\d+))?\\]").matcher(f.layers());
            if (!mt.matches()) {
                throw new IllegalStateException("unexpected factor name " + f.layers());
            }
            int from = Integer.parseInt(mt.group(1));
            int to = mt.group(2) == null ? from : Integer.parseInt(mt.group(2));
            List<Layer> group = new ArrayList<>();
            for (int i = from; i <= to; i++) {
                group.add(top.get(i).layer());
            }
            Model sub = new Model(null, top.get(from).in(), group);
            String bad = null;
            if (f.kind() == Factors.Kind.RESIDUAL) {
                Rational[][] own = ParamDifferences.inputJacobian(sub, h);
                if (own != null && !equal(own, f.block())) {
                    bad = "the residual factor is not the block's local map at the block's input";
                }
                Layer.Residual r = (Layer.Residual) group.get(0);
                Layer lastBody = r.layers().get(r.layers().size() - 1);
                if (bad == null && lastBody instanceof Layer.AbRelu a && a.op().equals("relu")) {
                    String pat = ExactForward.run(new Model(null, top.get(from).in(), r.layers()), h).pattern();
                    Rational[][] body = f.body();
                    String tail = pat.substring(pat.length() - body.length);
                    for (int u = 0; u < body.length && bad == null; u++) {
                        if (tail.charAt(u) == '0' && !java.util.Arrays.stream(body[u]).allMatch(Rational::isZero)) {
                            bad = "unit " + u + " is off in x's region but its row of DW is not zero";
                        }
                    }
                }
            }
            if (bad != null) {
                return inconsistent(ctx, m, x, f.layers(), bad, instances);
            }
            h = ExactForward.eval(sub, h);
        }
        if (want != null && prod != null && !equal(want, prod)) {
            return inconsistent(ctx, m, x, "all", "the product of the local factors is not the network's local map df/dx", instances);
        }
        return null;
    }

    private CheckResult inconsistent(CheckContext ctx, Model m, Rational[] x, String where, String why, int instances) {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("model", Instances.ir(m));
        ce.put("x", Instances.exact(x));
        ce.put("block", where);
        ce.put("reason", why);
        return result(ctx, Verdict.VIOLATED, instances, Map.of("factorsChecked", where), ce, List.of(why
                + " (reference: exact forward differences of the forward pass on x's region)"));
    }

    private static boolean equal(Rational[][] a, Rational[][] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!java.util.Arrays.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * False variant: κ(I + DW) ≤ κ(DW). Refuted at a point where DW is invertible and certified
     * enclosures give κ(I + DW)² ≥ lo₁ &gt; hi₂ ≥ κ(DW)², with κ² = λ_max/λ_min of the Gram matrix.
     */
    private CheckResult checkKappaClaim(CheckContext ctx, Tally tally, Model m, Rational[] x, Factors.Factor f, Rational[][] res,
                                        Rational[][] plain, int instances) {
        Rational w = Rational.of(1, 1L << 30);
        Rational[][] gp = ExactMatrices.gram(transpose(plain));
        Rational[][] gr = ExactMatrices.gram(transpose(res));
        ExactMatrices.Enclosure pmin = ExactMatrices.minEigenvalue(gp, w);
        if (pmin.lo().signum() <= 0) {
            return null;                                   // DW singular (or not decidedly invertible): kappa(DW) = infinity
        }
        ExactMatrices.Enclosure pmax = ExactMatrices.maxEigenvalue(gp, w);
        ExactMatrices.Enclosure rmin = ExactMatrices.minEigenvalue(gr, w);
        ExactMatrices.Enclosure rmax = ExactMatrices.maxEigenvalue(gr, w);
        Rational plainHi = pmax.hi().divide(pmin.lo());
        if (rmin.hi().signum() <= 0) {
            return kappaViolation(ctx, m, x, f, "I + DW is singular while DW is invertible", plainHi, null, instances);
        }
        Rational resLo = rmax.lo().divide(rmin.hi());
        if (resLo.compareTo(plainHi) > 0) {
            return kappaViolation(ctx, m, x, f, "kappa(I + DW)^2 >= " + resLo.toDecimalString(6) + " > " + plainHi.toDecimalString(6)
                    + " >= kappa(DW)^2", plainHi, resLo, instances);
        }
        return null;
    }

    private CheckResult kappaViolation(CheckContext ctx, Model m, Rational[] x, Factors.Factor f, String why, Rational plainHi,
                                       Rational resLo, int instances) {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("model", Instances.ir(m));
        ce.put("x", Instances.exact(x));
        ce.put("block", f.layers());
        ce.put("kappaPlainSquaredAtMost", plainHi.toString());
        ce.put("kappaResidualSquaredAtLeast", resLo == null ? "infinity" : resLo.toString());
        return result(ctx, Verdict.VIOLATED, instances, Map.of("residualFactors", 1), ce, List.of(why
                + ": the residual factor at this point is worse conditioned than its plain twin"));
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
