package org.netgeom.cli.commands;

import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.FigureCharts;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.ir.io.DataReader;
import org.netgeom.proofs.Catalog;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.ProofsError;
import org.netgeom.proofs.Report;
import org.netgeom.proofs.Theorem;
import org.netgeom.proofs.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom check}: the theorem catalog. {@code --list}; {@code check ID [--instances N]
 * [--seed S] [--param k=v ...] [--false-variant] [--model FILE --box ...]}; {@code --all [--report
 * REPORT.md]}. Exit status 0 when the verdict is holds, 3 when violated, 4 when inconclusive.
 */
@Command(name = "check", description = "Check theorems from the deep-learning-theory literature on concrete instances.")
public final class CheckCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The theorem's id (see --list).")
    String id;

    @Option(names = "--list", description = "List the catalog.")
    boolean list;

    @Option(names = "--all", description = "Check every theorem and its false variant.")
    boolean all;

    @Option(names = "--report", paramLabel = "REPORT.md", description = "With --all: write a Markdown report.")
    Path report;

    @Option(names = "--instances", paramLabel = "N", description = "Number of instances (default: the theorem's own).")
    Integer instances;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the instance generator (default 1).")
    long seed = 1;

    @Option(names = "--param", paramLabel = "K=V", description = "A theorem parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--false-variant", description = "Check the theorem's false variant (it must come out violated).")
    boolean falseVariant;

    @Option(names = "--model", paramLabel = "FILE", description = "A user model, for theorems about a given network.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", description = "Data for --model (CSV/JSON/safetensors with x and y columns), "
            + "for theorems about a network and its data (pl-star, piecewise-quadratic-loss).")
    Path data;

    @Option(names = "--box", paramLabel = "LO,HI|L1,H1,...", description = "The input box for --model (write --box=-1,1).")
    String box;

    @Override
    public Integer call() {
        if (instances != null && instances < 1) {
            throw CliError.USAGE.error("--instances takes a positive count, not " + instances);
        }
        if (list && (all || id != null)) {
            throw CliError.USAGE.error("--list goes alone (not with --all or a theorem id)");
        }
        if (all && id != null) {
            throw CliError.USAGE.error("give a theorem id or --all, not both");
        }
        if (report != null && !all) {
            throw CliError.USAGE.error("--report goes with --all (netgeom check --all --report REPORT.md)");
        }
        if (all && (model != null || data != null || box != null || !params.isEmpty() || falseVariant)) {
            throw CliError.USAGE.error("--all checks every theorem and its false variant on its own instances; "
                    + "--model, --data, --box, --param and --false-variant go with one theorem id");
        }
        if (box != null && model == null) {
            throw CliError.USAGE.error("--box goes with --model (the theorem's own instances have their own domain)");
        }
        if (data != null && model == null) {
            throw CliError.USAGE.error("--data goes with --model (the theorem's own instances bring their own data)");
        }
        if (list) {
            return list();
        }
        if (all) {
            return all();
        }
        if (id == null) {
            throw CliError.USAGE.error("give a theorem id, --list or --all (see: netgeom check --help)");
        }
        Theorem t = Catalog.byId(id);
        Model m = model == null ? null : readModel(model);
        if (m != null && !t.acceptsModel()) {
            throw ProofsError.MODEL_NOT_APPLICABLE.at("--model", id + " is not about a given network; --model applies to "
                    + String.join(", ", Catalog.all().stream().filter(Theorem::acceptsModel).map(Theorem::id).toList()));
        }
        Rational[] b = box == null ? null : Args.rationals(box, "--box");
        CheckContext ctx = new CheckContext(count(), seed, falseVariant, params(), m, b, ProgressBars.forStderr());
        if (data != null) {
            DataSet ds = DataReader.read(data);
            ds.requireInputsFit(m);
            ctx = ctx.withData(ds);
        }
        CheckResult r = t.check(ctx);
        if (json) {
            printJson(r.toJson());
        } else {
            out().println(Report.human(t, r));
        }
        return r.verdict().exitStatus;
    }

    private int count() {
        return instances == null ? -1 : instances;
    }

    private Map<String, String> params() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw CliError.USAGE.error("--param takes name=value, not '" + p + "'");
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return out;
    }

    private int list() {
        if (json) {
            List<Object> out = new ArrayList<>();
            for (Theorem t : Catalog.all()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", t.id());
                o.put("title", t.title());
                o.put("citation", t.citation().toString());
                o.put("acceptsModel", t.acceptsModel());
                out.add(o);
            }
            printJson(out);
        } else {
            for (Theorem t : Catalog.all()) {
                out().printf("%-26s %s%n%-26s   %s%n", t.id(), t.title(), "", t.citation());
            }
        }
        return 0;
    }

    private int all() {
        List<Report.Entry> entries = new ArrayList<>();
        Verdict worst = Verdict.HOLDS;
        for (Theorem t : Catalog.all()) {
            CheckResult holds = t.check(new CheckContext(count(), seed, false, Map.of(), null, null, ProgressBars.forStderr()));
            CheckResult fv = t.check(new CheckContext(count(), seed, true, Map.of(), null, null, ProgressBars.forStderr()));
            entries.add(new Report.Entry(t, holds, fv));
            worst = worst.and(holds.verdict());
            if (fv.verdict() != Verdict.VIOLATED) {
                worst = worst.and(fv.verdict() == Verdict.HOLDS ? Verdict.VIOLATED : Verdict.INCONCLUSIVE);
            }
            if (!json) {
                out().printf("%-26s %-12s false variant: %s%n", t.id(), holds.verdict().json(), fv.verdict().json());
                out().flush();
            }
        }
        if (report != null) {
            String stem = report.getFileName().toString().replaceFirst("\\.md$", "");
            Path dir = report.toAbsolutePath().getParent().resolve(stem + "-figures");
            AtomicFiles.writeString(report, Report.markdown(entries, seed, (r, f) -> {
                String name = r.id() + (r.falseVariant() ? "-false" : "") + "-" + f.name() + ".svg";
                PlotFiles.save(FigureCharts.chart(f), dir.resolve(name));
                return stem + "-figures/" + name;
            }));
            if (!json) {
                out().println("report written to " + report);
            }
        }
        if (json) {
            List<Object> out = new ArrayList<>();
            for (Report.Entry e : entries) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", e.theorem().id());
                o.put("theorem", e.holds().toJson());
                o.put("falseVariant", e.falseVariant().toJson());
                out.add(o);
            }
            printJson(out);
        }
        return worst.exitStatus;
    }
}
