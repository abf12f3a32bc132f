package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.torch.TorchEngine;
import org.netgeom.numeric.train.Init;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run really killed (SIGKILL to a child JVM running {@code netgeom train}) at random
 * moments and resumed with {@code --resume} ends with weights, log and model file byte-identical
 * to an uninterrupted run's.
 */
class KillResumeTest {
    static void job(Path dir) {
        List<Layer> ls = List.of(
                new Layer.Dense(null, Tensor.ofDoubles(Shape.of(384, 48), new double[384 * 48]), Tensor.ofDoubles(Shape.of(384), new double[384])),
                Layer.AbRelu.relu(null),
                new Layer.BatchNorm(null, Tensor.ofDoubles(Shape.of(384), new double[384]), Tensor.ofDoubles(Shape.of(384), new double[384]),
                        Tensor.ofDoubles(Shape.of(384), new double[384]), Tensor.ofDoubles(Shape.of(384), new double[384]),
                        Layer.BatchNorm.DEFAULT_EPS),
                new Layer.Dense(null, Tensor.ofDoubles(Shape.of(384, 384), new double[384 * 384]), Tensor.ofDoubles(Shape.of(384), new double[384])),
                new Layer.Smooth(null, Layer.Smooth.Fn.TANH),
                new Layer.Dense(null, Tensor.ofDoubles(Shape.of(6, 384), new double[6 * 384]), Tensor.ofDoubles(Shape.of(6), new double[6])));
        Net net = Net.of(new Model("kill-me", Shape.of(48), ls));
        Init.TORCH.apply(net, 1, 1, 0);
        TorchEngine.writeModel(net, dir);
        int n = 600;
        Rng r = new Rng(2);
        double[] x = new double[n * 48];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.gaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.below(6);
        }
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("x", Tensor.ofDoubles(Shape.of(n, 48), x));
        t.put("y", Tensor.ofDoubles(Shape.of(n, 1), y));
        Safetensors.write(dir.resolve("data.safetensors"), t, Map.of(), false);
    }

    static List<String> command(Path dir, Path run, boolean resume) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                "org.netgeom.cli.Main", "train", dir.resolve("model.json").toString(), "--data", dir.resolve("data.safetensors").toString(),
                "--loss", "cross_entropy", "--optimizer", "adam", "--lr", "0.002", "--epochs", "12", "--batch", "64", "--shuffle", "--seed", "4",
                "--threads", "2", "--out", run.resolve("out.json").toString(), "--weights-file", run.resolve("w.safetensors").toString(),
                "--log", run.resolve("log.csv").toString(), "--checkpoint", run.resolve("ck").toString(), "--checkpoint-every", "5",
                "--json"));
        if (resume) {
            c.add("--resume");
        }
        return c;
    }

    static Process start(List<String> cmd, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(log.toFile())
                .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
        pb.environment().put("NETGEOM_NO_PROGRESS", "1");
        return pb.start();
    }

    @Test
    void killedAtRandomMomentsAndResumedEndsBitIdentical(@TempDir Path dir) throws Exception {
        job(dir);
        Path ref = Files.createDirectories(dir.resolve("ref"));
        long t0 = System.nanoTime();
        Process p = start(command(dir, ref, false), ref.resolve("stdout"));
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        double full = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, p.exitValue(), Files.readString(ref.resolve("stdout.err")));

        // Kill a run at a random moment, then resumed runs each at a random moment shortly after a new
        // checkpoint appears (the training itself takes well under a second on a fast machine, so the
        // delay is short: a checkpoint is written every 5 of 120 steps, and a kill may land during the
        // next write). If a resumed run outruns every kill, start over in a clean directory.
        Path run = dir.resolve("run");
        Path ck = run.resolve("ck").resolve("checkpoint.safetensors");
        Random rnd = new Random(System.nanoTime());
        int midRun = 0;
        for (int round = 0; round < 5 && midRun == 0; round++) {
            deleteTree(run);
            Files.createDirectories(run);
            midRun = 0;
            for (int attempt = 0; attempt < 4; attempt++) {
                long before = Files.exists(ck) ? Files.getLastModifiedTime(ck).toMillis() : -1;
                Process q = start(command(dir, run, true), run.resolve("stdout"));
                long delayMs;
                if (attempt == 0) {
                    delayMs = rnd.nextInt((int) Math.max(50, full * 1000 * 0.6));
                } else {
                    while (q.isAlive() && (!Files.exists(ck) || Files.getLastModifiedTime(ck).toMillis() == before)) {
                        Thread.sleep(5);
                    }
                    delayMs = rnd.nextInt(60);
                }
                if (q.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                    assertEquals(0, q.exitValue(), Files.readString(run.resolve("stdout.err")));
                    break;                      // outran the kill: this round ends with a finished run
                }
                boolean hadCheckpoint = Files.exists(ck);
                q.destroyForcibly();
                q.waitFor();
                if (hadCheckpoint) {
                    midRun++;
                }
            }
        }
        assertTrue(midRun >= 1, "at least one kill landed after a checkpoint was written");
        Process last = start(command(dir, run, true), run.resolve("stdout"));
        assertTrue(last.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), Files.readString(run.resolve("stdout.err")));
        JsonNode j = new ObjectMapper().readTree(Files.readString(run.resolve("stdout")));
        assertTrue(j.get("resumedFrom").asLong() > 0, "the final weights come from a resumed run");

        assertArrayEquals(Files.readAllBytes(ref.resolve("w.safetensors")), Files.readAllBytes(run.resolve("w.safetensors")),
                "trained weights, bit for bit");
        assertEquals(Files.readString(ref.resolve("out.json")), Files.readString(run.resolve("out.json")));
        assertEquals(Files.readString(ref.resolve("log.csv")), Files.readString(run.resolve("log.csv")), "the loss log too");
        try (var s = Files.list(run.resolve("ck"))) {
            assertEquals(List.of("checkpoint.safetensors"), s.map(f -> f.getFileName().toString()).toList(),
                    "temporary files of killed writes are cleaned up");
        }
    }

    static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var w = Files.walk(root)) {
            for (Path f : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
