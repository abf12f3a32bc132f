package org.netgeom.cli.commands.bench;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.curvature.Lanczos;
import org.netgeom.numeric.curvature.LinearOperator;
import org.netgeom.numeric.curvature.LossHessian;
import org.netgeom.numeric.curvature.PowerIteration;
import org.netgeom.numeric.linalg.Parallel;
import org.netgeom.numeric.loss.Loss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom bench hessian}: the top Hessian eigenvalue of the cross-entropy loss of an MLP
 * (default 784-512-512-10 at PyTorch's initialisation, 256 examples), by Lanczos (what
 * {@code netgeom hessian --top-k 1} runs) against power iteration (PyHessian's method), in
 * Hessian-vector products and seconds: power iteration with PyHessian's defaults (tol 1e-3, at
 * most 100 products) and power iteration run until it agrees with the Lanczos value to
 * {@code --accuracy}.
 */
@Command(name = "hessian", description = "Top Hessian eigenvalue: Lanczos vs power iteration (HVPs and time).")
public final class BenchHessianCommand extends BaseCommand {
    @Option(names = "--widths", defaultValue = "784-512-512-10", paramLabel = "W0-W1-..", description = "The MLP (default 784-512-512-10).")
    String widths;

    @Option(names = "--samples", defaultValue = "256", paramLabel = "N", description = "Examples (default 256).")
    int samples;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "T", description = "Threads (default 2).")
    int threads;

    @Option(names = "--accuracy", defaultValue = "1e-8", paramLabel = "A", description = "Relative accuracy power iteration must reach (default 1e-8).")
    double accuracy;

    @Option(names = "--max-power", defaultValue = "2000", paramLabel = "M", description = "Cap on power-iteration products (default 2000).")
    int maxPower;

    @Override
    public Integer call() {
        int[] w = BenchJob.widths(widths);
        Parallel.setThreads(threads);
        BenchJob job = new BenchJob(w, samples, 0);
        LossHessian h = new LossHessian(job.net, job.x, job.y, samples, Loss.CROSS_ENTROPY);
        double[] warm = new double[h.dim()];
        java.util.Arrays.fill(warm, 1e-3);
        for (int i = 0; i < 8; i++) {
            h.apply(warm, new double[h.dim()]);                  // warm the JIT before timing
        }
        long t0 = System.nanoTime();
        long c0 = h.applications();
        Lanczos.Result lz = Lanczos.topK(h, 1, 300, 1e-10, 0, Progress.NONE);
        double lzSec = (System.nanoTime() - t0) / 1e9;
        long lzHvps = h.applications() - c0;
        double lambda = lz.values()[0];

        t0 = System.nanoTime();
        c0 = h.applications();
        PowerIteration.Result pyh = PowerIteration.top(h, 100, 1e-3, 0);
        double pyhSec = (System.nanoTime() - t0) / 1e9;
        long pyhHvps = h.applications() - c0;

        Counting target = new Counting(h, lambda, accuracy);
        t0 = System.nanoTime();
        PowerIteration.Result pw = PowerIteration.top(target, maxPower, 0, 0);
        double pwSec = (System.nanoTime() - t0) / 1e9;
        boolean reached = target.reachedAt > 0;
        long pwHvps = reached ? target.reachedAt : pw.iterations();
        double pwTime = reached ? pwSec * target.reachedAt / Math.max(1, pw.iterations()) : pwSec;

        Map<String, Object> o = JsonOut.object();
        o.put("job", "MLP " + widths + ", " + samples + " examples, cross_entropy, float64, " + threads + " threads, P = " + h.dim());
        o.put("lanczos", Map.of("value", lambda, "hvps", lzHvps, "seconds", lzSec, "residual", lz.residuals()[0]));
        o.put("powerPyHessianDefaults", Map.of("value", pyh.value(), "hvps", pyhHvps, "seconds", pyhSec,
                "relError", Math.abs(pyh.value() - lambda) / Math.abs(lambda)));
        o.put("powerToAccuracy", Map.of("accuracy", accuracy, "reached", reached, "hvps", pwHvps, "seconds", pwTime,
                "relError", Math.abs(target.last - lambda) / Math.abs(lambda)));
        o.put("hvpRatio", (double) pwHvps / lzHvps);
        o.put("timeRatio", pwTime / lzSec);
        o.put("reference", BenchEnv.reference("power iteration on the same Hessian-vector products, " + threads + " threads"));
        if (json) {
            printJson(o);
            return 0;
        }
        out().println("bench hessian: " + o.get("job"));
        out().println("  reference: " + o.get("reference"));
        out().printf(Locale.ROOT, "  Lanczos (tol 1e-10)         λ1 = %.12g   %4d HVPs  %7.2f s%n", lambda, lzHvps, lzSec);
        out().printf(Locale.ROOT, "  power, PyHessian defaults   λ1 = %.12g   %4d HVPs  %7.2f s  (rel. error %.1e)%n", pyh.value(), pyhHvps,
                pyhSec, Math.abs(pyh.value() - lambda) / Math.abs(lambda));
        out().printf(Locale.ROOT, "  power to %.0e              %s %4d HVPs  %7.2f s%n", accuracy,
                reached ? "reached at" : "NOT reached, capped at", pwHvps, pwTime);
        out().printf(Locale.ROOT, "  Lanczos needs %.1fx fewer HVPs and %.1fx less time than power iteration at %.0e%n",
                (double) pwHvps / lzHvps, pwTime / lzSec, accuracy);
        return 0;
    }

    /** Counts products until the Rayleigh quotient of the iterate is within the accuracy of the target. */
    private static final class Counting implements LinearOperator {
        private final LinearOperator a;
        private final double target;
        private final double acc;
        long reachedAt;
        double last;
        private long count;

        Counting(LinearOperator a, double target, double acc) {
            this.a = a;
            this.target = target;
            this.acc = acc;
        }

        @Override
        public int dim() {
            return a.dim();
        }

        @Override
        public void apply(double[] v, double[] out) {
            a.apply(v, out);
            count++;
            double q = 0;
            for (int i = 0; i < v.length; i++) {
                q += v[i] * out[i];
            }
            last = q;
            if (reachedAt == 0 && Math.abs(q - target) <= acc * Math.abs(target)) {
                reachedAt = count;
            }
            if (reachedAt > 0) {
                java.util.Arrays.fill(out, 0);       // stops the iteration: a zero product ends it
            }
        }

        @Override
        public long applications() {
            return count;
        }
    }
}
