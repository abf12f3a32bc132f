package org.netgeom.ir.io;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.ErrorCode;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensor references may point only into the model's directory (after resolving symlinks) or
 * into an allowed directory, and only at regular files. Files outside are refused with
 * IR_TENSOR_PATH without being opened: the test makes the outside target a FIFO, which would
 * block any reader that opened it (each case has a timeout), and a safetensors file whose key
 * names must not appear in any message.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TensorPathsTest {
    @TempDir
    Path root;
    Path modelDir;
    Path outside;

    @BeforeEach
    void files() throws IOException, InterruptedException {
        modelDir = Files.createDirectories(root.resolve("models/m"));
        outside = Files.createDirectories(root.resolve("elsewhere"));
        byte[] w = new SafetensorsBytes().f64("w", new int[]{1, 1}, 0.5).bytes();
        Files.write(modelDir.resolve("w.safetensors"), w);
        Files.createDirectories(modelDir.resolve("sub"));
        Files.write(modelDir.resolve("sub/w.safetensors"), w);
        Files.write(outside.resolve("secret.safetensors"), new SafetensorsBytes().f64("secret_key_name", new int[]{1, 1}, 0.5).bytes());
        mkfifo(outside.resolve("fifo.safetensors"));
        mkfifo(modelDir.resolve("fifo.safetensors"));
        Files.createSymbolicLink(modelDir.resolve("link.safetensors"), outside.resolve("secret.safetensors"));
        Files.createSymbolicLink(modelDir.resolve("linkdir"), outside);
        Files.createSymbolicLink(modelDir.resolve("inside-link.safetensors"), modelDir.resolve("sub/w.safetensors"));
    }

    private static void mkfifo(Path p) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, pr.waitFor());
    }

    private Model read(String file, TensorPaths paths) throws IOException {
        Path m = modelDir.resolve("model.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": {\"file\": \""
                + file.replace("\\", "\\\\") + "\", \"key\": \"w\"}}]}");
        return IrReader.readWithWarnings(m, paths).model();
    }

    private NetgeomException refused(String file, TensorPaths paths, ErrorCode code) {
        NetgeomException e = assertThrows(NetgeomException.class, () -> read(file, paths));
        assertEquals(code, e.code(), e.render());
        assertEquals("layers[0].weight", e.path());
        assertFalse(e.getMessage().contains("secret_key_name"), e.getMessage());
        return e;
    }

    private static Rational weight(Model m) {
        return ((org.netgeom.ir.Layer.Dense) m.layers().get(0)).weight().rational(0);
    }

    @Test
    void filesInsideTheModelDirectoryAreRead() throws IOException {
        assertEquals(Rational.of(1, 2), weight(read("w.safetensors", TensorPaths.MODEL_DIR_ONLY)));
        assertEquals(Rational.of(1, 2), weight(read("sub/w.safetensors", TensorPaths.MODEL_DIR_ONLY)));
        assertEquals(Rational.of(1, 2), weight(read("sub/../w.safetensors", TensorPaths.MODEL_DIR_ONLY)));
        assertEquals(Rational.of(1, 2), weight(read("inside-link.safetensors", TensorPaths.MODEL_DIR_ONLY)));
        assertEquals(Rational.of(1, 2), weight(read(modelDir.resolve("w.safetensors").toString(), TensorPaths.MODEL_DIR_ONLY)));
    }

    @Test
    void referencesOutsideAreRefusedWithoutOpening() {
        NetgeomException e = refused("../../elsewhere/secret.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        assertTrue(e.getMessage().contains("'../../elsewhere/secret.safetensors'"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-tensor-path"), e.getMessage());
        refused(outside.resolve("secret.safetensors").toString(), TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        refused("link.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        refused("linkdir/secret.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        refused("/etc/passwd", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        // a FIFO outside: opening it would block until the timeout
        refused("../../elsewhere/fifo.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        refused("linkdir/fifo.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
        refused("../../elsewhere/none.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_PATH);
    }

    @Test
    void onlyRegularFilesAreOpened() {
        refused("fifo.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
        refused("sub", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
        refused(".", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
        refused("missing.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
        TensorPaths allowDev = TensorPaths.allowing(List.of(Path.of("/dev")));
        refused("/dev/zero", allowDev, IrError.IR_TENSOR_FILE);
        refused(outside.resolve("fifo.safetensors").toString(), TensorPaths.allowing(List.of(outside)), IrError.IR_TENSOR_FILE);
    }

    @Test
    void allowedDirectoriesAreRead() throws IOException {
        TensorPaths allow = TensorPaths.allowing(List.of(outside));
        NetgeomException e = refused("../../elsewhere/secret.safetensors", allow, IrError.IR_TENSOR_FILE);   // read: key w is absent
        assertTrue(e.getMessage().contains("no key 'w'"), e.getMessage());
        Files.write(outside.resolve("w.safetensors"), new SafetensorsBytes().f64("w", new int[]{1, 1}, 0.25).bytes());
        assertEquals(Rational.of(1, 4), weight(read("../../elsewhere/w.safetensors", allow)));
        assertEquals(Rational.of(1, 4), weight(read("linkdir/w.safetensors", allow)));
        NetgeomException bad = assertThrows(NetgeomException.class, () -> TensorPaths.allowing(List.of(root.resolve("nope"))));
        assertEquals(IrError.IR_IO, bad.code());
    }

    @Test
    void brokenHeadersDoNotQuoteTheFile() throws IOException {
        Files.write(modelDir.resolve("lie.safetensors"), new SafetensorsBytes().f64("secret_key_name", new int[]{1, 1}, 0.5).lie(1L << 40).bytes());
        NetgeomException e = refused("lie.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
        long size = Files.size(modelDir.resolve("lie.safetensors"));
        assertFalse(e.getMessage().contains(String.valueOf(1L << 40)) || e.getMessage().contains(String.valueOf(size))
                || e.getMessage().contains(String.valueOf(size - 8)), "no sizes: " + e.getMessage());
        Files.write(modelDir.resolve("nokey.safetensors"), new SafetensorsBytes().f64("secret_key_name", new int[]{1, 1}, 0.5).bytes());
        refused("nokey.safetensors", TensorPaths.MODEL_DIR_ONLY, IrError.IR_TENSOR_FILE);
    }
}
