package org.netgeom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that are merely big, in a child JVM with a small heap (what NETGEOM_JAVA_OPTS=-Xmx...
 * gives the launcher): a 10^6-row CSV is DATA_TOO_LARGE (exit 2) before it is loaded, an
 * OutOfMemoryError past the budget is OUT_OF_MEMORY (exit 1), neither with a stack trace; and
 * a training run interrupted by SIGINT stops promptly leaving none of its output files.
 */
class BigInputsTest {
    @TempDir
    static Path dir;
    static Path big;
    static Path model;

    @BeforeAll
    static void files() throws IOException {
        big = dir.resolve("big.csv");
        Random r = new Random(1);
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            w.write("x1,y1\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write(String.format(Locale.ROOT, "%.6f,%.6f%n", r.nextDouble(), r.nextDouble()));
            }
        }
        model = dir.resolve("lin.json");
        Files.writeString(model, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[\"1\"], [\"2\"]], "
                + "\"bias\": [\"0\", \"1\"]}, {\"op\": \"relu\"}, {\"op\": \"dense\", \"weight\": [[\"1\", \"1\"]]}]}");
    }

    record Run(int status, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    static ProcessBuilder child(String xmx, Map<String, String> env, String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.netgeom.cli.Main"));
        c.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(c);
        pb.environment().remove("NETGEOM_DATA_BUDGET");
        pb.environment().remove("NETGEOM_DEBUG");
        pb.environment().putAll(env);
        return pb;
    }

    static Run run(String xmx, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = child(xmx, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static void noStackTrace(Run r) {
        String all = r.out() + r.err();
        assertFalse(all.contains("\tat ") || all.contains("Exception in thread") || all.contains("java.lang."), all);
    }

    @Test
    void aBigDataSetIsRefusedBeforeItIsLoaded() throws Exception {
        for (String cmd : List.of("train", "jacobian")) {
            List<String> args = new ArrayList<>(List.of(cmd, model.toString(), "--data", big.toString(), "--json"));
            if (cmd.equals("train")) {
                args.addAll(List.of("--out", dir.resolve("never.json").toString(), "--lr", "0.1", "--steps", "2"));
            }
            Run r = run("64m", Map.of(), args.toArray(new String[0]));
            assertEquals(2, r.status(), r.err());
            JsonNode e = r.json().path("error");
            assertEquals("DATA_TOO_LARGE", e.path("code").asText(), r.out());
            assertTrue(e.path("message").asText().contains("NETGEOM_JAVA_OPTS"), r.out());
            // the estimate is of the right size: 2·10^6 decimals at 72 bytes (CSV rows counted by hand: 10^6 × 2 columns)
            double est = e.path("estimateBytes").asDouble();
            assertTrue(est > 0.9 * 72 * 2e6 && est < 1.1 * 72 * 2e6, "estimate " + est);
            noStackTrace(r);
        }
        assertTrue(Files.notExists(dir.resolve("never.json")));
        Run k = run("64m", Map.of(), "kernel", "--data", big.toString(), "--json");
        assertEquals(2, k.status());
        assertEquals("DATA_TOO_LARGE", k.json().path("error").path("code").asText());
        noStackTrace(k);
    }

    @Test
    void outOfMemoryIsACodedError() throws Exception {
        // the budget check lifted: reading the rationals then exhausts a 32 MB heap
        Run r = run("32m", Map.of("NETGEOM_DATA_BUDGET", "8g"), "train", model.toString(), "--data", big.toString(), "--out",
                dir.resolve("oom.json").toString(), "--lr", "0.1", "--steps", "2", "--json");
        assertEquals(1, r.status(), r.err());
        assertEquals("OUT_OF_MEMORY", r.json().path("error").path("code").asText(), r.out());
        assertTrue(r.err().contains("error[OUT_OF_MEMORY]") && r.err().contains("-Xmx"), r.err());
        noStackTrace(r);
        assertTrue(Files.notExists(dir.resolve("oom.json")));
    }

    @Test
    void sigintStopsTrainingWithoutPartialOutput() throws Exception {
        Path data = dir.resolve("mid.csv");
        StringBuilder sb = new StringBuilder("x1,y1\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i % 64 / 64.0).append(',').append(i % 7 / 8.0).append('\n');
        }
        Files.writeString(data, sb);
        Path outDir = Files.createDirectories(dir.resolve("sigint"));
        Path err = dir.resolve("sigint.err");
        Process p = child("256m", Map.of(), "train", model.toString(), "--data", data.toString(), "--lr", "0.001", "--epochs", "100000",
                "--batch", "16", "--out", outDir.resolve("trained.json").toString(), "--log", outDir.resolve("log.csv").toString(),
                "--plot", outDir.resolve("loss.svg").toString(), "--weights-file", outDir.resolve("w.safetensors").toString())
                .redirectOutput(dir.resolve("sigint.out").toFile()).redirectError(err.toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(err).contains("train") && System.nanoTime() < until && p.isAlive()) {
            Thread.sleep(100);      // wait for the progress bar: training has started
        }
        assertTrue(p.isAlive(), Files.readString(err));
        assertTrue(Files.readString(err).contains("train"), "a progress bar on stderr: " + Files.readString(err));
        long t0 = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stopped after SIGINT");
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "train stopped %.2f s after SIGINT%n", s);
        assertEquals(130, p.exitValue());
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(), files.toList(), "no output, not even a temporary file");
        }
    }

    /** A dense 1 → w → w → 1 relu net with small pseudo-random weights (seeded). */
    static String wideNet(int w) {
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder("{\"netgeom\": 1, \"input\": [1], \"layers\": [");
        int[][] dims = {{w, 1}, {w, w}, {1, w}};
        for (int l = 0; l < dims.length; l++) {
            sb.append(l == 0 ? "" : ", {\"op\": \"relu\"}, ").append("{\"op\": \"dense\", \"weight\": [");
            for (int i = 0; i < dims[l][0]; i++) {
                sb.append(i == 0 ? "[" : ", [");
                for (int j = 0; j < dims[l][1]; j++) {
                    sb.append(j == 0 ? "" : ", ").append((r.nextInt(201) - 100) / 128.0);
                }
                sb.append(']');
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void sigintStopsNtkWithoutPartialOutput() throws Exception {
        // 4000 examples of a net with 4353 parameters: J·Jᵀ is about 1.4e11 flops, minutes here
        Path wide = dir.resolve("wide.json");
        Files.writeString(wide, wideNet(64));
        Path data = dir.resolve("ntk.csv");
        StringBuilder sb = new StringBuilder("x1\n");
        for (int i = 0; i < 4000; i++) {
            sb.append(i / 4000.0).append('\n');
        }
        Files.writeString(data, sb);
        Path outDir = Files.createDirectories(dir.resolve("sigint-ntk"));
        Path err = dir.resolve("ntk.err");
        Process p = child("1g", Map.of("NETGEOM_DATA_BUDGET", "900m"), "ntk", wide.toString(), "--data", data.toString(),
                "--plot", outDir.resolve("ntk.svg").toString())
                .redirectOutput(dir.resolve("ntk.out").toFile()).redirectError(err.toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(err).contains("ntk") && System.nanoTime() < until && p.isAlive()) {
            Thread.sleep(100);      // wait for the J·Jᵀ progress bar
        }
        assertTrue(p.isAlive(), Files.readString(err));
        assertTrue(Files.readString(err).contains("ntk"), "a progress bar on stderr: " + Files.readString(err));
        long t0 = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stopped after SIGINT");
        System.out.printf(Locale.ROOT, "ntk stopped %.2f s after SIGINT%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(130, p.exitValue());
        assertEquals("", Files.readString(dir.resolve("ntk.out")), "no partial output on stdout");
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(), files.toList(), "no plot, not even a temporary file");
        }
    }

    @Test
    void aFullBatchOfAMillionRowsTrainsInRowBlocks() throws Exception {
        // before row blocks: OUT_OF_MEMORY in Gemm's packing buffer even at -Xmx1g. The budget
        // (160 MB) holds the data (about 144 MB while read); a quarter of it, not the 176 MB
        // working set of the full batch, so the step runs in blocks of about 240 000 rows
        Path trained = dir.resolve("full.json");
        Run r = run("400m", Map.of("NETGEOM_DATA_BUDGET", "160m", "NETGEOM_NO_PROGRESS", "1"), "train", model.toString(), "--data",
                big.toString(), "--out", trained.toString(), "--lr", "0.1", "--steps", "2", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        noStackTrace(r);
        assertTrue(Files.exists(trained));
        assertEquals(2, r.json().path("steps").asLong(), r.out());
    }
}
