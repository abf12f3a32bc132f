package org.netgeom.cli.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.linalg.Gemm;
import org.netgeom.numeric.linalg.Peak;
import org.netgeom.numeric.linalg.Parallel;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.torch.TorchEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom bench train}: full-batch SGD steps (cross-entropy, lr 0.01) of an MLP
 * 784-512-512-10 on a batch of 256 with 2 threads, in float64 (or {@code --dtype float32}), the
 * Java engine against PyTorch CPU in the same invocation ({@code torch.set_num_threads} and
 * OpenBLAS's threads set to the same number), from the same initial weights; prints steps/s of
 * both, their ratio, GFLOP/s of both against the machine's measured FMA peak
 * ({@link Peak}), the reference's configuration (torch version, threads, the BLAS library loaded),
 * and checks that both loss sequences agree. No ratio is printed when PyTorch runs on the
 * reference BLAS (the comparison would flatter the Java engine) unless
 * {@code --allow-reference-blas}. {@code --e2e} also times {@code netgeom train} end to end
 * against a plain PyTorch script ({@link BenchEndToEnd}, 500 steps by default); {@code --gemm}
 * times the dense kernel against EJML.
 */
@Command(name = "train", description = "Java engine vs PyTorch CPU: training steps/s of an MLP 784-512-512-10 (ratio in one run).")
public final class BenchTrainCommand extends BaseCommand {
    @Option(names = "--widths", defaultValue = "784-512-512-10", paramLabel = "W0-W1-..", description = "The MLP (default 784-512-512-10).")
    String widths;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "B", description = "Examples per step (default 256).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "T", description = "Threads of both engines (default 2).")
    int threads;

    @Option(names = "--dtype", defaultValue = "float64", paramLabel = "float64|float32", description = "Number format of both engines (default float64).")
    String dtype;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "S", description = "Timed steps per engine (default 20).")
    int steps;

    @Option(names = "--warmup", defaultValue = "40", paramLabel = "W", description = "Untimed Java steps first, for the JIT (default 40).")
    int warmup;

    @Option(names = "--torch-warmup", defaultValue = "3", paramLabel = "W", description = "Untimed PyTorch steps first (default 3).")
    int torchWarmup;

    @Option(names = "--no-torch", description = "Time the Java engine only.")
    boolean noTorch;

    @Option(names = "--allow-reference-blas", description = "Print the ratio even when PyTorch runs on the reference BLAS (labelled so).")
    boolean allowReferenceBlas;

    @Option(names = "--e2e", description = "Also time `netgeom train` end to end against a plain PyTorch script.")
    boolean e2e;

    @Option(names = "--e2e-steps", defaultValue = "500", paramLabel = "S", description = "Steps of the end-to-end runs (default 500).")
    int e2eSteps;

    @Option(names = "--e2e-runs", defaultValue = "1", paramLabel = "R", description = "End-to-end runs of each, alternating (default 1).")
    int e2eRuns;

    @Option(names = "--gemm", description = "Also time the dense kernel (vector, plain Java) against EJML on this job's shapes.")
    boolean gemm;

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || threads < 1 || steps < 1 || warmup < 0 || torchWarmup < 0 || e2eSteps < 1 || e2eRuns < 1) {
            throw NumericError.BAD_OPTION.error("--batch, --threads, --steps, --e2e-steps, --e2e-runs must be >= 1, --warmup >= 0");
        }
        Precision prec = Precision.parse(dtype);
        String dt = prec == Precision.F32 ? "float32" : "float64";
        int[] w = BenchJob.widths(widths);
        Parallel.setThreads(threads);
        BenchJob job = new BenchJob(w, batch, 0);
        Net net = prec == Precision.F64 ? job.net : Net.of(job.net.toModel(), Precision.F32);
        Optimizer.Config oc = Optimizer.Config.of("sgd", 0.01, null, null, false, null, null, null, null, false);
        Map<String, Object> o = JsonOut.object();
        o.put("job", "MLP " + widths + ", batch " + batch + ", " + dt + ", cross_entropy, SGD lr 0.01, full batch");
        o.put("dtype", dt);
        o.put("threads", threads);
        Gemm g = prec == Precision.F32 ? Gemm.get32() : Gemm.get();
        o.put("kernel", g.kernelName());
        o.put("java", "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        double flops = stepFlops(w, batch);
        o.put("flopsPerStep", flops);
        double[] init = net.params().clone();

        // the machine's measured peak, then the Java engine
        Peak.Result peak = Peak.measure(threads, prec == Precision.F32);
        Map<String, Object> pk = new LinkedHashMap<>();
        pk.put("gflops", peak.gflops());
        pk.put("measured", new ArrayList<>(List.of(peak.gflops())));
        pk.put("threads", peak.threads());
        pk.put("lanes", peak.lanes());
        pk.put("method", peak.method());
        o.put("peak", pk);
        Optimizer opt = oc.create(net.paramCount());
        double[] grad = new double[net.paramCount()];
        List<Double> javaLoss = new ArrayList<>();
        double[] javaTimes = new double[steps];
        double denom = Loss.CROSS_ENTROPY.denominator(batch, w[w.length - 1]);
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            java.util.Arrays.fill(grad, 0);
            double l = net.lossGradient(job.x, job.y, batch, Loss.CROSS_ENTROPY, 1 / denom, true, grad) / denom;
            opt.step(net.params(), grad);
            if (prec == Precision.F32) {                     // as Trainer does
                Precision.toFloat(net.params());
                l = (float) l;
            }
            long t1 = System.nanoTime();
            javaLoss.add(l);
            if (s >= warmup) {
                javaTimes[s - warmup] = (t1 - t0) / 1e9;
            }
        }
        // the peak once more after the engine: a single measurement can be disturbed (another process, the clock
        // ramping up) and then reads low; the larger of the two is the ceiling reported
        Peak.Result again = Peak.measure(threads, prec == Precision.F32);
        @SuppressWarnings("unchecked")
        List<Double> measured = (List<Double>) pk.get("measured");
        measured.add(again.gflops());
        pk.put("gflops", Math.max(peak.gflops(), again.gflops()));
        pk.put("method", peak.method() + ", the larger of a measurement before and one after the Java engine");
        double javaMed = BenchJob.median(javaTimes);
        o.put("javaMsPerStep", javaMed * 1e3);
        o.put("javaBestMsPerStep", min(javaTimes) * 1e3);
        o.put("javaStepsPerSecond", 1 / javaMed);
        o.put("javaGflops", flops / javaMed / 1e9);
        err().printf(Locale.ROOT, "Java engine (%s, %d threads, %s): %.2f ms/step, %.1f steps/s%n", g.kernelName(), threads, dt,
                javaMed * 1e3, 1 / javaMed);

        // PyTorch, same initial weights
        boolean ratioOk = true;
        if (!noTorch) {
            net.setParams(init);
            TorchEngine te = new TorchEngine(new TorchEngine.Options("cpu", prec, threads, 1));
            JsonNode r = te.bench(net, job.x, job.y, batch, Loss.CROSS_ENTROPY, oc, steps, torchWarmup);
            double[] tt = new double[steps];
            for (int i = 0; i < steps; i++) {
                tt[i] = r.get("times").get(i).asDouble();
            }
            double torchMed = BenchJob.median(tt);
            double worst = 0;
            for (int i = 0; i < Math.min(javaLoss.size(), r.get("losses").size()); i++) {
                double tl = r.get("losses").get(i).asDouble();
                worst = Math.max(worst, Math.abs(javaLoss.get(i) - tl) / Math.abs(tl));
            }
            JsonNode cfg = r.get("config");
            o.put("torch", r.get("torch").asText());
            o.put("torchThreads", r.get("threads").asInt());
            o.put("torchConfig", cfg);
            o.put("torchMsPerStep", torchMed * 1e3);
            o.put("torchBestMsPerStep", min(tt) * 1e3);
            o.put("torchStepsPerSecond", 1 / torchMed);
            o.put("torchGflops", flops / torchMed / 1e9);
            ratioOk = cfg.path("optimizedBlas").asBoolean() || allowReferenceBlas;
            o.put("ratio", ratioOk ? torchMed / javaMed : null);
            if (!cfg.path("optimizedBlas").asBoolean()) {
                o.put("ratioNote", referenceBlasNote(cfg) + (allowReferenceBlas ? " (ratio printed on request: it flatters the Java engine)"
                        : "; no ratio printed (--allow-reference-blas prints it anyway)"));
            }
            o.put("lossMaxRelDiff", worst);
            err().printf(Locale.ROOT, "PyTorch (%s): %.2f ms/step, %.1f steps/s%n", cfg.path("summary").asText(), torchMed * 1e3,
                    1 / torchMed);
        }
        if (e2e) {
            net.setParams(init);
            Map<String, Object> e = BenchEndToEnd.run(net, job, e2eSteps, threads, prec, e2eRuns, err());
            JsonNode ec = (JsonNode) e.get("torchConfig");
            if (!ec.path("optimizedBlas").asBoolean() && !allowReferenceBlas) {
                e.put("ratio", null);
                e.put("ratioBest", null);
                e.put("ratioNote", referenceBlasNote(ec) + "; no ratio printed");
            }
            o.put("endToEnd", e);
        }
        if (gemm) {
            o.put("gemm", gemmTable(w, batch));
        }
        o.put("load", loadAverage());
        if (json) {
            printJson(o);
        } else {
            printHuman(o);
        }
        return 0;
    }

    /** 2·n·Σ in·out for the forward products and again for the weight gradients, plus the input gradients of layers 2.. . */
    static double stepFlops(int[] w, int n) {
        double f = 0;
        for (int i = 0; i + 1 < w.length; i++) {
            double mn = 2.0 * n * w[i] * w[i + 1];
            f += 2 * mn + (i > 0 ? mn : 0);
        }
        return f;
    }

    private static String referenceBlasNote(JsonNode cfg) {
        return "PyTorch runs on the " + cfg.path("blas").asText() + " BLAS " + cfg.path("blasLibraries")
                + ", not an optimized one; install OpenBLAS (./bench-setup, or apt-get install libopenblas0-pthread: Debian's "
                + "alternatives then select it for libblas.so.3)";
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** The 1-minute load average (/proc/loadavg), or null. */
    static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void printHuman(Map<String, Object> o) {
        java.io.PrintWriter p = out();
        p.println("bench train: " + o.get("job") + ", " + threads + " threads (load average " + o.get("load") + ")");
        Map<?, ?> pk = (Map<?, ?>) o.get("peak");
        double peak = (Double) pk.get("gflops");
        p.printf(Locale.ROOT, "  machine peak   %7.1f GFLOP/s %s (measured: %s; measurements %s)%n", peak, o.get("dtype"), pk.get("method"),
                ((List<?>) pk.get("measured")).stream().map(v -> String.format(Locale.ROOT, "%.1f", (Double) v)).toList());
        if ((Double) o.get("javaGflops") > peak) {
            p.println("  note: the Java engine ran above the measured peak, so both peak measurements were disturbed; re-run on a quiet machine");
        }
        p.printf(Locale.ROOT, "  Java engine  %8.2f ms/step (best %.2f)  %7.2f steps/s  %6.1f GFLOP/s = %.0f%% of peak  (%s, %s)%n",
                (Double) o.get("javaMsPerStep"), (Double) o.get("javaBestMsPerStep"), (Double) o.get("javaStepsPerSecond"),
                (Double) o.get("javaGflops"), 100 * (Double) o.get("javaGflops") / peak, o.get("kernel"), o.get("java"));
        if (o.containsKey("torchMsPerStep")) {
            JsonNode cfg = (JsonNode) o.get("torchConfig");
            p.printf(Locale.ROOT, "  PyTorch      %8.2f ms/step (best %.2f)  %7.2f steps/s  %6.1f GFLOP/s = %.0f%% of peak%n",
                    (Double) o.get("torchMsPerStep"), (Double) o.get("torchBestMsPerStep"), (Double) o.get("torchStepsPerSecond"),
                    (Double) o.get("torchGflops"), 100 * (Double) o.get("torchGflops") / peak);
            p.println("  reference: " + cfg.path("summary").asText());
            if (o.get("ratio") != null) {
                p.printf(Locale.ROOT, "  ratio Java/PyTorch (steps/s, medians): %.2fx   losses agree to %.1e relative%n", (Double) o.get("ratio"),
                        (Double) o.get("lossMaxRelDiff"));
            } else {
                p.printf(Locale.ROOT, "  losses agree to %.1e relative%n", (Double) o.get("lossMaxRelDiff"));
            }
            if (o.get("ratioNote") != null) {
                p.println("  note: " + o.get("ratioNote"));
            }
        }
        if (o.get("endToEnd") instanceof Map<?, ?> e) {
            p.printf(Locale.ROOT, "  end to end, %s steps %s, %s run(s) each alternating: netgeom train %.2f s (best %.2f), PyTorch script "
                            + "%.2f s (best %.2f)%n", e.get("steps"), e.get("dtype"), e.get("runs"), (Double) e.get("netgeomMedian"),
                    (Double) e.get("netgeomBest"), (Double) e.get("torchMedian"), (Double) e.get("torchBest"));
            if (e.get("ratio") != null) {
                p.printf(Locale.ROOT, "  end-to-end ratio PyTorch/netgeom time: %.2fx (medians), %.2fx (bests); final weights agree to %.1e%n",
                        (Double) e.get("ratio"), (Double) e.get("ratioBest"), (Double) e.get("weightsMaxRelDiff"));
            } else {
                p.println("  note: " + e.get("ratioNote"));
            }
            p.println("  end-to-end reference: " + ((JsonNode) e.get("torchConfig")).path("summary").asText());
        }
        if (o.get("gemm") instanceof List<?> gl) {
            p.println("  dense kernel, GFLOPS (C = op(A)·op(B), m×n×k):");
            for (Object row : gl) {
                Map<?, ?> r = (Map<?, ?>) row;
                p.printf(Locale.ROOT, "    %-22s vector %6.1f   plain %6.1f   EJML-MT %6.1f%n", r.get("shape"), (Double) r.get("vector"),
                        (Double) r.get("plain"), (Double) r.get("ejml"));
            }
        }
    }

    /** GFLOPS of the Gemm kernels and EJML's multi-threaded mult on the step's products. */
    private List<Object> gemmTable(int[] w, int b) {
        EjmlConcurrency.setMaxThreads(threads);
        List<Object> rows = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i + 1 < w.length; i++) {
            int in = w[i];
            int out = w[i + 1];
            int[][] shapes = {{b, out, in, 0, 1}, {out, in, b, 1, 0}, {b, in, out, 0, 0}};
            String[] names = {"forward x·Wᵀ", "weight grad dyᵀ·x", "input grad dy·W"};
            for (int s = 0; s < 3; s++) {
                int m = shapes[s][0];
                int nn = shapes[s][1];
                int k = shapes[s][2];
                boolean ta = shapes[s][3] == 1;
                boolean tb = shapes[s][4] == 1;
                double[] a = new double[m * k];
                double[] bb = new double[k * nn];
                for (int q = 0; q < a.length; q++) {
                    a[q] = rnd.nextGaussian();
                }
                for (int q = 0; q < bb.length; q++) {
                    bb[q] = rnd.nextGaussian();
                }
                double[] c = new double[m * nn];
                double flops = 2.0 * m * nn * k;
                double vec = time(() -> Gemm.get().mul(ta, tb, m, nn, k, a, 0, bb, 0, c, 0, false));
                Gemm plain = Gemm.scalar();
                double pl = time(() -> plain.mul(ta, tb, m, nn, k, a, 0, bb, 0, c, 0, false));
                DMatrixRMaj ma = ta ? new DMatrixRMaj(k, m, true, a) : new DMatrixRMaj(m, k, true, a);
                DMatrixRMaj mb = tb ? new DMatrixRMaj(nn, k, true, bb) : new DMatrixRMaj(k, nn, true, bb);
                DMatrixRMaj mc = new DMatrixRMaj(m, nn);
                double ej = time(() -> {
                    if (ta) {
                        CommonOps_MT_DDRM.multTransA(ma, mb, mc);
                    } else if (tb) {
                        CommonOps_MT_DDRM.multTransB(ma, mb, mc);
                    } else {
                        CommonOps_MT_DDRM.mult(ma, mb, mc);
                    }
                });
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("shape", names[s] + " " + m + "x" + nn + "x" + k);
                r.put("vector", flops / vec / 1e9);
                r.put("plain", flops / pl / 1e9);
                r.put("ejml", flops / ej / 1e9);
                rows.add(r);
            }
        }
        return rows;
    }

    private static double time(Runnable r) {
        for (int i = 0; i < 5; i++) {
            r.run();
        }
        int reps = 0;
        long t0 = System.nanoTime();
        long t;
        do {
            r.run();
            reps++;
            t = System.nanoTime();
        } while (t - t0 < 300_000_000L || reps < 3);
        return (t - t0) / 1e9 / reps;
    }
}
