package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.netgeom.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one sweep job in-process: the netgeom command line with {@code --json}, through
 * {@link Main#run} with stdout and stderr captured, as the {@code netgeom} command would run it.
 * The row it returns (one JSON line) carries the job, its status ({@code ok}, {@code violated} /
 * {@code inconclusive} for check's exit 3 / 4, {@code error} for a coded error, with its code,
 * message and path), the command's JSON result, its time and the Spark attempt that ran it.
 */
final class JobRunner {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JobRunner() {
    }

    /** Runs the job (in a Spark task, or on the driver for split jobs: attempt -1, no fault hook) and returns its row. */
    static String run(SweepSpec.Job job, int attempt) {
        System.setProperty("netgeom.progress", "off");
        if (attempt >= 0) {
            FaultHook.maybeFail(job.id());
        }
        long t0 = System.nanoTime();
        Path tmp = null;
        try {
            if (job.modelJson() != null) {
                tmp = Files.createTempFile("netgeom-sweep-" + job.id() + "-", ".json");
                Files.writeString(tmp, job.modelJson());
            }
            List<String> cl = new ArrayList<>(job.commandLine(tmp == null ? null : tmp.toString()));
            if (job.split() != null) {
                cl.add("--split");
                cl.add(Integer.toString(job.split()));
            }
            cl.add("--json");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Main.run(cl.toArray(new String[0]), o, e);
            }
            return row(job, attempt, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new IllegalStateException("sweep job " + job.id() + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    static String row(SweepSpec.Job job, int attempt, int code, String stdout, String stderr, double seconds) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", job.id());
        r.put("index", job.index());
        if (job.name() != null) {
            r.put("name", job.name());
        }
        ObjectNode vars = r.putObject("vars");
        job.vars().forEach(vars::put);
        r.put("command", job.command());
        var args = r.putArray("args");
        job.args().forEach(args::add);
        if (job.split() != null) {
            r.put("split", job.split());
        }
        JsonNode result = null;
        try {
            result = stdout.isBlank() ? null : MAPPER.readTree(stdout);
        } catch (IOException e) {
            result = null;
        }
        String status = switch (code) {
            case 0 -> "ok";
            case 3 -> "violated";
            case 4 -> "inconclusive";
            default -> "error";
        };
        r.put("status", status);
        r.put("exit", code);
        if (result != null && result.has("error")) {
            r.set("error", result.get("error"));
            r.putNull("result");
        } else {
            if (code != 0 && code != 3 && code != 4) {
                ObjectNode e = r.putObject("error");
                e.put("code", "INTERNAL");
                e.put("message", result == null ? "no JSON on stdout: " + tail(stderr) : "exit status " + code);
                e.putNull("path");
            } else if (result == null) {
                r.put("status", "error");
                ObjectNode e = r.putObject("error");
                e.put("code", "INTERNAL");
                e.put("message", "the command printed no JSON: " + tail(stderr));
                e.putNull("path");
            } else {
                r.putNull("error");
            }
            r.set("result", result);
        }
        r.put("seconds", Math.round(seconds * 1000) / 1000.0);
        r.put("attempt", attempt);
        return r.toString();
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 500 ? t.substring(t.length() - 500) : t;
    }
}
