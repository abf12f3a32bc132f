package org.netgeom.cli.commands.bench;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.BruteForce;
import org.netgeom.symbolic.regions.NetworkProgram;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom bench regions}: regions per second of the exact enumeration on seeded random
 * rational relu nets (2 inputs [16,16] and [32,32,32], 3 inputs [16,16,16]; weights j/16,
 * |j| ≤ 16; box [−1, 1]^n), with ratios in the same run against a float64 run of the same search
 * (same algorithm, doubles, a tolerance, no certificates), the purely rational exact mode, and, on
 * nets small enough, the brute-force reference (every pattern, one exact LP each). The modes run
 * interleaved after a warm-up; the best of R runs is reported (and the median), since a shared
 * machine only ever slows a run down.
 */
@Command(name = "regions", description = "Exact region enumeration: regions/s, with ratios against float64 and brute force.")
public final class RegionsBench extends BaseCommand {
    @Option(names = "--repeat", paramLabel = "R", defaultValue = "7", description = "Timed runs per measurement (best and median reported).")
    int repeat;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "5", description = "Random nets per architecture (seeds 1..S).")
    int seeds;

    @Option(names = "--scale", description = "Only the rows at scale: widths 64-256, edge search vs a float64 edge-subdivision reference in torch.")
    boolean scale;

    @Option(names = "--rows", paramLabel = "ID,...", description = "With --scale: the rows to run (2d-64, 2d-128, 2d-256, 3d-64, 3d-128, "
            + "4d-64, 4d-128, slice-784, or all; default: all but 3d-128 and 4d-128).")
    String rowIds;

    @Option(names = "--quick", description = "One run, two seeds, no rational-only mode (a smoke test of the benchmark).")
    boolean quick;

    record Net(String name, int inputs, int[] widths) {
    }

    static final List<Net> NETS = List.of(new Net("2-in [16,16]", 2, new int[]{16, 16}),
            new Net("2-in [32,32,32]", 2, new int[]{32, 32, 32}), new Net("3-in [16,16,16]", 3, new int[]{16, 16, 16}));
    static final List<Net> SMALL = List.of(new Net("2-in [4,4]", 2, new int[]{4, 4}), new Net("2-in [6,6]", 2, new int[]{6, 6}),
            new Net("3-in [4,4]", 3, new int[]{4, 4}));

    @Override
    public Integer call() {
        if (quick) {
            repeat = 1;
            seeds = 2;
        }
        var w = out();
        if (scale) {
            List<Object> rows = new ArrayList<>();
            try {
                RegionsScaleBench.run(w, json, rows, quick, rowIds);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (json) {
                Map<String, Object> o = JsonOut.object();
                o.put("cores", Runtime.getRuntime().availableProcessors());
                o.put("scale", rows);
                printJson(o);
            }
            return 0;
        }
        if (!json) {
            w.printf("netgeom bench regions: exact enumeration vs a float64 run of the same search; %d random relu nets per "
                    + "architecture (weights j/16), box [-1,1]^n; best of %d interleaved measurements (each >= 0.25 s of passes) after 1.5 s of warm-up (medians in brackets); %d cores, Java %s%n",
                    seeds, repeat, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            w.printf("%-17s %8s %12s %12s %9s %14s %14s%n", "net", "regions", "exact r/s", "float64 r/s", "exact/f64",
                    "+pieces r/s", "rational r/s");
            w.flush();
        }
        List<Object> rows = new ArrayList<>();
        for (Net n : NETS) {
            List<Model> models = models(n);
            Domain d = box(n.inputs());
            long regions = run(models, d, Options.Arithmetic.EXACT, false);
            long f64Regions = run(models, d, Options.Arithmetic.FLOAT64, false);
            // the modes run interleaved, so that a busy machine slows them alike
            List<java.util.function.LongSupplier> jobs = new ArrayList<>(List.of(
                    () -> run(models, d, Options.Arithmetic.EXACT, false),
                    () -> run(models, d, Options.Arithmetic.FLOAT64, false),
                    () -> run(models, d, Options.Arithmetic.EXACT, true)));
            if (!quick) {
                jobs.add(() -> run(models, d, Options.Arithmetic.EXACT_RATIONAL, false));
            }
            double[][] t = time(jobs);
            double exact = t[0][0];
            double f64 = t[1][0];
            double pieces = t[2][0];
            double rational = quick ? Double.NaN : t[3][0];
            Map<String, Object> r = JsonOut.object();
            r.put("net", n.name());
            r.put("inputs", n.inputs());
            r.put("widths", Arrays.stream(n.widths()).boxed().toList());
            r.put("regions", regions);
            r.put("float64Regions", f64Regions);
            r.put("exactSeconds", exact);
            r.put("exactRegionsPerSecond", regions / exact);
            r.put("exactRegionsPerSecondMedian", regions / t[0][1]);
            r.put("float64Seconds", f64);
            r.put("float64RegionsPerSecond", f64Regions / f64);
            r.put("float64RegionsPerSecondMedian", f64Regions / t[1][1]);
            r.put("exactOverFloat64Time", exact / f64);
            r.put("exactWithPiecesRegionsPerSecond", regions / pieces);
            if (!quick) {
                r.put("rationalOnlyRegionsPerSecond", regions / rational);
            }
            rows.add(r);
            if (!json) {
                w.printf("%-17s %8d %12.0f %12.0f %8.2fx %14.0f %14s   (medians: %.0f, %.0f)%n", n.name(), regions, regions / exact,
                        f64Regions / f64, exact / f64, regions / pieces, quick ? "-" : String.format("%.0f", regions / rational),
                        regions / t[0][1], f64Regions / t[1][1]);
                if (f64Regions != regions) {
                    w.printf("   (the float64 run found %d regions: its tolerance merges or loses thin ones)%n", f64Regions);
                }
                w.flush();
            }
        }
        List<Object> certify = certifyRows(json ? null : w);
        List<Object> brute = new ArrayList<>();
        if (!json) {
            w.printf("%nagainst the brute-force reference (every activation pattern, one exact LP each):%n");
            w.printf("%-17s %6s %8s %12s %16s %10s%n", "net", "units", "regions", "exact r/s", "brute-force r/s", "speed-up");
        }
        for (Net n : SMALL) {
            List<Model> models = models(n);
            Domain d = box(n.inputs());
            long regions = run(models, d, Options.Arithmetic.EXACT, false);
            long bf = 0;
            for (Model m : models) {
                bf += BruteForce.count(m, d, 1L << 20);
            }
            double exact = time(List.of(() -> run(models, d, Options.Arithmetic.EXACT, false)))[0][0];
            long t0 = System.nanoTime();
            for (Model m : models) {
                BruteForce.count(m, d, 1L << 20);
            }
            double bfTime = (System.nanoTime() - t0) / 1e9;
            int units = Arrays.stream(n.widths()).sum();
            Map<String, Object> r = JsonOut.object();
            r.put("net", n.name());
            r.put("units", units);
            r.put("regions", regions);
            r.put("bruteForceRegions", bf);
            r.put("exactRegionsPerSecond", regions / exact);
            r.put("bruteForceRegionsPerSecond", bf / bfTime);
            r.put("speedUp", bfTime / exact);
            brute.add(r);
            if (!json) {
                w.printf("%-17s %6d %8d %12.0f %16.0f %9.0fx%s%n", n.name(), units, regions, regions / exact, bf / bfTime,
                        bfTime / exact, bf == regions ? "" : "   MISMATCH: brute force found " + bf);
                w.flush();
            }
        }
        if (!json) {
            w.println("reference: " + BenchEnv.reference("float64 run of the same search, and brute force (one exact LP per pattern)"));
        }
        if (json) {
            Map<String, Object> o = JsonOut.object();
            o.put("cores", Runtime.getRuntime().availableProcessors());
            o.put("seeds", seeds);
            o.put("repeat", repeat);
            o.put("nets", rows);
            o.put("bruteForce", brute);
            o.put("certify", certify);
            o.put("reference", BenchEnv.reference("float64 run of the same search, and brute force (one exact LP per pattern)"));
            printJson(o);
        }
        return 0;
    }

    private List<Model> models(Net n) {
        List<Model> out = new ArrayList<>();
        for (int s = 1; s <= seeds; s++) {
            out.add(RandomNets.mlp(s, n.inputs(), n.widths(), 1, "relu", 16));
        }
        return out;
    }

    /** [−1, 1]^n. */
    static Domain box(int n) {
        Rational[] lo = new Rational[n];
        Rational[] hi = new Rational[n];
        Arrays.fill(lo, Rational.MINUS_ONE);
        Arrays.fill(hi, Rational.ONE);
        return Domain.box(lo, hi);
    }

    /** Enumerates every model once; returns the total number of regions. */
    /**
     * The time the independent checker (netgeom-certify) adds: for each 2-D net, the enumeration
     * with pieces (what {@code regions} computes) against Certifier.certify on its JSON (the model
     * file read and the JSON tree given), both warmed up and best of max(3, R) interleaved, in the same run.
     */
    private List<Object> certifyRows(java.io.PrintWriter w) {
        List<Object> rows = new ArrayList<>();
        if (w != null) {
            w.printf("%nthe independent check (netgeom-certify on the JSON regions writes) against the enumeration with pieces, best of %d interleaved after 4 s of warm-up:%n",
                    Math.max(3, repeat));
            w.printf("%-17s %8s %14s %12s %10s%n", "net", "regions", "enumerate s", "certify s", "certify/enum");
        }
        for (Net n : NETS) {
            if (n.inputs() != 2) {
                continue;
            }
            List<Model> models = models(n);
            Domain d = box(n.inputs());
            List<java.nio.file.Path> files = new ArrayList<>();
            List<com.fasterxml.jackson.databind.JsonNode> results = new ArrayList<>();
            long regions = 0;
            try {
                for (Model m : models) {
                    java.nio.file.Path f = java.nio.file.Files.createTempFile("netgeom-bench", ".json");
                    f.toFile().deleteOnExit();
                    java.nio.file.Files.writeString(f, org.netgeom.ir.io.IrWriter.toJson(m));
                    files.add(f);
                    var rs = Regions.enumerate(m, d, Options.defaults());
                    regions += rs.activationRegions();
                    results.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(JsonOut.write(
                            org.netgeom.cli.commands.RegionsCommand.json(rs))));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // both warmed up and measured interleaved, like the rows above; the checker's code is cold until here
            // (the enumeration's was warmed by the rows above), so it gets a longer warm-up
            double[][] t = time(List.of(() -> run(models, d, Options.Arithmetic.EXACT, true), () -> {
                for (int i = 0; i < models.size(); i++) {
                    org.netgeom.certify.Certifier.certify(files.get(i), results.get(i), org.netgeom.certify.DomainSpec.box("-1,1"));
                }
                return models.size();
            }), Math.max(3, repeat), quick, 4);
            double enumerate = t[0][0];
            double check = t[1][0];
            Map<String, Object> r = JsonOut.object();
            r.put("net", n.name());
            r.put("regions", regions);
            r.put("enumerateWithPiecesSeconds", enumerate);
            r.put("certifySeconds", check);
            r.put("certifyOverEnumerate", check / enumerate);
            rows.add(r);
            if (w != null) {
                w.printf("%-17s %8d %14.3f %12.3f %9.0f%%%n", n.name(), regions, enumerate, check, 100 * check / enumerate);
                w.flush();
            }
        }
        return rows;
    }

    private static long run(List<Model> models, Domain d, Options.Arithmetic a, boolean pieces) {
        long n = 0;
        Options o = Options.defaults().withArithmetic(a);
        for (Model m : models) {
            if (pieces) {
                n += Regions.enumerate(m, d, o).activationRegions();
            } else {
                NetworkProgram p = NetworkProgram.forModel(m, AffineMap.identity(m.input().size()), a == Options.Arithmetic.FLOAT64);
                n += CellEnumerator.enumerate(d, p, o, c -> { }).cells;
            }
        }
        return n;
    }

    /**
     * Each job's best and median wall time (seconds) over {@code repeat} interleaved runs, after
     * warming all of them up for 1.5 s (JIT).
     */
    private double[][] time(List<java.util.function.LongSupplier> jobs) {
        return time(jobs, repeat, quick);
    }

    /** The same for any benchmark of this package: {@code repeat} measurements, a short warm-up when {@code quick}. */
    static double[][] time(List<java.util.function.LongSupplier> jobs, int repeat, boolean quick) {
        return time(jobs, repeat, quick, 1.5);
    }

    /**
     * The same with {@code warmSeconds} of warm-up (0.2 s when quick), at most 200 rounds. Each row
     * is {best, median, best process CPU time} per pass: the CPU time (all of the JVM's threads, JIT
     * and GC included) is what other work on a shared machine disturbs least.
     */
    static double[][] time(List<java.util.function.LongSupplier> jobs, int repeat, boolean quick, double warmSeconds) {
        long warm = System.nanoTime();
        for (int i = 0; i < 200 && System.nanoTime() - warm < (quick ? 200_000_000L : (long) (warmSeconds * 1e9)); i++) {
            for (var j : jobs) {
                j.getAsLong();
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[][] t = new double[jobs.size()][repeat];
        double[][] cpu = new double[jobs.size()][repeat];
        long minNanos = quick ? 0 : 250_000_000L;
        for (int i = 0; i < repeat; i++) {
            for (int j = 0; j < jobs.size(); j++) {
                // one measurement: the job repeated for at least 0.25 s, per pass
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                int passes = 0;
                do {
                    jobs.get(j).getAsLong();
                    passes++;
                } while (System.nanoTime() - t0 < minNanos);
                t[j][i] = (System.nanoTime() - t0) / 1e9 / passes;
                cpu[j][i] = (os.getProcessCpuTime() - c0) / 1e9 / passes;
            }
        }
        double[][] out = new double[jobs.size()][];
        for (int j = 0; j < jobs.size(); j++) {
            Arrays.sort(t[j]);
            Arrays.sort(cpu[j]);
            out[j] = new double[]{t[j][0], t[j][repeat / 2], cpu[j][0]};
        }
        return out;
    }
}
