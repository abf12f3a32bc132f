package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.ExactForms;
import org.netgeom.symbolic.linalg.Spectra;
import org.netgeom.symbolic.perturb.Factors;
import org.netgeom.symbolic.perturb.LocalMap;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code perturb --at X}: the local affine map, its per-layer factors with their singular values
 * and condition numbers, Weyl's check for residual blocks, and the distance to the region's
 * boundary. JSON: {@code {"point", "pattern", "onBoundary", "map": {"A", "b", "singularValues",
 * "conditionNumber"}, "factors": [{"layers", "kind", "shape", "matrix", "singularValues",
 * "conditionNumber", "body"?, "weyl"?}], "boundary": {"distance2", "distance", "layer", "unit"} | null}}.
 */
final class PerturbAtReport {
    private final PerturbCommand cmd;
    private final Model model;
    private final Rational[] x;
    private final int digits;
    private final ExactForms forms = new ExactForms(Cas.get());

    PerturbAtReport(PerturbCommand cmd, Model model, Rational[] x) {
        this.cmd = cmd;
        this.model = model;
        this.x = x;
        this.digits = cmd.digits();
    }

    void run() {
        LocalMap.Result lm = LocalMap.at(model, x);
        List<Factors.Factor> fs = Factors.at(model, x);
        Map<String, Object> o = JsonOut.object();
        o.put("point", JsonOut.exact(x));
        o.put("pattern", lm.pattern());
        o.put("onBoundary", lm.onBoundary());
        List<Spectra.Singular> msv = Spectra.singularValues(lm.a());
        Map<String, Object> map = JsonOut.object();
        map.put("A", CertifiedJson.matrix(lm.a()));
        map.put("b", JsonOut.exact(lm.b()));
        map.put("singularValues", CertifiedJson.singular(msv, forms, digits));
        map.put("conditionNumber", CertifiedJson.condition(msv, forms, digits));
        o.put("map", map);
        List<Object> fo = new ArrayList<>();
        List<String> human = new ArrayList<>();
        for (Factors.Factor f : fs) {
            fo.add(factor(f, human));
        }
        o.put("factors", fo);
        Map<String, Object> bd = null;
        if (lm.distance2() != null) {
            bd = JsonOut.object();
            bd.put("distance2", JsonOut.exact(lm.distance2()));
            bd.put("distance", CertifiedJson.of(CReal.sqrt(CReal.of(lm.distance2())),
                    Cas.get().eval("Sqrt(" + Cas.of(lm.distance2()) + ")"), digits));
            bd.put("layer", lm.nearest().layer());
            bd.put("unit", lm.nearest().unit());
        }
        o.put("boundary", bd);
        if (cmd.jsonOut()) {
            cmd.emitJson(o);
            return;
        }
        PrintWriter w = cmd.stdout();
        w.println("local affine map at x = (" + String.join(", ", JsonOut.exact(x)) + "), pattern " + lm.pattern()
                + (lm.onBoundary() ? " (x lies on a region boundary)" : ""));
        for (int i = 0; i < lm.a().length; i++) {
            w.println("  f_" + i + "(x) = [" + String.join(", ", JsonOut.exact(lm.a()[i])) + "]·x + " + lm.b()[i]);
        }
        w.println("  singular values " + humanList(msv) + ", condition number " + humanCond(map.get("conditionNumber")));
        for (String h : human) {
            w.println(h);
        }
        w.println(lm.distance2() == null ? "the region is the whole input space (no unit's pre-activation depends on x)"
                : "squared distance to the nearest region boundary: " + lm.distance2() + " (unit " + lm.nearest().unit()
                + " of " + lm.nearest().layer() + "), distance " + CertifiedJson.human(CReal.sqrt(CReal.of(lm.distance2())), null, digits));
    }

    private Map<String, Object> factor(Factors.Factor f, List<String> human) {
        Map<String, Object> o = JsonOut.object();
        o.put("layers", f.layers());
        o.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("shape", List.of(f.block().length, f.block().length == 0 ? 0 : f.block()[0].length));
        o.put("matrix", CertifiedJson.matrix(f.block()));
        List<Spectra.Singular> sv = Spectra.singularValues(f.block());
        o.put("singularValues", CertifiedJson.singular(sv, forms, digits));
        Map<String, Object> cond = CertifiedJson.condition(sv, forms, digits);
        o.put("conditionNumber", cond);
        String label = f.kind() == Factors.Kind.PLAIN ? "D W" : f.kind() == Factors.Kind.RESIDUAL
                ? (f.identityShortcut() ? "I + D W" : "J_S + J_body") : "[I ; J_body]";
        human.add("  " + f.layers() + " (" + o.get("kind") + ", " + label + "): singular values " + humanList(sv)
                + ", condition number " + humanCond(cond));
        if (f.body() != null) {
            List<Spectra.Singular> bsv = Spectra.singularValues(f.body());
            Map<String, Object> body = JsonOut.object();
            body.put("matrix", CertifiedJson.matrix(f.body()));
            body.put("singularValues", CertifiedJson.singular(bsv, forms, digits));
            Map<String, Object> bcond = CertifiedJson.condition(bsv, forms, digits);
            body.put("conditionNumber", bcond);
            o.put("body", body);
            human.add("      body (D W): singular values " + humanList(bsv) + ", condition number " + humanCond(bcond));
            if (f.kind() == Factors.Kind.RESIDUAL && f.identityShortcut()) {
                o.put("weyl", weyl(Spectra.weyl(sv, bsv), human));
            }
        }
        return o;
    }

    private Map<String, Object> weyl(List<Spectra.WeylPair> pairs, List<String> human) {
        Map<String, Object> o = JsonOut.object();
        boolean holds = true;
        List<Object> po = new ArrayList<>();
        int eq = 0;
        for (Spectra.WeylPair p : pairs) {
            holds &= p.holds();
            eq += p.equality() ? 1 : 0;
            Map<String, Object> x = JsonOut.object();
            x.put("k", p.k());
            x.put("withIdentity", p.withIdentity().value().decimal(digits));
            x.put("without", p.without().value().decimal(digits));
            x.put("gap", CertifiedJson.of(p.gap(), null, digits));
            x.put("equality", p.equality());
            x.put("holds", p.holds());
            po.add(x);
        }
        o.put("statement", "|σ_k(I + D W) − σ_k(D W)| ≤ 1 for every k (Weyl)");
        o.put("holds", holds);
        o.put("verified", "exact");
        o.put("equalities", eq);
        o.put("pairs", po);
        human.add("      Weyl |σ_k(I + D W) − σ_k(D W)| ≤ 1: " + (holds ? "holds" : "VIOLATED") + " for all " + pairs.size()
                + " pairs (decided exactly" + (eq > 0 ? "; " + eq + " with equality" : "") + ")");
        return o;
    }

    private String humanList(List<Spectra.Singular> sv) {
        List<String> s = new ArrayList<>();
        for (Spectra.Singular x : sv) {
            s.add(x.value().decimal(Math.min(digits, 8)));
        }
        return "[" + String.join(", ", s) + "]";
    }

    @SuppressWarnings("unchecked")
    private static String humanCond(Object cond) {
        return cond == null ? "infinite (singular)" : (String) ((Map<String, Object>) cond).get("decimal");
    }
}
