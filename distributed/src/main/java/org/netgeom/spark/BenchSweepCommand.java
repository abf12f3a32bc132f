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
 * (3) Spark's fixed cost: starting and stopping a local context and running one empty task.
 * Wall-clock times, one run each, after a warm-up of the engines.
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
        res.put("theoremSweep", th);
        // (2) split enumeration
        int[] ws = Arrays.stream(widths.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        Model m = RandomNets.mlp(seed, 2, ws, 1, "relu", 16);
        Domain d = Domain.box(new Rational[]{Rational.MINUS_ONE, Rational.MINUS_ONE}, new Rational[]{Rational.ONE, Rational.ONE});
        AffineMap id = AffineMap.identity(2);
        Options o = Options.defaults().withBudget(10_000_000).withProgress(Progress.NONE);
        Regions.enumerate(RandomNets.mlp(seed + 1000, 2, new int[]{16, 16}, 1, "relu", 16), id, d, o);   // warm-up
        t0 = System.nanoTime();
        RegionSet ref = Regions.enumerate(m, id, d, o);
        double single = (System.nanoTime() - t0) / 1e9;
        double[] sp = new double[2];
        boolean[] same = new boolean[2];
        String[] masters = {"local[1]", "local[2]"};
        for (int i = 0; i < 2; i++) {
            t0 = System.nanoTime();
            RegionSet got = new SparkSplitter().enumerate(m, id, d, o, split, masters[i]);
            sp[i] = (System.nanoTime() - t0) / 1e9;
            same[i] = SplitCompare.same(ref, got);
        }
        Map<String, Object> en = JsonOut.object();
        en.put("net", "2-in " + Arrays.toString(ws) + " relu, weights j/16, seed " + seed + ", box [-1,1]^2");
        en.put("regions", ref.activationRegions());
        en.put("affinePieces", ref.affinePieces());
        en.put("split", split);
        en.put("singleSeconds", single);
        en.put("local1Seconds", sp[0]);
        en.put("local2Seconds", sp[1]);
        en.put("local1OverSingle", sp[0] / single);
        en.put("singleOverLocal2", single / sp[1]);
        en.put("mergedEqualsSingle", same[0] && same[1]);
        res.put("splitEnumeration", en);
        if (json) {
            printJson(res);
        } else {
            w.printf("netgeom bench sweep: %d cores, Java %s; wall-clock seconds, one run each after a warm-up%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            w.printf("Spark fixed cost (start a local context, one empty task, stop): local[1] %.2f s, local[2] %.2f s%n", fixed, fixed2);
            w.printf("theorem sweep, %d jobs 'check serra-bound --instances 1 --seed S' (%d ok):%n", instances, okPlain);
            w.printf("  plain single-process loop %.2f s (reference) | local[1] %.2f s (%.2fx the reference) | local[2] %.2f s "
                    + "(speed-up %.2fx over the reference)%n", plain, l1, l1 / plain, l2, plain / l2);
            w.printf("split enumeration, %s: %d regions, %d affine pieces, --split %d:%n", en.get("net"), ref.activationRegions(),
                    ref.affinePieces(), split);
            w.printf("  plain Regions.enumerate %.2f s (reference) | local[1] %.2f s (%.2fx) | local[2] %.2f s (speed-up %.2fx); "
                    + "merged = single: %s%n", single, sp[0], sp[0] / single, sp[1], single / sp[1], same[0] && same[1]);
        }
        return 0;
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
