package org.netgeom.numeric.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.numeric.NumericError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch bridge's process side: finds a Python interpreter that can {@code import torch}
 * ({@code NETGEOM_PYTHON} when set, else {@code /usr/bin/python3}, {@code python3} on the PATH,
 * {@code /usr/local/bin/python3}, {@code python}), extracts the {@code netgeom_torch} package
 * shipped in this jar into a content-addressed directory under the system temp dir, and runs
 * {@code python -m netgeom_torch COMMAND REQUEST.json} (or, with several processes,
 * {@code python -m netgeom_torch.launch --standalone --nproc_per_node N -m netgeom_torch ...}, which is torchrun
 * with a fix for PyTorch 1.13 on Python 3.11).
 * A missing interpreter or torch is {@link NumericError#TORCH_UNAVAILABLE} with the install hint;
 * a failure inside the bridge is {@link NumericError#TORCH_FAILED} with its one-line reason
 * (Python's traceback stays in the log file named in the message, never on the console).
 */
public final class TorchBridge {
    static final String PACKAGE = "netgeom_torch";
    private static final String RESOURCES = "/org/netgeom/numeric/torch/" + PACKAGE + "/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TorchBridge instance;

    private final String python;
    private final String torchVersion;
    private final boolean cuda;
    private final Path home;

    private TorchBridge(String python, String torchVersion, boolean cuda, Path home) {
        this.python = python;
        this.torchVersion = torchVersion;
        this.cuda = cuda;
        this.home = home;
    }

    /** The bridge (found and extracted once per JVM). */
    public static synchronized TorchBridge get() {
        if (instance == null) {
            instance = find(candidates());
        }
        return instance;
    }

    /**
     * The Python interpreters netgeom tries, in order: {@code NETGEOM_PYTHON} alone when it is set,
     * else Debian's {@code /usr/bin/python3} first, then the usual names on the PATH (the torch
     * bridge and the ONNX import both look for theirs here).
     */
    public static List<String> candidates() {
        String env = System.getenv("NETGEOM_PYTHON");
        return env != null && !env.isBlank() ? List.of(env)
                : List.of("/usr/bin/python3", "python3", "/usr/local/bin/python3", "python");
    }

    /** The first candidate interpreter that can import torch; {@link NumericError#TORCH_UNAVAILABLE} when none can. */
    static TorchBridge find(List<String> candidates) {
        Path home = extract();
        List<String> tried = new ArrayList<>();
        for (String c : candidates) {
            JsonNode probe = probe(c, home, tried);
            if (probe != null) {
                return new TorchBridge(c, probe.path("torch").asText(), probe.path("cuda").asBoolean(), home);
            }
        }
        throw NumericError.TORCH_UNAVAILABLE.error("PyTorch is needed here but no Python interpreter with torch was found ("
                + String.join("; ", tried) + "). Install it with `apt-get install python3-torch` (Debian/Ubuntu) "
                + "or `pip install torch`, or set NETGEOM_PYTHON to a python3 that can import torch");
    }

    private static JsonNode probe(String python, Path home, List<String> tried) {
        try {
            Process p = builder(List.of(python, "-m", PACKAGE, "probe"), home).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                tried.add(python + ": no answer");
                return null;
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                tried.add(python + (text.contains("No module named 'torch'") || text.contains("No module named torch")
                        ? ": has no torch" : ": " + lastLine(text)));
                return null;
            }
            return JSON.readTree(lastLine(text));
        } catch (IOException e) {
            tried.add(python + ": not found");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tried.add(python + ": interrupted");
            return null;
        }
    }

    private static ProcessBuilder builder(List<String> cmd, Path home) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String pp = pb.environment().get("PYTHONPATH");
        pb.environment().put("PYTHONPATH", home + (pp == null || pp.isEmpty() ? "" : java.io.File.pathSeparator + pp));
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return pb;
    }

    /** The interpreter in use. */
    public String python() {
        return python;
    }

    /** torch.__version__. */
    public String torchVersion() {
        return torchVersion;
    }

    /** Whether torch sees a CUDA device. */
    public boolean cuda() {
        return cuda;
    }

    /** The directory holding the extracted {@code netgeom_torch} package (for PYTHONPATH). */
    public Path home() {
        return home;
    }

    /**
     * Runs one bridge command: writes {@code request} (plus {@code response} and {@code result}
     * paths in {@code dir}) and returns the response JSON.
     *
     * @param nproc processes (DistributedDataParallel through torch.distributed.run when &gt; 1)
     */
    public JsonNode run(String command, Map<String, Object> request, Path dir, int nproc) {
        Map<String, Object> req = new LinkedHashMap<>(request);
        req.put("response", dir.resolve("response.json").toString());
        req.put("result", dir.resolve("result.safetensors").toString());
        Path reqFile = dir.resolve("request.json");
        try {
            AtomicFiles.writeString(reqFile, JSON.writeValueAsString(req));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(python));
        if (nproc > 1) {
            cmd.addAll(List.of("-m", PACKAGE + ".launch", "--standalone", "--nnodes=1", "--nproc_per_node=" + nproc, "-m"));
        } else {
            cmd.add("-m");
        }
        cmd.addAll(List.of(PACKAGE, command, reqFile.toString()));
        Path log = dir.resolve("bridge.log");
        int code;
        try {
            Process p = builder(cmd, home).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Ctrl-C (or kill) of netgeom stops the bridge too: it must not run on, writing, after we are gone
            Thread stop = new Thread(() -> {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }, "netgeom-torch-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                code = p.waitFor();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        } catch (IOException e) {
            throw NumericError.TORCH_UNAVAILABLE.error("cannot start " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NumericError.TORCH_FAILED.error("interrupted while waiting for the PyTorch bridge");
        }
        String text = readQuietly(log);
        if (code != 0) {
            String reason = userError(text);
            throw NumericError.TORCH_FAILED.error(reason != null ? "PyTorch (" + command + "): " + reason
                    : "the PyTorch bridge failed (" + command + ", exit " + code + "): " + lastLine(text) + " (full log: " + log + ")");
        }
        try {
            return JSON.readTree(dir.resolve("response.json").toFile());
        } catch (IOException e) {
            throw NumericError.TORCH_FAILED.error("the PyTorch bridge wrote no answer (" + command + "): " + e.getMessage());
        }
    }

    private static String userError(String log) {
        String marker = "netgeom_torch: error: ";
        int i = log.lastIndexOf(marker);
        return i < 0 ? null : log.substring(i + marker.length()).split("\n")[0].trim();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.trim().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].trim();
    }

    // ------------------------------------------------------------------ extraction

    private static Path extract() {
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            String list = new String(resource("FILES"), StandardCharsets.UTF_8);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : list.split("\n")) {
                name = name.trim();
                if (!name.isEmpty()) {
                    byte[] b = resource(name);
                    files.put(name, b);
                    md.update(name.getBytes(StandardCharsets.UTF_8));
                    md.update(b);
                }
            }
            String hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "netgeom-torch-" + hash + "-" + user());
            if (Files.isRegularFile(home.resolve(PACKAGE).resolve(".complete"))) {
                return home;
            }
            Path tmp = Files.createTempDirectory(home.getParent(), ".netgeom-torch-");
            Path pkg = Files.createDirectories(tmp.resolve(PACKAGE));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(pkg.resolve(f.getKey()), f.getValue());
            }
            Files.write(pkg.resolve(".complete"), new byte[0]);
            try {
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(tmp);        // another process extracted the same content first
            }
            return home;
        } catch (IOException e) {
            throw NumericError.TORCH_FAILED.error("cannot extract the PyTorch bridge package: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String user() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TorchBridge.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }

    /** Deletes a directory tree (best effort). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
