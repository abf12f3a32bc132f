package org.netgeom.cli.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.linalg.Gemm;
import org.netgeom.numeric.linalg.Parallel;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.torch.TorchBridge;
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
 * 784-512-512-10 on a batch of 256 in float64 with 2 threads, the Java engine against PyTorch CPU
 * ({@code torch.set_num_threads(2)}) in the same invocation, from the same initial weights;
 * prints steps/s of both and their ratio, and checks that both loss sequences agree.
 * {@code --e2e} also times {@code netgeom train --engine java} end to end (a child JVM) against a
 * plain PyTorch script on the same job; {@code --gemm} times the dense kernel against EJML.
 */
@Command(name = "train", description = "Java engine vs PyTorch CPU: training steps/s of an MLP 784-512-512-10 (ratio in one run).")
public final class BenchTrainCommand extends BaseCommand {
    @Option(names = "--widths", defaultValue = "784-512-512-10", paramLabel = "W0-W1-..", description = "The MLP (default 784-512-512-10).")
    String widths;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "B", description = "Examples per step (default 256).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "T", description = "Threads of both engines (default 2).")
    int threads;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "S", description = "Timed steps per engine (default 20).")
    int steps;

    @Option(names = "--warmup", defaultValue = "40", paramLabel = "W", description = "Untimed Java steps first, for the JIT (default 40).")
    int warmup;

    @Option(names = "--torch-warmup", defaultValue = "3", paramLabel = "W", description = "Untimed PyTorch steps first (default 3).")
    int torchWarmup;

    @Option(names = "--no-torch", description = "Time the Java engine only.")
    boolean noTorch;

    @Option(names = "--e2e", description = "Also time `netgeom train` end to end against a plain PyTorch script.")
    boolean e2e;

    @Option(names = "--e2e-steps", defaultValue = "50", paramLabel = "S", description = "Steps of the end-to-end runs (default 50).")
    int e2eSteps;

    @Option(names = "--gemm", description = "Also time the dense kernel (vector, plain Java) against EJML on this job's shapes.")
    boolean gemm;

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || threads < 1 || steps < 1 || warmup < 0 || torchWarmup < 0 || e2eSteps < 1) {
            throw NumericError.BAD_OPTION.error("--batch, --threads, --steps, --e2e-steps must be >= 1, --warmup >= 0");
        }
        int[] w = BenchJob.widths(widths);
        Parallel.setThreads(threads);
        BenchJob job = new BenchJob(w, batch, 0);
        Optimizer.Config oc = Optimizer.Config.of("sgd", 0.01, null, null, false, null, null, null, null, false);
        Map<String, Object> o = JsonOut.object();
        o.put("job", "MLP " + widths + ", batch " + batch + ", float64, cross_entropy, SGD lr 0.01, full batch");
        o.put("threads", threads);
        o.put("kernel", Gemm.get().kernelName());
        double[] init = job.net.params().clone();

        // Java engine
        Optimizer opt = oc.create(job.net.paramCount());
        double[] grad = new double[job.net.paramCount()];
        List<Double> javaLoss = new ArrayList<>();
        double[] javaTimes = new double[steps];
        double denom = Loss.CROSS_ENTROPY.denominator(batch, w[w.length - 1]);
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            java.util.Arrays.fill(grad, 0);
            double l = job.net.lossGradient(job.x, job.y, batch, Loss.CROSS_ENTROPY, 1 / denom, true, grad) / denom;
            opt.step(job.net.params(), grad);
            long t1 = System.nanoTime();
            javaLoss.add(l);
            if (s >= warmup) {
                javaTimes[s - warmup] = (t1 - t0) / 1e9;
            }
        }
        double javaMed = BenchJob.median(javaTimes);
        o.put("javaMsPerStep", javaMed * 1e3);
        o.put("javaStepsPerSecond", 1 / javaMed);
        err().printf(Locale.ROOT, "Java engine (%s, %d threads): %.2f ms/step, %.1f steps/s%n", Gemm.get().kernelName(), threads,
                javaMed * 1e3, 1 / javaMed);

        // PyTorch, same initial weights
        if (!noTorch) {
            job.net.setParams(init);
            TorchEngine te = new TorchEngine(new TorchEngine.Options("cpu", org.netgeom.numeric.engine.Precision.F64, threads, 1));
            JsonNode r = te.bench(job.net, job.x, job.y, batch, Loss.CROSS_ENTROPY, oc, steps, torchWarmup);
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
            o.put("torch", r.get("torch").asText());
            o.put("torchThreads", r.get("threads").asInt());
            o.put("torchMsPerStep", torchMed * 1e3);
            o.put("torchStepsPerSecond", 1 / torchMed);
            o.put("ratio", torchMed / javaMed);
            o.put("lossMaxRelDiff", worst);
            err().printf(Locale.ROOT, "PyTorch %s CPU (%d threads): %.2f ms/step, %.1f steps/s%n", r.get("torch").asText(),
                    r.get("threads").asInt(), torchMed * 1e3, 1 / torchMed);
        }
        if (e2e) {
            job.net.setParams(init);
            o.put("endToEnd", EndToEnd.run(job, e2eSteps, threads, err()));
        }
        if (gemm) {
            o.put("gemm", gemmTable(w, batch));
        }
        if (json) {
            printJson(o);
        } else {
            printHuman(o);
        }
        return 0;
    }

    private void printHuman(Map<String, Object> o) {
        out().println("bench train: " + o.get("job") + ", " + threads + " threads");
        out().printf(Locale.ROOT, "  Java engine  %8.2f ms/step  %7.2f steps/s  (%s)%n", (Double) o.get("javaMsPerStep"),
                (Double) o.get("javaStepsPerSecond"), o.get("kernel"));
        if (o.containsKey("torchMsPerStep")) {
            out().printf(Locale.ROOT, "  PyTorch %s %8.2f ms/step  %7.2f steps/s%n", o.get("torch"), (Double) o.get("torchMsPerStep"),
                    (Double) o.get("torchStepsPerSecond"));
            out().printf(Locale.ROOT, "  ratio Java/PyTorch (steps/s): %.2fx   losses agree to %.1e relative%n", (Double) o.get("ratio"),
                    (Double) o.get("lossMaxRelDiff"));
        }
        if (o.get("endToEnd") instanceof Map<?, ?> e) {
            out().printf(Locale.ROOT, "  end to end, %s steps: netgeom train %.2f s, PyTorch script %.2f s, ratio %.2fx (final weights agree to %.1e)%n",
                    e.get("steps"), (Double) e.get("netgeomSeconds"), (Double) e.get("torchSeconds"), (Double) e.get("ratio"),
                    (Double) e.get("weightsMaxRelDiff"));
        }
        if (o.get("gemm") instanceof List<?> g) {
            out().println("  dense kernel, GFLOPS (C = op(A)·op(B), m×n×k):");
            for (Object row : g) {
                Map<?, ?> r = (Map<?, ?>) row;
                out().printf(Locale.ROOT, "    %-22s vector %6.1f   plain %6.1f   EJML-MT %6.1f%n", r.get("shape"), (Double) r.get("vector"),
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

    /** `netgeom train` in a child JVM against `python3 plain_train.py`, on the same files. */
    static final class EndToEnd {
        private EndToEnd() {
        }

        static Map<String, Object> run(BenchJob job, int steps, int threads, java.io.PrintWriter log) throws IOException {
            Path dir = Files.createTempDirectory("netgeom-bench-");
            try {
                Path model = TorchEngine.writeModel(job.net, dir);
                Path data = dir.resolve("data.safetensors");
                Map<String, Tensor> t = new LinkedHashMap<>();
                t.put("x", Tensor.ofDoubles(Shape.of(job.n, job.x.length / job.n), job.x));
                t.put("y", Tensor.ofDoubles(Shape.of(job.n, 1), job.y));
                Safetensors.write(data, t, Map.of(), false);
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                List<String> jcmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xss16m"));
                if (Gemm.vectorAvailable()) {
                    jcmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
                }
                jcmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.netgeom.cli.Main", "train", model.toString(),
                        "--data", data.toString(), "--loss", "cross_entropy", "--optimizer", "sgd", "--lr", "0.01", "--steps",
                        Integer.toString(steps), "--batch", "full", "--threads", Integer.toString(threads), "--out",
                        dir.resolve("java-out.json").toString(), "--weights-file", dir.resolve("java-out.safetensors").toString()));
                double js = runTimed(jcmd, dir, "java.log");
                TorchBridge b = TorchBridge.get();
                List<String> pcmd = List.of(b.python(), b.home().resolve("netgeom_torch").resolve("plain_train.py").toString(),
                        dir.resolve("model.safetensors").toString(), data.toString(), Integer.toString(steps), "0.01",
                        Integer.toString(threads), dir.resolve("torch-out.safetensors").toString());
                double ps = runTimed(pcmd, dir, "torch.log");
                Safetensors a = Safetensors.open(dir.resolve("java-out.safetensors"));
                Safetensors c = Safetensors.open(dir.resolve("torch-out.safetensors"));
                double worst = 0;
                for (String key : a.entries().keySet()) {
                    double[] u = a.read(key, "a").nearestDoubles();
                    double[] v = c.read(key, "b").nearestDoubles();
                    double scale = 0;
                    for (double q : v) {
                        scale = Math.max(scale, Math.abs(q));
                    }
                    for (int i = 0; i < u.length; i++) {
                        worst = Math.max(worst, Math.abs(u[i] - v[i]) / (Math.abs(v[i]) + 1e-4 * scale));
                    }
                }
                log.printf(Locale.ROOT, "end to end, %d steps: netgeom train %.2f s, PyTorch script %.2f s%n", steps, js, ps);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("steps", steps);
                r.put("netgeomSeconds", js);
                r.put("torchSeconds", ps);
                r.put("ratio", ps / js);
                r.put("weightsMaxRelDiff", worst);
                return r;
            } finally {
                TorchBridge.deleteTree(dir);
            }
        }

        private static double runTimed(List<String> cmd, Path dir, String logName) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
            pb.environment().put("NETGEOM_NO_PROGRESS", "1");
            pb.environment().put("PYTHONPATH", TorchBridge.get().home().toString());
            long t0 = System.nanoTime();
            Process p = pb.start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw NumericError.TORCH_FAILED.error("interrupted");
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                throw NumericError.TORCH_FAILED.error("the end-to-end run " + cmd.get(0) + " failed (exit " + code + "): "
                        + Files.readString(dir.resolve(logName)).trim());
            }
            return s;
        }
    }
}
