package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.QuadraticText;
import org.netgeom.symbolic.loss.Variables;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.ExactForms;
import org.netgeom.symbolic.linalg.RealRoot;
import org.netgeom.symbolic.linalg.Spectra;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code loss-surface --at}: the cell of the layer's current parameters (or of the bound values of
 * its free symbols), the exact quadratic ½θᵀHθ + gᵀθ + c of the loss on it, H's eigenvalues
 * (closed forms where Symja gives them, certified decimals always), its condition number, and the
 * minimiser with the exact decision whether it lies in the cell.
 */
final class LossCellReport {
    private final LossSurfaceCommand cmd;
    private final Model raw;
    private final DataSet data;
    private final LossKind loss;
    private final Map<String, Rational> values;

    LossCellReport(LossSurfaceCommand cmd, Model raw, DataSet data, LossKind loss, Map<String, Rational> values) {
        this.cmd = cmd;
        this.raw = raw;
        this.data = data;
        this.loss = loss;
        this.values = values;
    }

    void run() {
        int digits = cmd.digits();
        Variables v = Variables.of(raw, cmd.layer(), values, false);
        LossCell.Result r = LossCell.compute(v, data, loss, ProgressBars.forStderr());
        List<Spectra.Eigen> eig = r.eigenvalues();
        ExactForms forms = new ExactForms(Cas.get());
        LossCell.Minimiser min = LossCell.minimiser(r);
        RealRoot lmin = eig.get(0).value();
        RealRoot lmax = eig.get(eig.size() - 1).value();
        boolean singular = lmin.compareTo(Rational.ZERO) == 0;
        Map<String, Object> cond = singular ? null : eig.size() == 1 ? CertifiedJson.of(CReal.of(Rational.ONE), null, digits)
                : CertifiedJson.of(lmax.divide(lmin), forms.ratio(forms.of(lmax), forms.of(lmin)), digits);
        String expression = v.symbolic() ? QuadraticText.expression(r, v, Cas.get()) : null;
        String tex = v.symbolic() || cmd.latex() ? QuadraticText.latex(r, v, Cas.get()) : null;

        Map<String, Object> o = JsonOut.object();
        o.put("layer", v.params().path());
        o.put("loss", loss.toString());
        o.put("variables", v.names());
        o.put("point", JsonOut.exact(r.point()));
        o.put("value", JsonOut.exact(r.value()));
        o.put("pattern", r.pattern());
        o.put("onBoundary", r.onBoundary());
        List<Object> cell = new ArrayList<>();
        for (LossCell.Inequality q : r.cell()) {
            Map<String, Object> qo = JsonOut.object();
            qo.put("data", q.data());
            qo.put("layer", q.layer());
            qo.put("unit", q.unit());
            qo.put("normal", JsonOut.exact(q.normal()));
            qo.put("offset", JsonOut.exact(q.offset()));
            qo.put("strict", q.strict());
            cell.add(qo);
        }
        o.put("cell", cell);
        Map<String, Object> quad = JsonOut.object();
        quad.put("H", CertifiedJson.matrix(r.hessian()));
        quad.put("g", JsonOut.exact(r.g()));
        quad.put("c", JsonOut.exact(r.c()));
        o.put("quadratic", quad);
        o.put("gradient", JsonOut.exact(r.gradientAt(r.point())));
        List<Object> eo = new ArrayList<>();
        for (Spectra.Eigen e : eig) {
            Map<String, Object> x = CertifiedJson.eigen(e.value(), forms, digits);
            x.put("multiplicity", e.multiplicity());
            eo.add(x);
        }
        o.put("eigenvalues", eo);
        o.put("singular", singular);
        o.put("conditionNumber", cond);
        Map<String, Object> mo = JsonOut.object();
        mo.put("point", min.exists() ? JsonOut.exact(min.point()) : null);
        mo.put("value", min.exists() ? JsonOut.exact(min.value()) : null);
        mo.put("unique", min.unique());
        mo.put("inCell", min.inCell());
        mo.put("interior", min.interior());
        mo.put("localMinimum", min.localMinimum());
        o.put("minimiser", mo);
        if (expression != null) {
            o.put("expression", expression);
        }
        if (tex != null) {
            o.put("latex", tex);
        }
        if (cmd.jsonOut()) {
            cmd.emitJson(o);
        } else {
            human(v, r, eig, forms, singular, cond, min, expression, tex);
        }
    }

    private void human(Variables v, LossCell.Result r, List<Spectra.Eigen> eig, ExactForms forms, boolean singular,
                       Map<String, Object> cond, LossCell.Minimiser min, String expression, String tex) {
        PrintWriter w = cmd.stdout();
        int digits = cmd.digits();
        w.println("cell of " + v.params().path() + " at " + (v.symbolic() ? "the bound symbols" : "its current parameters") + " ("
                + loss + " over " + data.size() + " data points): " + r.cell().size() + " inequalities"
                + (r.onBoundary() ? "; the point lies on the cell's boundary" : ""));
        w.println("  variables " + String.join(", ", v.names()) + " = " + String.join(", ", JsonOut.exact(r.point())));
        w.println("  pattern " + r.pattern());
        w.println("loss = 1/2 θᵀHθ + gᵀθ + c on the cell, with");
        for (int i = 0; i < r.hessian().length; i++) {
            w.println((i == 0 ? "  H = " : "      ") + "[" + String.join(", ", JsonOut.exact(r.hessian()[i])) + "]");
        }
        w.println("  g = [" + String.join(", ", JsonOut.exact(r.g())) + "]");
        w.println("  c = " + r.c());
        w.println("loss at the point: " + r.value());
        List<String> ev = new ArrayList<>();
        for (Spectra.Eigen e : eig) {
            ev.add(CertifiedJson.human(e.value(), forms.of(e.value()), digits) + (e.multiplicity() > 1 ? " (×" + e.multiplicity() + ")" : ""));
        }
        w.println("eigenvalues of H: " + String.join(", ", ev));
        w.println("condition number: " + (singular ? "infinite (H is singular)" : cond.get("decimal")));
        if (!min.exists()) {
            w.println("minimiser: none (the quadratic is unbounded below)");
        } else {
            w.println("minimiser" + (min.unique() ? "" : " (minimum-norm; H is singular, so minimisers form an affine set)")
                    + ": " + String.join(", ", JsonOut.exact(min.point())) + ", loss " + min.value());
            w.println("  " + (min.interior() ? "inside the cell: an exact local minimum of the loss in " + v.params().path()
                    + "'s parameters" : min.inCell() ? "on the cell's boundary: a minimum of this piece, not certified as a local minimum of the loss"
                    : min.unique() ? "outside the cell: the loss has no critical point inside this cell"
                    : "outside the cell; other minimisers of the affine set may lie in it (deciding that needs an LP)"));
        }
        if (expression != null) {
            w.println("loss = " + expression);
        }
        if (tex != null) {
            w.println(tex);
        }
    }
}
