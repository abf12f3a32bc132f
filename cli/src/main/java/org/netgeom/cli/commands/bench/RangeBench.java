package org.netgeom.cli.commands.bench;

import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import org.netgeom.symbolic.verify.BranchAndBound;
import org.netgeom.symbolic.verify.Graph;
import org.netgeom.symbolic.verify.Relaxation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom bench range}: the exact range of output 0 (its minimum and maximum, each with a
 * witness, as {@code netgeom range} computes them: CROWN-bounded branch and bound with input
 * splits) against the full region enumeration it avoids (what a user would otherwise run:
 * {@code Regions.enumerate} in vertex mode, affine pieces included as {@code regions} computes
 * them, then the extremes of each region's affine map over its vertices), in the same JVM, on the
 * same He-initialised nets as {@code bench regions --scale}, box [−1, 1]^n. Both answers must be
 * equal (the bench prints MISMATCH and exits 1 otherwise), and both witnesses are re-evaluated by
 * the exact forward pass. Interleaved runs after a warm-up; the best of {@code --repeat}
 * measurements, with the medians.
 */
@Command(name = "range", description = "Exact range by branch and bound against the full region enumeration, same nets, same run; prints the ratio.")
public final class RangeBench extends BaseCommand {
    @Option(names = "--nets", paramLabel = "ID,...", defaultValue = "2d-32,2d-64,3d-16",
            description = "Nets: 2d-16 (2 -> 16x2 -> 1), 2d-32 (2 -> 32x3 -> 1), 2d-64 (2 -> 64x3 -> 1, the issue's goal), 2d-deep (2 -> 24x6 -> 1), "
                    + "3d-16 (3 -> 16x3 -> 1), 3d-32 (3 -> 32x2 -> 1).")
    String nets;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "2", description = "Seeded nets per architecture (seeds 1..S).")
    int seeds;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Measurements per job (the best is reported).")
    int repeat;

    @Option(names = "--input-splits", paramLabel = "K", description = "Input bisections per path before unit splits (default: range's, 8 per input up to 3 inputs).")
    Integer inputSplits;

    @Option(names = "--quick", description = "One small net, one seed, one measurement (a smoke test of the benchmark).")
    boolean quick;

    record Net(String id, int inputs, int[] widths) {
        String name() {
            StringBuilder s = new StringBuilder().append(inputs).append(" -> ");
            boolean uniform = Arrays.stream(widths).allMatch(w -> w == widths[0]);
            s.append(uniform ? widths[0] + "x" + widths.length : Arrays.toString(widths));
            return s.append(" -> 1").toString();
        }
    }

    static Net net(String id) {
        return switch (id) {
            case "2d-16" -> new Net(id, 2, new int[]{16, 16});
            case "2d-32" -> new Net(id, 2, new int[]{32, 32, 32});
            case "2d-64" -> new Net(id, 2, new int[]{64, 64, 64});
            case "3d-16" -> new Net(id, 3, new int[]{16, 16, 16});
            case "3d-32" -> new Net(id, 3, new int[]{32, 32});
            case "2d-deep" -> new Net(id, 2, new int[]{24, 24, 24, 24, 24, 24});
            default -> throw CliError.USAGE.error("unknown net '" + id + "' (2d-16, 2d-32, 2d-64, 2d-deep, 3d-16, 3d-32)");
        };
    }

    /**
     * The exact range [min, max] of output 0 and its two witnesses; {@code work} is what it took:
     * branch-and-bound nodes, or the regions enumerated.
     */
    record Range(Rational min, Rational max, Rational[] argmin, Rational[] argmax, long work) {
    }

    static Range range(Model m, Graph g, Domain d, BranchAndBound.Limits lim) {
        Rational[] c = {Rational.ONE};
        Rational[] neg = {Rational.ONE.negate()};
        BranchAndBound.Result max = BranchAndBound.maximize(m, g, d, c, lim, null);
        BranchAndBound.Result min = BranchAndBound.maximize(m, g, d, neg, lim, null);
        if (!max.complete() || !min.complete()) {
            throw new IllegalStateException("range search stopped at a limit on " + m.name());
        }
        return new Range(min.value().negate(), max.value(), min.argmax(), max.argmax(), max.nodes() + min.nodes());
    }

    /** The same from the full enumeration: the extremes of every region's map over its vertices. */
    static Range enumerated(Model m, Domain d) {
        RegionSet rs = Regions.enumerate(m, d, Options.defaults().withMode(Options.Mode.VERTEX));
        Rational lo = null;
        Rational hi = null;
        Rational[] argLo = null;
        Rational[] argHi = null;
        for (Region r : rs.regions()) {
            for (Rational[] v : r.vertices()) {
                Rational y = r.map().apply(v)[0];
                if (lo == null || y.compareTo(lo) < 0) {
                    lo = y;
                    argLo = v;
                }
                if (hi == null || y.compareTo(hi) > 0) {
                    hi = y;
                    argHi = v;
                }
            }
        }
        return new Range(lo, hi, argLo, argHi, rs.activationRegions());
    }

    @Override
    public Integer call() {
        List<Net> list = new ArrayList<>();
        for (String id : (quick ? "2d-16" : nets).split(",")) {
            list.add(net(id.trim()));
        }
        if (quick) {
            seeds = 1;
            repeat = 1;
        }
        if (seeds < 1 || repeat < 1) {
            throw CliError.USAGE.error("--seeds and --repeat must be positive");
        }
        if (inputSplits != null && inputSplits < 0) {
            throw CliError.USAGE.error("--input-splits must be 0 or more");
        }
        var w = json ? null : out();
        if (w != null) {
            w.printf("netgeom bench range: exact range of output 0 over [-1, 1]^n (min and max with witnesses) by branch and bound "
                    + "(CROWN, input splits) against the full region enumeration (vertex mode, pieces included) and the extremes of "
                    + "each region's map over its vertices; He-initialised relu nets as bench regions --scale; wall time best of %d "
                    + "interleaved measurements (each at least 0.25 s of passes) after a warm-up (medians in brackets), and the best "
                    + "process CPU time (all JVM threads); %s%n", repeat, BenchEnv.jvm());
            w.printf("%-18s %5s %9s %7s %16s %16s %8s %8s %8s %8s %8s  %s%n", "net", "seed", "regions", "nodes", "range s", "enumerate s",
                    "ratio", "median", "cpu s", "enum cpu", "cpu ratio", "min, max");
            w.flush();
        }
        List<Object> rows = new ArrayList<>();
        boolean mismatch = false;
        for (Net n : list) {
            for (int s = 1; s <= seeds; s++) {
                Model m = RegionsScaleBench.he(s, n.inputs(), n.widths());
                Domain d = RegionsBench.box(n.inputs());
                Graph g = Graph.of(m);
                int splits = inputSplits != null ? inputSplits : org.netgeom.cli.commands.RangeCommand.defaultInputSplits(n.inputs());
                BranchAndBound.Limits lim = new BranchAndBound.Limits(Relaxation.Method.CROWN, Long.MAX_VALUE, 0, splits);
                Range[] got = new Range[2];
                double[][] t = RegionsBench.time(List.of(() -> {
                    got[0] = range(m, g, d, lim);
                    return got[0].work();
                }, () -> {
                    got[1] = enumerated(m, d);
                    return got[1].work();
                }), repeat, quick, 1.5);
                Range bb = got[0];
                Range en = got[1];
                boolean agree = bb.min().equals(en.min()) && bb.max().equals(en.max())
                        && ExactForward.eval(m, bb.argmin())[0].equals(bb.min()) && ExactForward.eval(m, bb.argmax())[0].equals(bb.max())
                        && ExactForward.eval(m, en.argmin())[0].equals(en.min()) && ExactForward.eval(m, en.argmax())[0].equals(en.max());
                mismatch |= !agree;
                double ratio = t[1][0] / t[0][0];
                double medianRatio = t[1][1] / t[0][1];
                double cpuRatio = t[1][2] / t[0][2];
                Map<String, Object> r = JsonOut.object();
                r.put("net", n.id());
                r.put("architecture", n.name());
                r.put("seed", s);
                r.put("regions", en.work());
                r.put("nodes", bb.work());
                r.put("inputSplits", splits);
                r.put("rangeSeconds", t[0][0]);
                r.put("rangeMedianSeconds", t[0][1]);
                r.put("enumerateSeconds", t[1][0]);
                r.put("enumerateMedianSeconds", t[1][1]);
                r.put("speedup", ratio);
                r.put("medianSpeedup", medianRatio);
                r.put("rangeCpuSeconds", t[0][2]);
                r.put("enumerateCpuSeconds", t[1][2]);
                r.put("cpuSpeedup", cpuRatio);
                r.put("min", JsonOut.exact(bb.min()));
                r.put("max", JsonOut.exact(bb.max()));
                r.put("agree", agree);
                rows.add(r);
                if (w != null) {
                    w.printf("%-18s %5d %9d %7d %7.3f (%6.3f) %7.3f (%6.3f) %7.2fx %7.2fx %8.3f %8.3f %8.2fx  %.6g, %.6g%s%n", n.name(), s,
                            en.work(), bb.work(), t[0][0], t[0][1], t[1][0], t[1][1], ratio, medianRatio, t[0][2], t[1][2], cpuRatio,
                            bb.min().doubleValue(), bb.max().doubleValue(),
                            agree ? "" : "  MISMATCH: enumeration gives " + en.min() + ", " + en.max());
                    w.flush();
                }
            }
        }
        if (json) {
            Map<String, Object> o = JsonOut.object();
            o.put("rows", rows);
            o.put("repeat", repeat);
            o.put("reference", BenchEnv.reference("the full region enumeration (vertex mode, pieces) and the extremes over region vertices"));
            o.put("agree", !mismatch);
            printJson(o);
        }
        return mismatch ? 1 : 0;
    }
}
