package org.netgeom.cli.commands.bench;

import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.kernels.Architecture;
import org.netgeom.symbolic.kernels.DoubleKernels;
import org.netgeom.symbolic.kernels.KernelKind;
import org.netgeom.symbolic.kernels.KernelOptions;
import org.netgeom.symbolic.kernels.KernelResult;
import org.netgeom.symbolic.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code netgeom bench kernel}: the float64 ReLU NTK of depth 3 on n = 2000 random points
 * ({@link DoubleKernels}: upper triangle, all layers per pair in registers, all cores) against a
 * straightforward float64 implementation in the same run (one full n×n matrix per layer and
 * quantity, both triangles, one thread, arccos/sin/cos as written in Cho &amp; Saul), best of
 * {@code --repeat} after a warm-up, printed as a ratio; then the certified 30-digit kernel and
 * eigenvalues on n = 200 points (wall time).
 */
@Command(name = "kernel", description = "Float64 NTK (n = 2000, depth 3) against a straightforward implementation; "
        + "certified 30-digit kernel and eigenvalues on n = 200.")
public final class KernelBench extends BaseCommand {
    @Option(names = "--n", defaultValue = "2000", description = "Points for the float64 run (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dim", defaultValue = "10", description = "Input dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--depth", defaultValue = "3", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--n-precise", defaultValue = "200", description = "Points for the certified run (default ${DEFAULT-VALUE}).")
    int nPrecise;

    @Option(names = "--digits", defaultValue = "30", description = "Digits of the certified run (default ${DEFAULT-VALUE}).")
    int digits;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions, best kept (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
        if (n < 2 || dim < 1 || depth < 0 || nPrecise < 2 || repeat < 1) {
            throw CliError.USAGE.error("bench kernel needs n >= 2, dim >= 1, depth >= 0, n-precise >= 2, repeat >= 1");
        }
        Architecture arch = Architecture.relu(depth);
        double[][] x = points(n, dim, 1);
        double[][] fast = DoubleKernels.kernel(KernelKind.NTK, x, arch);          // warm-up
        double[][] plain = Straightforward.ntk(x, depth, 2, 0);
        double diff = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                diff = Math.max(diff, Math.abs(fast[i][j] - plain[i][j]) / Math.max(1, Math.abs(plain[i][j])));
            }
        }
        double tFast = Double.MAX_VALUE;
        double tPlain = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            DoubleKernels.kernel(KernelKind.NTK, x, arch);
            tFast = Math.min(tFast, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            Straightforward.ntk(x, depth, 2, 0);
            tPlain = Math.min(tPlain, (System.nanoTime() - t0) / 1e9);
        }
        double[][] xp = points(nPrecise, dim, 2);
        Rational[][] xq = new Rational[nPrecise][dim];
        for (int i = 0; i < nPrecise; i++) {
            for (int k = 0; k < dim; k++) {
                xq[i][k] = Rational.fromDouble(xp[i][k]);
            }
        }
        Progress progress = json ? Progress.NONE : ProgressBars.forStderr();
        long t0 = System.nanoTime();
        KernelResult precise = Kernels.compute(KernelKind.NTK, xq, arch, KernelOptions.defaults().withDigits(digits)
                .withProgress(progress));
        double tPrecise = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> o = JsonOut.object();
        o.put("n", n);
        o.put("dim", dim);
        o.put("depth", depth);
        o.put("threads", Runtime.getRuntime().availableProcessors());
        o.put("fastSeconds", tFast);
        o.put("straightforwardSeconds", tPlain);
        o.put("ratio", tPlain / tFast);
        o.put("maxRelativeDifference", diff);
        o.put("nPrecise", nPrecise);
        o.put("digits", digits);
        o.put("preciseSeconds", tPrecise);
        o.put("preciseWorkingDigits", precise.workingDigits());
        o.put("preciseWarnings", precise.warnings().size());
        o.put("reference", BenchEnv.reference("straightforward float64 NTK recursion, one thread, full n×n matrices"));
        if (json) {
            printJson(o);
        } else {
            out().println("reference: " + o.get("reference"));
            out().printf("NTK, ReLU, depth %d, n = %d points in R^%d, float64, %d threads:%n", depth, n, dim,
                    Runtime.getRuntime().availableProcessors());
            out().printf("  DoubleKernels    %8.3f s%n", tFast);
            out().printf("  straightforward  %8.3f s%n", tPlain);
            out().printf("  ratio            %8.2fx   (goal >= 1.0x; max relative difference %.1e)%n", tPlain / tFast, diff);
            out().printf("certified %d digits, n = %d: %.2f s (kernel twice at %d and %d digits, eigenvalues)%n",
                    digits, nPrecise, tPrecise, precise.workingDigits() - 10, precise.workingDigits());
        }
        return 0;
    }

    static double[][] points(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = r.nextGaussian();
            }
        }
        return x;
    }

    /** The reference: the recursion as usually written, one n×n matrix per layer. */
    static final class Straightforward {
        private Straightforward() {
        }

        static double[][] ntk(double[][] x, int depth, double w2, double b2) {
            int n = x.length;
            int d = x[0].length;
            double[][] sigma = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x[i][k] * x[j][k];
                    }
                    sigma[i][j] = w2 * s / d + b2;
                }
            }
            double[][] theta = new double[n][n];
            for (int i = 0; i < n; i++) {
                theta[i] = sigma[i].clone();
            }
            for (int l = 0; l < depth; l++) {
                double[][] next = new double[n][n];
                double[][] dot = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double norm = Math.sqrt(sigma[i][i] * sigma[j][j]);
                        double c = Math.max(-1, Math.min(1, sigma[i][j] / norm));
                        double th = Math.acos(c);
                        next[i][j] = w2 * norm / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * Math.cos(th)) + b2;
                        dot[i][j] = (Math.PI - th) / (2 * Math.PI);
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        theta[i][j] = next[i][j] + w2 * dot[i][j] * theta[i][j];
                    }
                }
                sigma = next;
            }
            return theta;
        }
    }
}
