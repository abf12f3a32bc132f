package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.commands.BaseCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom sweep SWEEP.json [--out DIR] [--master URL] [--fresh] [--ui] [--json]}: runs every
 * job of a sweep file (docs/sweep.md) as a Spark task, embedded {@code local[*]} by default, and
 * writes {@code results.jsonl}, {@code summary.md} and (numeric axis) {@code plot.svg} to the
 * output folder. A job's own coded error is reported in its row and does not stop the sweep.
 * JSON: {@code {"sweep", "master", "output", "jobs", "ran", "resumed", "ok", "violated",
 * "inconclusive", "errors", "seconds", "plot", "results": [rows]}}.
 */
@Command(name = "sweep", description = "Run a sweep of netgeom jobs (a JSON file) on Apache Spark: embedded local[*] by default.")
public final class SweepCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SWEEP.json", description = "The sweep file (docs/sweep.md).")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the file's \"output\", else NAME.out here).")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default, embedded), local[N], spark://HOST:7077.")
    String master;

    @Option(names = "--fresh", description = "Ignore the journal of an earlier run: run every job again.")
    boolean fresh;

    @Option(names = "--ui", description = "Start Spark's web UI (http://localhost:4040 while the sweep runs).")
    boolean ui;

    @Override
    public Integer call() {
        SweepSpec spec = SweepSpec.read(file);
        Path dir = out != null ? out.toAbsolutePath() : spec.output;
        SweepRunner.Outcome o = SweepRunner.run(spec, dir, master, ui, fresh, ProgressBars.forStderr());
        if (json) {
            Map<String, Object> m = JsonOut.object();
            m.put("sweep", spec.name);
            m.put("master", o.master());
            m.put("output", dir.toString());
            m.put("jobs", spec.jobs.size());
            m.put("ran", o.ran());
            m.put("resumed", o.resumed());
            m.put("ok", o.count("ok"));
            m.put("violated", o.count("violated"));
            m.put("inconclusive", o.count("inconclusive"));
            m.put("errors", o.count("error"));
            m.put("seconds", Math.round(o.seconds() * 1000) / 1000.0);
            m.put("plot", o.plot() == null ? null : o.plot().toString());
            List<Object> rows = new ArrayList<>();
            for (JsonNode r : o.rows()) {
                rows.add(JobRunner.MAPPER.convertValue(r, Object.class));
            }
            m.put("results", rows);
            printJson(m);
        } else {
            var w = out();
            w.print(Summary.markdown(spec, o.rows()));
            w.printf("%n%d jobs on %s: %d ran, %d from the journal; %d ok, %d violated, %d inconclusive, %d errors; %.1f s%n",
                    spec.jobs.size(), o.master(), o.ran(), o.resumed(), o.count("ok"), o.count("violated"), o.count("inconclusive"),
                    o.count("error"), o.seconds());
            w.println("results: " + dir.resolve("results.jsonl") + (o.plot() == null ? "" : "; plot: " + o.plot()));
            w.flush();
        }
        return 0;
    }
}
