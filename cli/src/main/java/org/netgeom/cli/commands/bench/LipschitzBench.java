package org.netgeom.cli.commands.bench;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Model;
import org.netgeom.symbolic.perturb.Lipschitz;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code netgeom bench lipschitz}: the exact Lipschitz constant ({@code perturb --lipschitz}: the
 * exact region enumeration, then ℓ∞ and ℓ1 norms in rationals and σ₁² as an exact algebraic
 * number compared exactly across regions) against, in the same run, (a) the exact enumeration
 * alone (what the norms add) and (b) a float64 run of the same search with the norms in doubles
 * (σ₁ by power iteration on the Gram matrix): no certificates, the baseline a float code would
 * give. Seeded random relu nets (weights j/16) on [−1, 1]^n; the modes run interleaved after a
 * warm-up, best of R runs (and the median).
 */
@Command(name = "lipschitz", description = "Exact Lipschitz constants: time against the bare enumeration and a float64 run.")
public final class LipschitzBench extends BaseCommand {
    @Option(names = "--repeat", paramLabel = "R", defaultValue = "5", description = "Timed runs per measurement (best and median reported).")
    int repeat;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "3", description = "Random nets per architecture (seeds 1..S).")
    int seeds;

    @Option(names = "--quick", description = "One run, one seed (a smoke test of the benchmark).")
    boolean quick;

    record Net(String name, int inputs, int[] widths, int outputs) {
    }

    /** Keeps the float64 norms alive (so that the JIT cannot drop them). */
    static volatile double sink;

    static final List<Net> NETS = List.of(new Net("2-in [16,16] 1-out", 2, new int[]{16, 16}, 1),
            new Net("2-in [16,16] 3-out", 2, new int[]{16, 16}, 3), new Net("3-in [8,8,8] 3-out", 3, new int[]{8, 8, 8}, 3));

    @Override
    public Integer call() {
        if (quick) {
            repeat = 1;
            seeds = 1;
        }
        var w = out();
        if (!json) {
            w.printf("netgeom bench lipschitz: exact Lipschitz constants (l-inf, l1, l2) vs the bare exact enumeration and a float64 run of "
                    + "the same search with float64 norms; %d random relu nets per architecture (weights j/16), box [-1,1]^n; best of %d "
                    + "interleaved measurements (medians in brackets); %d cores, Java %s%n", seeds, repeat,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            w.printf("%-20s %8s %9s %12s %12s %12s %10s %10s%n", "net", "regions", "spectra", "lipschitz s", "enumerate s",
                    "float64 s", "lip/enum", "lip/f64");
            w.flush();
        }
        List<Object> rows = new ArrayList<>();
        for (Net n : NETS) {
            List<Model> models = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                models.add(RandomNets.mlp(s, n.inputs(), n.widths(), n.outputs(), "relu", 16));
            }
            Domain d = RegionsBench.box(n.inputs());
            long[] spectra = {0};
            long regions = 0;
            for (Model m : models) {
                Lipschitz.Result r = Lipschitz.compute(m, d, Options.defaults());
                regions += r.regions();
                spectra[0] += r.spectra();
            }
            List<LongSupplier> jobs = List.of(
                    () -> {
                        long c = 0;
                        for (Model m : models) {
                            c += Lipschitz.compute(m, d, Options.defaults()).regions();
                        }
                        return c;
                    },
                    () -> enumerate(models, d, Options.Arithmetic.EXACT),
                    () -> enumerate(models, d, Options.Arithmetic.FLOAT64));
            double[][] t = RegionsBench.time(jobs, repeat, quick);
            Map<String, Object> r = JsonOut.object();
            r.put("net", n.name());
            r.put("regions", regions);
            r.put("spectra", spectra[0]);
            r.put("lipschitzSeconds", t[0][0]);
            r.put("enumerateSeconds", t[1][0]);
            r.put("float64Seconds", t[2][0]);
            r.put("lipschitzOverEnumerate", t[0][0] / t[1][0]);
            r.put("lipschitzOverFloat64", t[0][0] / t[2][0]);
            rows.add(r);
            if (!json) {
                w.printf("%-20s %8d %9d %12.4f %12.4f %12.4f %9.2fx %9.2fx   (medians: %.4f, %.4f, %.4f)%n", n.name(), regions, spectra[0],
                        t[0][0], t[1][0], t[2][0], t[0][0] / t[1][0], t[0][0] / t[2][0], t[0][1], t[1][1], t[2][1]);
                w.flush();
            }
        }
        if (!json) {
            w.println("reference: " + BenchEnv.reference("bare exact enumeration and a float64 search with float64 norms"));
        }
        if (json) {
            Map<String, Object> o = JsonOut.object();
            o.put("cores", Runtime.getRuntime().availableProcessors());
            o.put("seeds", seeds);
            o.put("repeat", repeat);
            o.put("nets", rows);
            o.put("reference", BenchEnv.reference("bare exact enumeration and a float64 search with float64 norms"));
            printJson(o);
        }
        return 0;
    }

    /**
     * The same search with every region's map read; in float64 mode the three norms are computed
     * in doubles (the float64 baseline), in exact mode nothing more (the bare enumeration).
     */
    private static long enumerate(List<Model> models, Domain d, Options.Arithmetic a) {
        long n = 0;
        double[] best = new double[3];
        boolean f64 = a == Options.Arithmetic.FLOAT64;
        for (Model m : models) {
            n += Regions.forEach(m, AffineMap.identity(m.input().size()), d, Options.defaults().withArithmetic(a), reg -> {
                AffineMap map = reg.map();
                if (f64) {
                    double[][] x = new double[map.outputs()][map.variables()];
                    for (int i = 0; i < x.length; i++) {
                        for (int j = 0; j < x[i].length; j++) {
                            x[i][j] = map.a(i, j).doubleValue();
                        }
                    }
                    best[0] = Math.max(best[0], rowSum(x));
                    best[1] = Math.max(best[1], rowSum(transpose(x)));
                    best[2] = Math.max(best[2], sigmaMax(x));
                }
            }).cells;
        }
        sink = best[0] + best[1] + best[2];
        return n;
    }

    private static double rowSum(double[][] a) {
        double best = 0;
        for (double[] row : a) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            best = Math.max(best, s);
        }
        return best;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** σ₁ by 60 power iterations on AᵀA (float64). */
    private static double sigmaMax(double[][] a) {
        int n = a[0].length;
        double[] v = new double[n];
        Arrays.fill(v, 1 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 60; it++) {
            double[] av = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < n; j++) {
                    av[i] += a[i][j] * v[j];
                }
            }
            double[] w = new double[n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < a.length; i++) {
                    w[j] += a[i][j] * av[i];
                }
            }
            double norm = 0;
            for (double x : w) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            lambda = norm;
            for (int j = 0; j < n; j++) {
                v[j] = w[j] / norm;
            }
        }
        return Math.sqrt(lambda);
    }
}
