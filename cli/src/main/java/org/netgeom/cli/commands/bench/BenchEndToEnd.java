package org.netgeom.cli.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.linalg.Gemm;
import org.netgeom.numeric.torch.TorchBridge;
import org.netgeom.numeric.torch.TorchEngine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom bench train --e2e}: {@code netgeom train} in a fresh JVM (the launcher's JVM
 * options, process start, reading the IR and its safetensors, the steps, writing {@code --out}
 * and {@code --weights-file}) against {@code python3 plain_train.py} (a plain nn.Sequential /
 * CrossEntropyLoss / SGD script: process start, import torch, the same steps, save) on the same
 * files, timed from process start to exit. The runs alternate (Java, PyTorch, Java, ...) so
 * that a change of load hits both; best and median of each are reported with their ratios.
 */
final class BenchEndToEnd {
    /** The JVM options of the {@code netgeom} launcher for the numeric commands (kept in sync with it). */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:+UseParallelGC", "-Xss16m");

    private BenchEndToEnd() {
    }

    static Map<String, Object> run(Net net, BenchJob job, int steps, int threads, Precision dtype, int repeat, PrintWriter log)
            throws IOException {
        Path dir = Files.createTempDirectory("netgeom-bench-");
        try {
            Path model = TorchEngine.writeModel(net, dir);
            Path data = dir.resolve("data.safetensors");
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("x", Tensor.ofDoubles(Shape.of(job.n, job.x.length / job.n), job.x));
            t.put("y", Tensor.ofDoubles(Shape.of(job.n, 1), job.y));
            Safetensors.write(data, t, Map.of(), false);
            String dt = dtype == Precision.F32 ? "float32" : "float64";
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> jcmd = new ArrayList<>(List.of(java));
            jcmd.addAll(LAUNCHER_JVM_OPTIONS);
            if (Gemm.vectorAvailable()) {
                jcmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
            }
            jcmd.addAll(List.of("-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "org.netgeom.cli.Main",
                    "train", model.toString(), "--data", data.toString(), "--loss", "cross_entropy", "--optimizer", "sgd", "--lr",
                    "0.01", "--steps", Integer.toString(steps), "--batch", "full", "--threads", Integer.toString(threads), "--dtype", dt,
                    "--out", dir.resolve("java-out.json").toString(), "--weights-file", dir.resolve("java-out.safetensors").toString()));
            TorchBridge b = TorchBridge.get();
            List<String> pcmd = List.of(b.python(), b.home().resolve("netgeom_torch").resolve("plain_train.py").toString(),
                    dir.resolve("model.safetensors").toString(), data.toString(), Integer.toString(steps), "0.01",
                    Integer.toString(threads), dir.resolve("torch-out.safetensors").toString(), dt);
            JsonNode config = torchConfig(b, threads, dir);
            double[] js = new double[repeat];
            double[] ps = new double[repeat];
            for (int r = 0; r < repeat; r++) {
                js[r] = runTimed(jcmd, dir, "java.log");
                ps[r] = runTimed(pcmd, dir, "torch.log");
                log.printf(Locale.ROOT, "end to end %d/%d, %d steps %s: netgeom train %.2f s, PyTorch script %.2f s%n", r + 1, repeat,
                        steps, dt, js[r], ps[r]);
            }
            double worst = weightsDiff(dir.resolve("java-out.safetensors"), dir.resolve("torch-out.safetensors"));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("steps", steps);
            o.put("dtype", dt);
            o.put("runs", repeat);
            o.put("netgeomSeconds", js);
            o.put("torchSeconds", ps);
            o.put("netgeomBest", min(js));
            o.put("netgeomMedian", BenchJob.median(js));
            o.put("torchBest", min(ps));
            o.put("torchMedian", BenchJob.median(ps));
            o.put("ratio", BenchJob.median(ps) / BenchJob.median(js));
            o.put("ratioBest", min(ps) / min(js));
            o.put("weightsMaxRelDiff", worst);
            o.put("netgeomCommand", "java " + String.join(" ", LAUNCHER_JVM_OPTIONS) + (Gemm.vectorAvailable()
                    ? " --add-modules jdk.incubator.vector" : "") + " ... netgeom train --threads " + threads + " --dtype " + dt);
            o.put("torchConfig", config);
            return o;
        } finally {
            TorchBridge.deleteTree(dir);
        }
    }

    /** The configuration the script's interpreter reports with the same threads (outside the timing). */
    private static JsonNode torchConfig(TorchBridge b, int threads, Path dir) throws IOException {
        List<String> cmd = List.of(b.python(), "-m", "netgeom_torch.torchconfig", Integer.toString(threads));
        runTimed(cmd, dir, "config.log");
        String text = Files.readString(dir.resolve("config.log")).trim();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** max |u − v| / (|v| + 1e-4·max|v|) over the tensors of both weight files. */
    private static double weightsDiff(Path java, Path torch) {
        Safetensors a = Safetensors.open(java);
        Safetensors c = Safetensors.open(torch);
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
        return worst;
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
