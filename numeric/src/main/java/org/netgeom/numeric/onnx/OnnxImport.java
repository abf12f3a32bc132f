package org.netgeom.numeric.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.numeric.NumericError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ONNX import ({@code netgeom import MODEL.onnx}): runs the converter {@code netgeom_onnx.py}
 * (shipped in this jar; onnx, numpy and the standard library only) with the first interpreter
 * that can {@code import onnx}: {@code NETGEOM_PYTHON} when set, else {@code /usr/bin/python3},
 * {@code python3} on the PATH, {@code /usr/local/bin/python3}, {@code python}. None is
 * {@link NumericError#ONNX_UNAVAILABLE} with the install hint ({@code apt-get install python3-onnx}).
 *
 * <p>The converter writes into a private temporary directory; only when it succeeded are the
 * weights file and then the IR file copied to their targets (each atomically), so a failed import
 * leaves nothing behind. The op table and the exactness rules are in docs/import.md.
 */
public final class OnnxImport {
    private static final String SCRIPT = "netgeom_onnx.py";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_ERROR = Pattern.compile("netgeom_onnx: error\\[(ONNX_[A-Z]+)]: (.*)");
    private static String python;

    private OnnxImport() {
    }

    /**
     * A finished conversion: the IR and weights in a private directory, read back with
     * {@link #json()} before {@link #publish} copies them to their targets; {@link #close()}
     * removes the directory.
     */
    public static final class Job implements AutoCloseable {
        private final Path dir;
        private final Path outJson;
        private final Path weights;
        private final int[] input;
        private final String dtype;

        private Job(Path dir, Path outJson, Path weights, int[] input, String dtype) {
            this.dir = dir;
            this.outJson = outJson;
            this.weights = weights;
            this.input = input;
            this.dtype = dtype;
        }

        /** The converted IR file (in the job directory, beside its weights file). */
        public Path json() {
            return dir.resolve("out").resolve(outJson.getFileName().toString());
        }

        /** The input shape. */
        public int[] input() {
            return input.clone();
        }

        /** The ONNX input's element type (float32, float64, float16). */
        public String dtype() {
            return dtype;
        }

        /** Copies the weights (when any were written) and then the IR to their targets, each atomically. */
        public void publish() {
            try {
                if (weights != null) {
                    Path w = dir.resolve("out").resolve(weights.getFileName().toString());
                    if (Files.exists(w)) {
                        AtomicFiles.write(weights, Files.readAllBytes(w));
                    }
                }
                AtomicFiles.write(outJson, Files.readAllBytes(json()));
            } catch (IOException e) {
                throw NumericError.ONNX_INVALID.error("cannot read the converted model: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            org.netgeom.numeric.torch.TorchBridge.deleteTree(dir);
        }
    }

    /** The interpreter (found once per JVM). */
    public static synchronized String python() {
        if (python == null) {
            python = find(org.netgeom.numeric.torch.TorchBridge.candidates());
        }
        return python;
    }

    static String find(List<String> candidates) {
        List<String> tried = new ArrayList<>();
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import onnx, numpy").redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    tried.add(c + ": no answer");
                } else if (p.exitValue() == 0) {
                    return c;
                } else {
                    tried.add(c + (text.contains("No module named") ? ": has no " + text.replaceAll("(?s).*No module named '?([A-Za-z0-9_.]+)'?.*", "$1") : ": fails"));
                }
            } catch (IOException e) {
                tried.add(c + ": not found");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tried.add(c + ": interrupted");
            }
        }
        throw NumericError.ONNX_UNAVAILABLE.error("importing ONNX needs Python with the onnx package, but none was found ("
                + String.join("; ", tried) + "). Install it with `sudo apt-get install python3-onnx` (Debian/Ubuntu) "
                + "or `pip install onnx`, or set NETGEOM_PYTHON to a python3 that can import onnx");
    }

    /**
     * Converts {@code model} to the IR at {@code outJson}, the weights in {@code weights} (beside
     * it; null: inline).
     */
    public static Job convert(Path model, Path outJson, Path weights, String name) {
        String py = python();
        Path dir;
        try {
            dir = Files.createTempDirectory("netgeom-onnx-job-");
        } catch (IOException e) {
            throw NumericError.ONNX_UNAVAILABLE.error("cannot create a temporary directory: " + e.getMessage());
        }
        boolean ok = false;
        try {
            Path script = dir.resolve(SCRIPT);
            Files.write(script, resource());
            Path tmpJson = dir.resolve("out").resolve(outJson.getFileName().toString());
            Path tmpWeights = weights == null ? null : dir.resolve("out").resolve(weights.getFileName().toString());
            Files.createDirectories(tmpJson.getParent());
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("model", model.toAbsolutePath().toString());
            req.put("out_model", tmpJson.toString());
            if (tmpWeights != null) {
                req.put("out_weights", tmpWeights.toString());
            }
            if (name != null) {
                req.put("name", name);
            }
            req.put("response", dir.resolve("response.json").toString());
            Path reqFile = dir.resolve("request.json");
            Files.writeString(reqFile, JSON.writeValueAsString(req));
            Path log = dir.resolve("convert.log");
            ProcessBuilder pb = new ProcessBuilder(py, script.toString(), reqFile.toString());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Ctrl-C (or kill) of netgeom stops the converter too
            Thread stop = new Thread(p::destroy, "netgeom-onnx-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int code;
            try {
                code = p.waitFor();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (code != 0) {
                Matcher m = USER_ERROR.matcher(text);
                String last = null;
                String reason = null;
                while (m.find()) {
                    last = m.group(1);
                    reason = m.group(2).trim();
                }
                if (last != null) {
                    throw NumericError.valueOf(last).error(reason);
                }
                String[] lines = text.trim().split("\n");
                ok = true;      // keep the job directory: its log is the bug report
                throw NumericError.ONNX_INVALID.error("the ONNX converter failed (exit " + code + "): "
                        + lines[lines.length - 1].trim() + " (full log: " + log + ")");
            }
            JsonNode r = JSON.readTree(dir.resolve("response.json").toFile());
            JsonNode s = r.get("input");
            int[] shape = new int[s.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.get(i).asInt();
            }
            ok = true;
            return new Job(dir, outJson, weights, shape, r.path("dtype").asText());
        } catch (IOException e) {
            throw NumericError.ONNX_INVALID.error("the ONNX converter failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NumericError.ONNX_INVALID.error("interrupted while converting " + model);
        } finally {
            if (!ok) {
                org.netgeom.numeric.torch.TorchBridge.deleteTree(dir);
            }
        }
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = OnnxImport.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("missing resource " + SCRIPT);
            }
            return in.readAllBytes();
        }
    }
}
