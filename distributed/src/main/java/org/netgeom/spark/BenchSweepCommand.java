package org.netgeom.spark;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom bench sweep}: what Spark costs and gains, in one run. (1) A theorem sweep of N jobs
 * ({@code check serra-bound --instances 1 --seed S}, S = 1..N) run as the plain single-process loop
 * (each job's command in this JVM, one after another: the reference), then as a sweep on
 * {@code local[1]} and {@code local[2]}; (2) a split enumeration of a seeded 2-D random relu net:
 * the plain {@code Regions.enumerate} (reference) vs {@code --split S} on {@code local[1]} and
 * {@code local[2]}, with the merged result checked equal to the reference (count, patterns, maps);
 * (3) Spark's fixed cost: starting and stopping a local context and running one empty task (the
 * first start in the JVM also loads Spark's classes). The split runs are interleaved and repeated
 * ({@code --repeat}, the best time kept) and print where the time went ({@link SparkSplitter.Profile}):
 * context start and stop, tasks, decoding and merging on the driver, and CPU seconds of the
 * executor tasks, of the driver thread and of the whole process (GC, JIT and Spark's threads too).
 * Wall-clock times after a warm-up of the engines.
 */
@Command(name = "sweep", description = "Spark sweeps and split enumeration: local[1] and local[2] against the plain single-process run.")
public final class BenchSweepCommand extends BaseCommand {
    @Option(names = "--instances", paramLabel = "N", defaultValue = "1000", description = "Jobs of the theorem sweep (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--widths", paramLabel = "W,W,...", defaultValue = "32,32,32", description = "Hidden widths of the 2-D net to split (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the 2-D net (weights j/16).")
    long seed;

    @Option(names = "--split", paramLabel = "N", defaultValue = "16", description = "Sub-boxes of the split enumeration (default ${DEFAULT-VALUE}).")
    int split;

    @Option(names = "--quick", description = "50 jobs and a [16,16] net: a smoke test of the benchmark.")
    boolean quick;

    @Option(names = "--part", paramLabel = "all|sweep|split", defaultValue = "all",
            description = "Which measurements: all (default), the theorem sweep only, or the split enumeration only "
                    + "(Spark's fixed cost is measured in every case).")
    String part;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Split enumeration: each of plain, local[1], local[2] run R times, interleaved; the best time is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
        if (quick) {
            instances = 50;
            widths = "16,16";
        }
        System.setProperty("netgeom.progress", "off");
        var w = out();
        Map<String, Object> res = JsonOut.object();
        res.put("cores", Runtime.getRuntime().availableProcessors());
        res.put("java", System.getProperty("java.version"));
        // (3) fixed cost first (also warms Spark's classes for what follows, as it would be in a long sweep)
        double fixed = sparkFixedCost("local[1]");
        double fixed2 = sparkFixedCost("local[2]");
        res.put("sparkFixedSeconds", Map.of("local[1]", fixed, "local[2]", fixed2));
        if (!json) {
            w.printf("netgeom bench sweep: %d cores, Java %s; wall-clock seconds after a warm-up%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            w.printf("Spark fixed cost (start a local context, one empty task, stop): local[1] %.2f s (the first in this JVM), "
                    + "local[2] %.2f s%n", fixed, fixed2);
            w.flush();
        }
        if (!part.equals("all") && !part.equals("sweep") && !part.equals("split")) {
            throw org.netgeom.cli.CliError.USAGE.error("--part is all, sweep or split, not " + part);
        }
        if (repeat < 1) {
            throw org.netgeom.cli.CliError.USAGE.error("--repeat needs at least 1, not " + repeat);
        }
        if (!part.equals("split")) {
            res.put("theoremSweep", theorem(w));
        }
        if (!part.equals("sweep")) {
            res.put("splitEnumeration", split(w));
        }
        if (json) {
            printJson(res);
        }
        return 0;
    }

    private Map<String, Object> theorem(java.io.PrintWriter w) {
        // (1) theorem sweep
        SweepSpec spec = theoremSweep(instances);
        for (SweepSpec.Job j : spec.jobs.subList(0, Math.min(50, spec.jobs.size()))) {
            JobRunner.run(j, 0);               // warm-up of the check engine
        }
        long t0 = System.nanoTime();
        int okPlain = 0;
        for (SweepSpec.Job j : spec.jobs) {
            okPlain += JobRunner.run(j, 0).contains("\"status\":\"ok\"") ? 1 : 0;
        }
        double plain = (System.nanoTime() - t0) / 1e9;
        double l1 = sweep(spec, "local[1]");
        double l2 = sweep(spec, "local[2]");
        Map<String, Object> th = JsonOut.object();
        th.put("jobs", instances);
        th.put("job", "check serra-bound --instances 1 --seed S");
        th.put("ok", okPlain);
        th.put("plainSeconds", plain);
        th.put("local1Seconds", l1);
        th.put("local2Seconds", l2);
        th.put("local1OverPlain", l1 / plain);
        th.put("plainOverLocal2", plain / l2);
        if (!json) {
            w.printf("theorem sweep, %d jobs 'check serra-bound --instances 1 --seed S' (%d ok):%n", instances, okPlain);
            w.printf("  plain single-process loop %.2f s (reference) | local[1] %.2f s (%.2fx the reference) | local[2] %.2f s "
                    + "(speed-up %.2fx over the reference)%n", plain, l1, l1 / plain, l2, plain / l2);
            w.flush();
        }
        return th;
    }

    private Map<String, Object> split(java.io.PrintWriter w) {
        // (2) split enumeration: plain, local[1], local[2], interleaved, best of --repeat
        int[] ws = Arrays.stream(widths.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        Model m = RandomNets.mlp(seed, 2, ws, 1, "relu", 16);
        Domain d = Domain.box(new Rational[]{Rational.MINUS_ONE, Rational.MINUS_ONE}, new Rational[]{Rational.ONE, Rational.ONE});
        AffineMap id = AffineMap.identity(2);
        Options o = Options.defaults().withBudget(10_000_000).withProgress(Progress.NONE);
        Regions.enumerate(RandomNets.mlp(seed + 1000, 2, new int[]{16, 16}, 1, "relu", 16), id, d, o);   // warm-up
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] masters = {"local[1]", "local[2]"};
        double single = Double.POSITIVE_INFINITY;
        double singleCpu = 0;
        double singleProcCpu = 0;
        double[] sp = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        SparkSplitter.Profile[] prof = new SparkSplitter.Profile[2];
        double[] procCpu = new double[2];
        boolean same = true;
        RegionSet ref = null;
        for (int rep = 0; rep < repeat; rep++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long q0 = processCpuNanos();
            long t0 = System.nanoTime();
            RegionSet r = Regions.enumerate(m, id, d, o);
            double s = (System.nanoTime() - t0) / 1e9;
            if (s < single) {
                single = s;
                singleCpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                singleProcCpu = (processCpuNanos() - q0) / 1e9;
            }
            if (ref == null) {
                ref = r;
            }
            r = null;
            for (int i = 0; i < 2; i++) {
                SparkSplitter sx = new SparkSplitter();
                long p0 = processCpuNanos();
                t0 = System.nanoTime();
                RegionSet got = sx.enumerate(m, id, d, o, split, masters[i]);
                double t = (System.nanoTime() - t0) / 1e9;
                double pc = (processCpuNanos() - p0) / 1e9;
                if (t < sp[i]) {
                    sp[i] = t;
                    prof[i] = sx.profile();
                    procCpu[i] = pc;
                }
                same &= SplitCompare.same(ref, got);
            }
        }
        Map<String, Object> en = JsonOut.object();
        en.put("net", "2-in " + Arrays.toString(ws) + " relu, weights j/16, seed " + seed + ", box [-1,1]^2");
        en.put("regions", ref.activationRegions());
        en.put("affinePieces", ref.affinePieces());
        en.put("split", split);
        en.put("repeat", repeat);
        en.put("singleSeconds", single);
        en.put("singleCpuSeconds", singleCpu);
        en.put("singleProcessCpuSeconds", singleProcCpu);
        en.put("local1Seconds", sp[0]);
        en.put("local2Seconds", sp[1]);
        en.put("local1OverSingle", sp[0] / single);
        en.put("singleOverLocal2", single / sp[1]);
        for (int i = 0; i < 2; i++) {
            SparkSplitter.Profile p = prof[i];
            Map<String, Object> ph = JsonOut.object();
            ph.put("contextStartSeconds", p.startSeconds());
            ph.put("tasksSeconds", p.tasksSeconds());
            ph.put("contextStopSeconds", p.stopSeconds());
            ph.put("decodeSeconds", p.decodeSeconds());
            ph.put("mergeSeconds", p.mergeSeconds());
            ph.put("executorCpuSeconds", p.executorCpuSeconds());
            ph.put("longestTaskCpuSeconds", p.maxTaskCpuSeconds());
            ph.put("driverCpuSeconds", p.driverCpuSeconds());
            ph.put("processCpuSeconds", procCpu[i]);
            ph.put("resultBytes", p.resultBytes());
            ph.put("subBoxPieces", p.pieces());
            en.put(i == 0 ? "local1" : "local2", ph);
        }
        en.put("mergedEqualsSingle", same);
        if (!json) {
            w.printf("split enumeration, %s: %d regions, %d affine pieces, --split %d, best of %d (interleaved):%n", en.get("net"),
                    ref.activationRegions(), ref.affinePieces(), split, repeat);
            w.printf("  plain Regions.enumerate %.2f s (reference; CPU: its thread %.2f s, whole process %.2f s) | local[1] %.2f s (%.2fx) | "
                    + "local[2] %.2f s (speed-up %.2fx); merged = single: %s%n", single, singleCpu, singleProcCpu, sp[0], sp[0] / single,
                    sp[1], single / sp[1], same);
            for (int i = 0; i < 2; i++) {
                SparkSplitter.Profile p = prof[i];
                w.printf("  %s: context start %.2f s, tasks %.2f s, context stop %.2f s, decode %.2f s, merge %.2f s on the driver; "
                        + "CPU: executor tasks %.2f s (longest task %.2f s), driver (decode + merge) %.2f s, whole process %.2f s; "
                        + "%d sub-box pieces, %.1f MB of records%n",
                        masters[i], p.startSeconds(), p.tasksSeconds(), p.stopSeconds(), p.decodeSeconds(), p.mergeSeconds(),
                        p.executorCpuSeconds(), p.maxTaskCpuSeconds(), p.driverCpuSeconds(), procCpu[i], p.pieces(), p.resultBytes() / 1e6);
            }
            w.flush();
        }
        return en;
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static SweepSpec theoremSweep(int n) {
        try {
            Path f = Files.createTempFile("netgeom-bench-sweep-", ".json");
            Files.writeString(f, "{\"name\": \"bench\", \"jobs\": [{\"command\": \"check\", \"args\": [\"serra-bound\", \"--instances\", \"1\","
                    + " \"--seed\", \"${s}\"], \"grid\": {\"s\": " + Arrays.toString(java.util.stream.IntStream.rangeClosed(1, n).toArray())
                    + "}}]}");
            SweepSpec s = SweepSpec.read(f);
            Files.delete(f);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double sweep(SweepSpec spec, String master) {
        try {
            Path out = Files.createTempDirectory("netgeom-bench-sweep-");
            long t0 = System.nanoTime();
            SweepRunner.run(spec, out, master, false, true, Progress.NONE);
            double s = (System.nanoTime() - t0) / 1e9;
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double sparkFixedCost(String master) {
        long t0 = System.nanoTime();
        try (SparkRuntime rt = SparkRuntime.open(master, false)) {
            rt.context().parallelize(List.of(1), 1).count();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
