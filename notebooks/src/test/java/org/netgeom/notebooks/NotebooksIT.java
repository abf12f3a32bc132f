package org.netgeom.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every {@code notebooks/*.ipynb} with Debian's Jupyter ({@code nbclient} through
 * {@code notebooks/execute.py}) against the BUILT kernel ({@code notebooks/target/netgeom-kernel.jar},
 * so this runs after {@code package}), with the kernel spec installed by {@code netgeom notebook install
 * --prefix} into {@code target/} (the user's Jupyter is not touched). A notebook fails the build when a
 * cell fails, when its kernel or Jupyter is missing (never skipped), when a fresh run's outputs differ
 * from those saved in the notebook (so the saved answers cannot rot), and when a notebook that declares
 * {@code "netgeom": {"symja": false}} in its metadata loads Symja.
 *
 * <p>{@code -Dnotebooks.save=true} saves the fresh outputs into the notebooks instead of comparing.
 */
@Tag("notebooks")
class NotebooksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();
    static final Path WORK = MODULE.resolve("target").resolve("notebook-test");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final boolean SAVE = Boolean.getBoolean("notebooks.save");

    @BeforeAll
    static void installTheKernel() throws Exception {
        Path jar = Path.of(System.getProperty("netgeom.kernel.jar", MODULE.resolve("target/netgeom-kernel.jar").toString()));
        assertTrue(Files.isRegularFile(jar), "the built kernel " + jar + " is missing: this test runs after mvn package");
        assertTrue(Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 is missing; ./run-tests installs what the notebooks need");
        Proc probe = run(List.of(PYTHON.toString(), "-c", "import nbclient, jupyter_client, nbformat"), Map.of(), 60);
        assertEquals(0, probe.status, "Jupyter is missing (" + probe.output.strip() + "): install it with "
                + "apt-get install python3-nbclient jupyter-client (./run-tests does)");
        Files.createDirectories(WORK);
        List<String> install = new ArrayList<>(List.of("notebook", "install", "--prefix", WORK.resolve("jupyter").toString(),
                "--root", ROOT.toString(), "--json"));
        if (Files.isExecutable(Path.of("/usr/bin/jupyter"))) {       // Debian's, beside /usr/bin/python3; else the PATH's
            install.addAll(List.of("--jupyter", "/usr/bin/jupyter"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(install.toArray(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, "netgeom notebook install failed: " + err.toString(StandardCharsets.UTF_8));
        JsonNode spec = JSON.readTree(WORK.resolve("jupyter/share/jupyter/kernels/netgeom/kernel.json").toFile());
        assertEquals(ROOT.resolve("notebooks/kernel").toString(), spec.get("argv").get(0).asText(), "Jupyter installed our kernel.json");
    }

    static Stream<Path> notebooks() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(MODULE)) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(all.isEmpty(), "no notebooks/*.ipynb found");
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void runsCleanAndReproducesItsSavedOutputs(Path notebook) throws Exception {
        JsonNode saved = JSON.readTree(notebook.toFile());
        Executed e = execute(notebook, SAVE);
        JsonNode fresh = SAVE ? JSON.readTree(notebook.toFile()) : e.notebook;
        List<JsonNode> cells = codeCells(fresh);
        for (int i = 0; i < cells.size(); i++) {
            JsonNode c = cells.get(i);
            assertFalse(c.get("execution_count").isNull(), notebook.getFileName() + ": code cell " + (i + 1) + " did not run");
            for (JsonNode o : c.get("outputs")) {
                if (o.get("output_type").asText().equals("error")) {
                    fail(notebook.getFileName() + ": code cell " + (i + 1) + " failed: " + o.get("evalue").asText());
                }
            }
        }
        if (!SAVE) {
            List<JsonNode> before = codeCells(saved);
            assertEquals(before.size(), cells.size(), "number of code cells");
            for (int i = 0; i < cells.size(); i++) {
                if (before.get(i).path("metadata").path("netgeom").path("volatile").asBoolean(false)) {
                    continue;
                }
                String was = outputs(before.get(i));
                String now = outputs(cells.get(i));
                if (!was.equals(now)) {
                    fail(notebook.getFileName() + ": code cell " + (i + 1) + " no longer gives its saved output. If the change is "
                            + "intended, regenerate the saved outputs: notebooks/execute.py --save notebooks/" + notebook.getFileName()
                            + " (see docs/notebooks.md).\n" + firstDifference(was, now));
                }
            }
        }
        if (!saved.path("metadata").path("netgeom").path("symja").asBoolean(true)) {
            assertFalse(e.classLog.contains("org.matheclipse"), notebook.getFileName() + " declares it needs no Symja, but Symja was loaded");
        }
    }

    @Test
    void kernelProtocol() throws Exception {
        Executed e = execute(MODULE.resolve("src/test/resources/notebooks/kernel-protocol.ipynb"), false);
        List<JsonNode> cells = codeCells(e.notebook);
        assertEquals(List.of("stdout:no newline"), summary(cells.get(0)), "a print without a newline is not lost");
        assertEquals(List.of("stdout:a\n", "display:text/latex=$$x^2$$", "stdout:b\n", "stderr:e"), summary(cells.get(1)),
                "printed text and displays keep their order");
        assertEquals(List.of("stdout:from a thread\n"), summary(cells.get(2)), "output of a thread the cell waits for");
        assertEquals(List.of("error:IR_IO"), summary(cells.get(3)), "a netgeom error shows its code");
        assertTrue(cells.get(3).get("outputs").get(0).get("evalue").asText().startsWith("error[IR_IO]: "));
        assertEquals(List.of("error:CompilationError"), summary(cells.get(4)));
        assertTrue(String.join("\n", texts(cells.get(4).get("outputs").get(0).get("traceback"))).contains("nothingDefinedHere"));
        assertEquals(List.of("result:text/plain=" + MODULE), summary(cells.get(5)), "cells run in notebooks/");
        assertTrue(summary(cells.get(6)).get(0).startsWith("result:image/svg+xml=<svg"), summary(cells.get(6)).toString());
        assertEquals(List.of("result:text/latex=$-\\frac{1}{2}$"), summary(cells.get(7)));
        assertEquals(List.of(), summary(cells.get(8)), "a declaration shows nothing");
        assertEquals(List.of("result:text/plain=7"), summary(cells.get(9)), "state carries across cells");
        assertEquals(List.of("display:text/latex=$0$", "display:text/latex=$\\frac{1}{3}$", "display:text/latex=$\\frac{2}{3}$"),
                summary(cells.get(10)), "show() from a loop");
        assertTrue(e.classLog.contains("org.netgeom.notebooks.kernel.KernelMain"), "class-load logging works");
        assertFalse(e.classLog.contains("org.matheclipse"), "Symja loaded although no cell used it");
    }

    @Test
    void symjaLoadsWhenACellUsesIt() throws Exception {
        Executed e = execute(MODULE.resolve("src/test/resources/notebooks/kernel-symja.ipynb"), false);
        String tex = text(codeCells(e.notebook).get(0).get("outputs").get(0).get("data").get("text/latex"));
        assertEquals("$$2 \\cdot \\sqrt{2}$$", tex, "√8 = 2√2");
        assertTrue(e.classLog.contains("org.matheclipse"), "the class-load check can see Symja");
    }

    /** What a front end asks besides running cells: completion, documentation, indentation, interrupting a runaway cell. */
    @Test
    void frontEndRequests() throws Exception {
        Proc p = run(List.of(PYTHON.toString(), MODULE.resolve("src/test/resources/notebooks/protocol-check.py").toString()),
                jupyterEnv(WORK.resolve("classes-protocol-check.log")), 300);
        assertEquals(0, p.status, p.output);
        // the script's one JSON line; a Python library may still print warnings after it (stderr is merged in)
        String last = p.output.lines().filter(l -> l.startsWith("{\"implementation\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("protocol-check.py printed no result line:\n" + p.output));
        JsonNode r = JSON.readTree(last);
        assertEquals("netgeom", r.get("implementation").asText());
        assertEquals("Java", r.get("language").asText());
        assertEquals("[[\"ZERO\"],9,11]", r.get("complete").toString(), "Rational.ZE| completes to ZERO");
        assertTrue(r.get("inspect").asText().contains("Rational Rational.of(long n, long d)"), r.get("inspect").toString());
        assertEquals("[\"incomplete\",\"  \"]", r.get("is_complete").toString());
        assertEquals("[\"error\",\"Interrupted\"]", r.get("interrupted").toString(), "while (true) {} is interrupted");
        assertEquals("[\"42\"]", r.get("after_interrupt").toString(), "the kernel lives on after an interrupt");
    }

    // ---- helpers ----

    record Proc(int status, String output) {
    }

    record Executed(JsonNode notebook, String classLog) {
    }

    static Proc run(List<String> cmd, Map<String, String> env, int timeoutS) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(ROOT.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try {
                p.getInputStream().transferTo(buf);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        pump.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            pump.join(5000);
            fail("timed out after " + timeoutS + " s: " + String.join(" ", cmd) + "\n" + buf.toString(StandardCharsets.UTF_8));
        }
        pump.join(5000);
        return new Proc(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
    }

    /** Jupyter's directories in target/ (the test's kernel spec, not the user's) and class-load logging into {@code classLog}. */
    static Map<String, String> jupyterEnv(Path classLog) {
        return Map.of(
                "JUPYTER_PATH", WORK.resolve("jupyter/share/jupyter").toString(),
                "JUPYTER_RUNTIME_DIR", WORK.resolve("runtime").toString(),
                "JUPYTER_DATA_DIR", WORK.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", WORK.resolve("config").toString(),
                "NETGEOM_KERNEL_JAVA_OPTS", "-XX:+UseParallelGC -Xss16m -Xlog:class+load=info:file=" + classLog);
    }

    /** Runs execute.py on one notebook with the test's kernel spec and class-load logging; fails loudly on any error. */
    static Executed execute(Path notebook, boolean save) throws Exception {
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        Path classLog = WORK.resolve("classes-" + name + ".log");
        Files.deleteIfExists(classLog);
        Path outDir = WORK.resolve("executed");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), MODULE.resolve("execute.py").toString()));
        if (save) {
            cmd.add("--save");
        } else {
            cmd.addAll(List.of("--out", outDir.toString()));
        }
        cmd.add(notebook.toString());
        Proc p = run(cmd, jupyterEnv(classLog), 600);
        assertEquals(0, p.status, notebook.getFileName() + " did not run to the end:\n" + p.output);
        Path result = save ? notebook : outDir.resolve(notebook.getFileName());
        JsonNode nb = JSON.readTree(result.toFile());
        assertTrue(Files.isRegularFile(classLog), "the kernel wrote no class-load log: was it started?");
        return new Executed(nb, Files.readString(classLog));
    }

    static List<JsonNode> codeCells(JsonNode nb) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : nb.get("cells")) {
            if (c.get("cell_type").asText().equals("code")) {
                out.add(c);
            }
        }
        return out;
    }

    /** nbformat stores multi-line text as a string or a list of lines; this is the text either way. */
    static String text(JsonNode n) {
        return n.isArray() ? String.join("", texts(n)) : n.asText();
    }

    static List<String> texts(JsonNode arr) {
        List<String> l = new ArrayList<>();
        arr.forEach(x -> l.add(x.asText()));
        return l;
    }

    /** A cell's outputs in a comparable form: type, stream name or MIME type, content. */
    static String outputs(JsonNode cell) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode o : cell.get("outputs")) {
            String t = o.get("output_type").asText();
            sb.append("[").append(t).append("]\n");
            switch (t) {
                case "stream" -> sb.append(o.get("name").asText()).append(": ").append(text(o.get("text"))).append('\n');
                case "error" -> sb.append(o.get("ename").asText()).append(": ").append(o.get("evalue").asText()).append('\n');
                default -> o.get("data").fields().forEachRemaining(f -> sb.append(f.getKey()).append(":\n").append(text(f.getValue())).append('\n'));
            }
        }
        return sb.toString();
    }

    /** One short line per output: "stdout:text", "display:mime=content", "result:mime=content", "error:ename". */
    static List<String> summary(JsonNode cell) {
        List<String> l = new ArrayList<>();
        for (JsonNode o : cell.get("outputs")) {
            switch (o.get("output_type").asText()) {
                case "stream" -> l.add(o.get("name").asText() + ":" + text(o.get("text")));
                case "error" -> l.add("error:" + o.get("ename").asText());
                default -> {
                    JsonNode d = o.get("data");
                    String mime = d.has("image/svg+xml") ? "image/svg+xml" : d.has("text/latex") ? "text/latex" : "text/plain";
                    assertNotNull(d.get("text/plain"), "every output has text/plain");
                    l.add((o.get("output_type").asText().equals("display_data") ? "display:" : "result:") + mime + "=" + text(d.get(mime)));
                }
            }
        }
        return l;
    }

    static String firstDifference(String was, String now) {
        String[] a = was.split("\n", -1);
        String[] b = now.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(nothing)";
            String y = i < b.length ? b[i] : "(nothing)";
            if (!x.equals(y)) {
                return "first difference, line " + (i + 1) + ":\n  saved: " + abbreviate(x) + "\n  now:   " + abbreviate(y);
            }
        }
        return "";
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
