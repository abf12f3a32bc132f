package org.netgeom.numeric.train;

import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file {@code DIR/checkpoint.safetensors} holding the
 * parameters, batchnorm buffers, optimizer state and the metrics so far (float64, exact), with
 * the step and the run's fingerprint in its metadata. It is written atomically (a temporary file
 * renamed over the old one), so a run killed at any instant leaves the previous checkpoint or
 * the new one, never a torn file; since batches and updates are deterministic, resuming from it
 * reproduces the uninterrupted run bit for bit.
 */
public final class Checkpoint {
    /** The file name inside the checkpoint directory. */
    public static final String FILE = "checkpoint.safetensors";

    /** What a checkpoint holds; {@code metrics} is {@code [steps][3]} rows (step, epoch, loss) flattened. */
    public record State(long step, String fingerprint, double[] params, double[] buffers, long optimizerSteps,
                        Map<String, double[]> optimizer, double[] metrics) {
    }

    private Checkpoint() {
    }

    public static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    /**
     * Removes temporary files that a run killed while writing a checkpoint left behind (the
     * checkpoint itself is never half-written: it is renamed into place only when complete).
     */
    public static void removeStale(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.newDirectoryStream(dir, "." + FILE + ".*.tmp")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // best effort: stale temporary files are harmless
        }
    }

    /** Writes the state atomically. */
    public static void write(Path dir, State s) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        put(t, "params", s.params());
        put(t, "buffers", s.buffers());
        for (Map.Entry<String, double[]> e : s.optimizer().entrySet()) {
            put(t, "optimizer." + e.getKey(), e.getValue());
        }
        if (s.metrics().length > 0) {
            t.put("metrics", Tensor.ofDoubles(Shape.of(s.metrics().length / 3, 3), s.metrics()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "netgeom-checkpoint-1");
        meta.put("step", Long.toString(s.step()));
        meta.put("optimizer_steps", Long.toString(s.optimizerSteps()));
        meta.put("fingerprint", s.fingerprint());
        Safetensors.write(file(dir), t, meta, false);
    }

    private static void put(Map<String, Tensor> t, String key, double[] v) {
        if (v.length > 0) {
            t.put(key, Tensor.ofDoubles(Shape.of(v.length), v));
        }
    }

    /** The checkpoint in {@code dir}, or null when there is none. */
    public static State read(Path dir) {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Safetensors st = Safetensors.open(f);
            Map<String, String> meta = st.metadata();
            if (!"netgeom-checkpoint-1".equals(meta.get("format"))) {
                throw NumericError.CHECKPOINT.at(f.toString(), "not a netgeom checkpoint (format " + meta.get("format") + ")");
            }
            Map<String, double[]> opt = new LinkedHashMap<>();
            for (String k : st.entries().keySet()) {
                if (k.startsWith("optimizer.")) {
                    opt.put(k.substring("optimizer.".length()), st.read(k, FILE).nearestDoubles());
                }
            }
            return new State(Long.parseLong(meta.get("step")), meta.get("fingerprint"), get(st, "params"), get(st, "buffers"),
                    Long.parseLong(meta.get("optimizer_steps")), opt, get(st, "metrics"));
        } catch (NetgeomException e) {
            if (e.code() == NumericError.CHECKPOINT) {
                throw e;
            }
            throw NumericError.CHECKPOINT.at(f.toString(), "unreadable checkpoint: " + e.getMessage());
        } catch (RuntimeException e) {
            throw NumericError.CHECKPOINT.at(f.toString(), "unreadable checkpoint: " + e);
        }
    }

    private static double[] get(Safetensors st, String key) {
        return st.entries().containsKey(key) ? st.read(key, FILE).nearestDoubles() : new double[0];
    }
}
