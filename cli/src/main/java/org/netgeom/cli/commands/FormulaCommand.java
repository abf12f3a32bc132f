package org.netgeom.cli.commands;

import org.netgeom.cli.Args;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.formula.Formula;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom formula MODEL [--latex] [--json] [--box … | --polytope F] [--slice …]}: the
 * network as an exact closed form in its inputs x1…xn: nested (Max/Abs/…, free weight symbols
 * allowed) without a domain, or the piecewise-affine function from the exact enumeration over a
 * domain. {@code --latex} prints LaTeX ready to paste. The piecewise form is certified through its
 * regions by netgeom-certify unless {@code --no-certify} ("certified": true; docs/certify.md).
 */
@Command(name = "formula", description = "The network as an exact closed form (nested, or piecewise over a domain), text or LaTeX.")
public final class FormulaCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Mixin
    DomainOptions domain;

    @Option(names = "--latex", description = "Print LaTeX instead of Symja text.")
    boolean latex;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values for free symbols, e.g. w1=1/2.")
    String bind;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "1000000", description = "Region budget of the piecewise form.")
    long budget;

    @Option(names = "--no-certify", description = "Skip the independent re-check of the piecewise form's regions by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Override
    public Integer call() {
        Model m = Binder.bind(readModel(model), Args.bindings(bind));
        Map<String, Object> o = JsonOut.object();
        if (!domain.given()) {
            if (domain.slice != null) {
                throw org.netgeom.cli.CliError.USAGE.error("--slice needs a domain (--box or --polytope) for the piecewise form");
            }
            Formula.Nested f = Formula.nested(m);
            o.put("form", "nested");
            o.put("variables", f.variables());
            List<Object> outs = new ArrayList<>();
            for (int i = 0; i < f.text().size(); i++) {
                Map<String, Object> x = JsonOut.object();
                x.put("text", f.text().get(i));
                x.put("latex", f.latex().get(i));
                outs.add(x);
            }
            o.put("outputs", outs);
            List<Object> renamed = new ArrayList<>();
            for (Formula.Renamed r : f.renamed()) {
                Map<String, Object> x = JsonOut.object();
                x.put("symbol", r.symbol());
                x.put("text", r.output());
                x.put("latex", r.latex());
                x.put("reason", r.reason());
                renamed.add(x);
                err().println("note: " + r.note());
            }
            o.put("renamed", renamed);
            err().flush();
            if (!json) {
                String args = String.join(", ", f.variables());
                for (int i = 0; i < f.text().size(); i++) {
                    String name = f.text().size() == 1 ? "f" : "f" + (i + 1);
                    out().println(latex ? name + "(" + args + ") = " + f.latex().get(i) : name + "(" + args + ") = " + f.text().get(i));
                }
            }
        } else {
            AffineMap in = domain.inputMap(m);
            RegionSet rs = Regions.enumerate(m, in, domain.domain(in.variables()),
                    Options.defaults().withBudget(budget).withProgress(ProgressBars.forStderr()));
            // The piecewise form is a grouping of the enumerated regions' maps: it is certified
            // through them (the region set is handed to the independent checker as regions --json
            // would write it; CERT_REJECTED, exit 5, if it fails).
            org.netgeom.certify.Certifier.Report cert = noCertify ? null : SelfCertify.check(model, RegionsCommand.json(rs),
                    new org.netgeom.certify.DomainSpec(domain.box, domain.polytope, domain.slice), Args.bindings(bind));
            List<String> vars = domain.variableNames(m, Formula.inputNames(m, m.input().size()));
            Formula.Piecewise p = Formula.piecewise(rs, vars);
            o.put("form", "piecewise");
            o.put("variables", vars);
            o.put("text", p.text());
            o.put("latex", p.latex());
            List<Object> cases = new ArrayList<>();
            for (Formula.Case c : p.cases()) {
                Map<String, Object> x = JsonOut.object();
                List<Object> a = new ArrayList<>();
                for (Rational[] row : c.map().a()) {
                    a.add(JsonOut.exact(row));
                }
                x.put("A", a);
                x.put("b", JsonOut.exact(c.map().b()));
                x.put("value", c.value());
                x.put("condition", c.condition());
                x.put("regions", c.regions().size());
                cases.add(x);
            }
            o.put("cases", cases);
            if (cert != null) {
                o.put("certified", true);
            }
            if (!json) {
                out().println(latex ? p.latex() : p.text());
                if (cert != null) {
                    // stderr: stdout stays the formula alone, ready to paste
                    err().println("formula: " + SelfCertify.line(cert));
                }
            }
        }
        if (json) {
            printJson(o);
        }
        out().flush();
        return 0;
    }
}
