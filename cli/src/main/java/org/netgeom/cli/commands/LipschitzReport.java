package org.netgeom.cli.commands;

import org.netgeom.ir.IrError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.linalg.ExactForms;
import org.netgeom.symbolic.perturb.Lipschitz;
import org.netgeom.symbolic.perturb.NormProduct;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code perturb --lipschitz (--box … | --polytope F)}: the exact Lipschitz constant of the
 * network over the domain, max over its activation regions of the operator norm of the region's
 * map (Jordan &amp; Dimakis 2020). JSON: {@code {"regions", "lipschitz": {"linf", "l1", "l2",
 * "l2Enclosure": [lo, hi], "l2Exact", "l2Squared"}, "attainedAt": {"linf" | "l1" | "l2":
 * {"pattern", "witness", "A"}}}}; linf and l1 exact "p/q", l2 to --digits digits with a
 * certified enclosure, l2Exact / l2Squared closed forms (null where Symja gives none);
 * {@code "evidence": {"regions": [{"pattern", "witness", "A", "b"}, …]}} every region, for the
 * independent checker, which re-verifies the result unless --no-certify ({@code "certified": true}).
 * With {@code --compare}: {@code "normProduct": {"linf", "l1", "l2", "l2Enclosure", "ratio":
 * {"linf", "l1", "l2"}, "factors": [{"layer", "op", "linf", "l1", "l2"}]}}, the product of the
 * layers' operator norms ({@link NormProduct}) and its ratio to the exact constant.
 */
final class LipschitzReport {
    private final PerturbCommand cmd;

    LipschitzReport(PerturbCommand cmd) {
        this.cmd = cmd;
    }

    void run(Model raw, Map<String, Rational> values, String box, Path polytope, long budget) {
        if (budget < 1) {
            throw IrError.BAD_INPUT.at("--budget", "--budget must be at least 1");
        }
        Model m = Binder.bind(raw, values);
        Binder.requireNoSymbols(m);
        int digits = cmd.digits();
        Domain d = DomainOptions.of(box, polytope).domain(m.input().size());
        Options opt = Options.defaults().withBudget(budget).withProgress(ProgressBars.forStderr());
        List<Object> evidence = new java.util.ArrayList<>();
        Lipschitz.Result r = Lipschitz.compute(m, d, opt, reg -> {
            Map<String, Object> x = JsonOut.object();
            x.put("pattern", reg.pattern());
            x.put("witness", JsonOut.exact(reg.witness()));
            x.put("A", CertifiedJson.matrix(reg.map().a()));
            x.put("b", JsonOut.exact(reg.map().b()));
            evidence.add(x);
        });
        String l2Exact = null;
        String l2Squared = null;
        Rational sq = r.l2Squared().exact();
        if (sq != null) {
            l2Squared = sq.toString();
            Rational root = sq.sqrtExact();
            l2Exact = root != null ? root.toString() : null;
        }
        if (l2Exact == null) {                     // irrational: Symja's closed forms (loads it)
            ExactForms forms = new ExactForms(Cas.get());
            l2Squared = l2Squared != null ? l2Squared : forms.of(r.l2Squared());
            l2Exact = forms.sqrtOf(r.l2Squared());
        }
        Map<String, Object> cert = CertifiedJson.of(r.l2(), l2Exact, digits);
        Map<String, Object> lip = JsonOut.object();
        lip.put("linf", JsonOut.exact(r.linf()));
        lip.put("l1", JsonOut.exact(r.l1()));
        lip.put("l2", cert.get("decimal"));
        lip.put("l2Enclosure", cert.get("enclosure"));
        lip.put("l2Exact", l2Exact);
        lip.put("l2Squared", l2Squared);
        Map<String, Object> at = JsonOut.object();
        at.put("linf", attained(r.atLinf()));
        at.put("l1", attained(r.atL1()));
        at.put("l2", attained(r.atL2()));
        Map<String, Object> o = JsonOut.object();
        o.put("regions", r.regions());
        o.put("lipschitz", lip);
        o.put("attainedAt", at);
        Map<String, Object> ev = JsonOut.object();
        ev.put("regions", evidence);
        o.put("evidence", ev);
        org.netgeom.certify.Certifier.Report checked = cmd.noCertify ? null
                : SelfCertify.check(cmd.model, o, new org.netgeom.certify.DomainSpec(box, polytope, null), values);
        NormProduct.Result np = cmd.compare ? NormProduct.of(m) : null;
        if (np != null) {
            o.put("normProduct", normProduct(np, r, digits));
        }
        if (cmd.jsonOut()) {
            if (checked != null) {
                o.put("certified", true);
            }
            cmd.emitJson(o);
            return;
        }
        PrintWriter w = cmd.stdout();
        w.println("Lipschitz constant of " + (m.name() == null ? "the model" : m.name()) + " on " + RegionsCommand.describe(d) + ", over its "
                + r.regions() + " activation region" + (r.regions() == 1 ? "" : "s") + " (exact):");
        w.println("  l-inf -> l-inf  " + r.linf() + "   (max row sum)        attained at " + where(r.atLinf()));
        w.println("  l1 -> l1        " + r.l1() + "   (max column sum)     attained at " + where(r.atL1()));
        String exactText = l2Exact != null && l2Exact.length() <= 40 && !l2Exact.equals(cert.get("decimal")) ? " = " + l2Exact : "";
        List<?> enc = (List<?>) cert.get("enclosure");
        w.println("  l2 -> l2        " + cert.get("decimal") + exactText + "   (largest singular value; certified in ["
                + enc.get(0) + ", " + enc.get(1) + "])   attained at " + where(r.atL2()));
        w.println("each witness is a rational point strictly inside its region (checked exactly); " + r.spectra()
                + " exact spectra computed, the other regions bounded by tr(AᵀA) or sharing a map already seen");
        if (checked != null) {
            w.println(SelfCertify.line(checked) + "; l-inf and l1 recomputed exactly, the l2 enclosure checked by exact LDL^T tests");
        }
        if (np != null) {
            Map<String, Object> j = normProduct(np, r, digits);
            @SuppressWarnings("unchecked")
            Map<String, Object> ratio = (Map<String, Object>) j.get("ratio");
            w.println("product of the layers' operator norms (global, ignores which units are active together):");
            w.println("  l-inf  " + np.linf() + " (≈ " + np.linf().toDecimalString(8) + ")   " + fmt(ratio.get("linf")) + " x the exact constant");
            w.println("  l1     " + np.l1() + " (≈ " + np.l1().toDecimalString(8) + ")   " + fmt(ratio.get("l1")) + " x the exact constant");
            w.println("  l2     " + j.get("l2") + "   " + fmt(ratio.get("l2")) + " x the exact constant");
        }
    }

    private static String fmt(Object ratio) {
        return ratio == null ? "-" : String.format(java.util.Locale.ROOT, "%.4g", (Double) ratio);
    }

    /** JSON of the norm product: the bounds (l2 certified), the ratios bound / exact and each layer's factors. */
    private static Map<String, Object> normProduct(NormProduct.Result np, Lipschitz.Result r, int digits) {
        Map<String, Object> o = JsonOut.object();
        o.put("linf", JsonOut.exact(np.linf()));
        o.put("l1", JsonOut.exact(np.l1()));
        Map<String, Object> l2 = CertifiedJson.of(np.l2(), null, digits);
        o.put("l2", l2.get("decimal"));
        o.put("l2Enclosure", l2.get("enclosure"));
        Map<String, Object> ratio = JsonOut.object();
        ratio.put("linf", r.linf().isZero() ? null : np.linf().divide(r.linf()).doubleValue());
        ratio.put("l1", r.l1().isZero() ? null : np.l1().divide(r.l1()).doubleValue());
        ratio.put("l2", r.l2().signum(64) == 0 ? null : Double.parseDouble(np.l2().divide(r.l2()).decimal(17)));
        o.put("ratio", ratio);
        List<Object> fs = new java.util.ArrayList<>();
        for (NormProduct.Factor f : np.factors()) {
            Map<String, Object> x = JsonOut.object();
            x.put("layer", f.layer());
            x.put("op", f.op());
            x.put("linf", JsonOut.exact(f.linf()));
            x.put("l1", JsonOut.exact(f.l1()));
            x.put("l2", f.l2().decimal(digits));
            fs.add(x);
        }
        o.put("factors", fs);
        return o;
    }

    private static Map<String, Object> attained(Lipschitz.Attained a) {
        Map<String, Object> o = JsonOut.object();
        o.put("pattern", a.pattern());
        o.put("witness", JsonOut.exact(a.witness()));
        o.put("A", CertifiedJson.matrix(a.a()));
        return o;
    }

    private static String where(Lipschitz.Attained a) {
        return "(" + String.join(", ", JsonOut.exact(a.witness())) + "), pattern " + a.pattern();
    }
}
