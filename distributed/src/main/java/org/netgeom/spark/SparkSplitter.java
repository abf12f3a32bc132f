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
import org.netgeom.symbolic.regions.Region;
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
 * slice map and the sub-box travel as exact text), and the driver merges the pieces by pattern
 * ({@link SplitMerge#merge}, which states why the merged result is the single-process one). A task
 * that fails is retried by Spark; a netgeom user error inside a task (e.g. BUDGET_EXCEEDED) comes
 * back as that coded error.
 */
public final class SparkSplitter implements RegionSplitter {

    /** What one task needs: the exact model and map as text, one sub-box, the options. */
    record Task(String key, int index, String modelJson, String[][] mapA, String[] mapB, String[] lo, String[] hi,
                String mode, long budget) implements Serializable {
    }

    /** What one task returns: each region as text lines, the counters, or a coded error. */
    record Result(int index, List<String> regions, long[] stats, String errorCode, String errorMessage, String errorPath)
            implements Serializable {
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
                    options.mode().name(), options.budget()));
        }
        List<Result> results;
        try (SparkRuntime rt = SparkRuntime.open(master, false)) {
            JavaRDD<Task> rdd = rt.context().parallelize(tasks, tasks.size());
            results = rdd.map(SparkSplitter::run).collect();
        }
        Stats total = new Stats();
        List<SplitMerge.Piece> pieces = new ArrayList<>();
        for (Result r : results) {
            if (r.errorCode() != null) {
                throw new NetgeomException(code(r.errorCode()), r.errorMessage() + " (in sub-box " + r.index() + " of "
                        + boxes.size() + ")", r.errorPath());
            }
            add(total, r.stats());
            for (String line : r.regions()) {
                pieces.add(piece(line, inputMap.variables()));
            }
        }
        return SplitMerge.merge(model, inputMap, domain, options, pieces, total);
    }

    /** One sub-box, exactly (runs in a Spark task). */
    static Result run(Task t) {
        FaultHook.maybeFail(t.key());
        try {
            Model m = IrReader.read(t.modelJson(), Path.of("."));
            AffineMap in = new AffineMap(rationals(t.mapA()), rationals(t.mapB()));
            Domain d = Domain.box(rationals(t.lo()), rationals(t.hi()));
            Options o = Options.defaults().withBudget(t.budget()).withMode(Options.Mode.valueOf(t.mode()));
            RegionSet rs = Regions.enumerate(m, in, d, o);
            List<String> lines = new ArrayList<>(rs.activationRegions());
            for (Region r : rs.regions()) {
                lines.add(line(r));
            }
            Stats s = rs.stats();
            long[] st = {s.cells, s.nodes, s.splits, s.vertexProofs, s.farkasProofs, s.lpCalls, s.exactSimplex, s.witnessChecks,
                    s.inequalityChecks};
            return new Result(t.index(), lines, st, null, null, null);
        } catch (NetgeomException e) {
            return new Result(t.index(), List.of(), null, e.code().name(), e.getMessage(), e.path());
        }
    }

    /** pattern | witness | A rows ; separated | b | vertices ; separated (or -). */
    static String line(Region r) {
        StringBuilder sb = new StringBuilder(r.pattern()).append('|').append(join(r.witness())).append('|');
        Rational[][] a = r.map().a();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ";").append(join(a[i]));
        }
        sb.append('|').append(join(r.map().b())).append('|');
        List<Rational[]> vs = r.vertices();
        if (vs == null) {
            sb.append('-');
        } else {
            for (int i = 0; i < vs.size(); i++) {
                sb.append(i == 0 ? "" : ";").append(join(vs.get(i)));
            }
        }
        return sb.toString();
    }

    static SplitMerge.Piece piece(String line, int k) {
        String[] f = line.split("\\|", -1);
        Rational[] w = vector(f[1]);
        String[] rows = f[2].split(";");
        Rational[][] a = new Rational[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            a[i] = vector(rows[i]);
        }
        Rational[] b = vector(f[3]);
        List<Rational[]> vs = null;
        if (!f[4].equals("-")) {
            vs = new ArrayList<>();
            for (String v : f[4].split(";")) {
                vs.add(vector(v));
            }
        }
        return new SplitMerge.Piece(f[0], w, new AffineMap(a, b), vs);
    }

    private static String join(Rational[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    private static Rational[] vector(String s) {
        if (s.isEmpty()) {
            return new Rational[0];
        }
        String[] p = s.split(",");
        Rational[] out = new Rational[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Rational.parse(p[i]);
        }
        return out;
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
