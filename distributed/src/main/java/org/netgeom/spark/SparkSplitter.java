package org.netgeom.spark;

import org.apache.spark.api.java.JavaRDD;
import org.netgeom.cli.RegionSplitter;
import org.netgeom.ir.ErrorCode;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import org.netgeom.symbolic.regions.SplitMerge;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code regions --split N} on Spark: the box is cut into about N sub-boxes
 * ({@link SplitMerge#grid}), each sub-box is enumerated exactly by one Spark task (the model, the
 * slice map and the sub-box travel as exact text), each task sends back its regions with its own
 * affine pieces and cut-plane facets as compact binary records ({@link Records}), and the driver
 * merges them by pattern and glues the pieces ({@link SplitMerge#merge}, which states why the
 * merged result is the single-process one; {@link #profile()} says where the time went). A task
 * that fails is retried by Spark; a netgeom user error inside a task (e.g. BUDGET_EXCEEDED) comes
 * back as that coded error.
 */
public final class SparkSplitter implements RegionSplitter {

    /** What one task needs: the exact model and map as text, one sub-box and the whole box, the options. */
    record Task(String key, int index, String modelJson, String[][] mapA, String[] mapB, String[] lo, String[] hi,
                String[] wholeLo, String[] wholeHi, String mode, long budget) implements Serializable {
    }

    /**
     * What one task returns: its regions as compact binary records ({@link Records}), how many, the
     * counters, the task thread's CPU nanoseconds, or a coded error.
     */
    record Result(int index, byte[] regions, int count, long[] stats, long cpuNanos, String errorCode, String errorMessage,
                  String errorPath) implements Serializable {
    }

    /**
     * Where the time of the last {@link #enumerate} went, in seconds: starting the Spark context,
     * the tasks (from submitting them to the last result on the driver), decoding the records on
     * the driver, the merge, stopping the context; CPU seconds of the tasks (summed over the
     * executor threads; and of the longest task, the critical path on many cores) and of the driver
     * thread (decoding and merging); the bytes shipped.
     */
    public record Profile(int boxes, double startSeconds, double tasksSeconds, double decodeSeconds, double mergeSeconds,
                          double stopSeconds, double executorCpuSeconds, double maxTaskCpuSeconds, double driverCpuSeconds,
                          long resultBytes, long pieces) {
    }

    private volatile Profile profile;

    /** The profile of this splitter's last enumeration (null before the first). */
    public Profile profile() {
        return profile;
    }

    @Override
    public RegionSet enumerate(Model model, AffineMap inputMap, Domain domain, Options options, int split, String master) {
        List<Domain> boxes = SplitMerge.grid(domain, split);
        String modelJson = IrWriter.toJson(model, new IrWriter.Options(IrWriter.DoubleStyle.EXACT, false));
        String[][] a = text(inputMap.a());
        String[] b = text(inputMap.b());
        String key = hash(modelJson + "|" + inputMap + "|" + split + "|" + java.util.Arrays.toString(domain.lower())
                + java.util.Arrays.toString(domain.upper()));
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            tasks.add(new Task("split-" + key + "-" + i, i, modelJson, a, b, text(boxes.get(i).lower()), text(boxes.get(i).upper()),
                    text(domain.lower()), text(domain.upper()), options.mode().name(), options.budget()));
        }
        List<Result> results;
        long t0 = System.nanoTime();
        long t1;
        long t2;
        SparkRuntime rt = SparkRuntime.open(master, false);
        try {
            t1 = System.nanoTime();
            JavaRDD<Task> rdd = rt.context().parallelize(tasks, tasks.size());
            results = rdd.map(SparkSplitter::run).collect();
            t2 = System.nanoTime();
        } finally {
            rt.close();
        }
        long t3 = System.nanoTime();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        Stats total = new Stats();
        List<SplitMerge.Piece> pieces = new ArrayList<>();
        long bytes = 0;
        long execCpu = 0;
        long maxCpu = 0;
        for (Result r : results) {
            if (r.errorCode() != null) {
                throw new NetgeomException(code(r.errorCode()), r.errorMessage() + " (in sub-box " + r.index() + " of "
                        + boxes.size() + ")", r.errorPath());
            }
            add(total, r.stats());
            bytes += r.regions().length;
            execCpu += r.cpuNanos();
            maxCpu = Math.max(maxCpu, r.cpuNanos());
            Records.decode(r.regions(), r.count(), r.index(), inputMap.variables(), pieces);
        }
        long t4 = System.nanoTime();
        RegionSet merged = SplitMerge.merge(model, inputMap, domain, options, pieces, total);
        long t5 = System.nanoTime();
        long cpu1 = mx.getCurrentThreadCpuTime();
        profile = new Profile(boxes.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9, (t3 - t2) / 1e9,
                execCpu / 1e9, maxCpu / 1e9, (cpu1 - cpu0) / 1e9, bytes, pieces.size());
        return merged;
    }

    /** One sub-box, exactly (runs in a Spark task). */
    static Result run(Task t) {
        FaultHook.maybeFail(t.key());
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        try {
            Model m = IrReader.read(t.modelJson(), Path.of("."));
            AffineMap in = new AffineMap(rationals(t.mapA()), rationals(t.mapB()));
            Domain d = Domain.box(rationals(t.lo()), rationals(t.hi()));
            Domain whole = Domain.box(rationals(t.wholeLo()), rationals(t.wholeHi()));
            Options o = Options.defaults().withBudget(t.budget()).withMode(Options.Mode.valueOf(t.mode()));
            RegionSet rs = Regions.enumerate(m, in, d, o);
            List<SplitMerge.Piece> ps = SplitMerge.pieces(rs, t.index(), whole);
            byte[] data = Records.encode(ps);
            Stats s = rs.stats();
            long[] st = {s.cells, s.nodes, s.splits, s.vertexProofs, s.farkasProofs, s.lpCalls, s.exactSimplex, s.witnessChecks,
                    s.inequalityChecks};
            return new Result(t.index(), data, ps.size(), st, mx.getCurrentThreadCpuTime() - cpu0, null, null, null);
        } catch (NetgeomException e) {
            return new Result(t.index(), new byte[0], 0, null, 0, e.code().name(), e.getMessage(), e.path());
        }
    }

    private static String[] text(Rational[] v) {
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i].toString();
        }
        return s;
    }

    private static String[][] text(Rational[][] a) {
        String[][] s = new String[a.length][];
        for (int i = 0; i < a.length; i++) {
            s[i] = text(a[i]);
        }
        return s;
    }

    private static Rational[] rationals(String[] s) {
        Rational[] v = new Rational[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = Rational.parse(s[i]);
        }
        return v;
    }

    private static Rational[][] rationals(String[][] s) {
        Rational[][] a = new Rational[s.length][];
        for (int i = 0; i < s.length; i++) {
            a[i] = rationals(s[i]);
        }
        return a;
    }

    private static void add(Stats t, long[] s) {
        t.cells += s[0];
        t.nodes += s[1];
        t.splits += s[2];
        t.vertexProofs += s[3];
        t.farkasProofs += s[4];
        t.lpCalls += s[5];
        t.exactSimplex += s[6];
        t.witnessChecks += s[7];
        t.inequalityChecks += s[8];
    }

    /** The error code of that name among netgeom's code enums. */
    static ErrorCode code(String name) {
        for (Class<? extends Enum<?>> c : List.<Class<? extends Enum<?>>>of(SymbolicError.class, IrError.class,
                org.netgeom.cli.CliError.class)) {
            for (Enum<?> e : c.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return (ErrorCode) e;
                }
            }
        }
        return org.netgeom.cli.CliError.INTERNAL;
    }

    /** SHA-256, the first 16 hex digits. */
    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
