package org.netgeom.ir.io;

import org.netgeom.ir.IrError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a model's tensor references ({@code {"file": ..., "key": ...}}) may point: the model's
 * own directory and below it, plus the directories the user allowed ({@code --allow-tensor-path
 * DIR}). A reference is resolved against the model's directory, symlinks resolved
 * ({@link Path#toRealPath}), and accepted only when the real path lies under the real model
 * directory or under a real allowed directory, and is a regular file (so a FIFO, a device or a
 * directory is never opened and never blocks). Anything else is
 * {@link IrError#IR_TENSOR_PATH} naming the reference as the IR spelled it; the file is not
 * opened. Models exchanged between researchers can therefore not make netgeom read arbitrary
 * files of the machine they are opened on.
 */
public final class TensorPaths {
    /** No directory beyond the model's own. */
    public static final TensorPaths MODEL_DIR_ONLY = new TensorPaths(List.of());

    private final List<Path> allowed;

    private TensorPaths(List<Path> realAllowed) {
        this.allowed = realAllowed;
    }

    /**
     * The model's directory plus {@code dirs} (each must be an existing directory; it is
     * resolved to its real path now). Throws {@link IrError#IR_IO} for one that is not.
     */
    public static TensorPaths allowing(List<Path> dirs) {
        if (dirs == null || dirs.isEmpty()) {
            return MODEL_DIR_ONLY;
        }
        List<Path> real = new ArrayList<>();
        for (Path d : dirs) {
            try {
                Path r = d.toAbsolutePath().toRealPath();
                if (!Files.isDirectory(r)) {
                    throw IrError.IR_IO.at("--allow-tensor-path", "--allow-tensor-path " + d + " is not a directory");
                }
                real.add(r);
            } catch (IOException e) {
                throw IrError.IR_IO.at("--allow-tensor-path", "--allow-tensor-path " + d + " is not an existing directory");
            }
        }
        return new TensorPaths(Collections.unmodifiableList(real));
    }

    /** The allowed directories besides the model's own (real paths). */
    public List<Path> allowed() {
        return allowed;
    }

    /**
     * The real path of the tensor file {@code ref} of a model in {@code modelDir}, checked as
     * the class comment says; {@code at} is the reference's path in the IR.
     */
    public Path resolve(Path modelDir, String ref, String at) {
        String shown = "'" + ref + "'";
        Path realDir;
        try {
            realDir = modelDir.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw IrError.IR_TENSOR_FILE.at(at, "the model's directory cannot be resolved, so tensor file " + shown + " is not read");
        }
        Path lexical;
        try {
            lexical = realDir.resolve(ref).normalize();
        } catch (InvalidPathException e) {
            throw IrError.IR_TENSOR_PATH.at(at, "tensor file " + shown + " is not a valid path");
        }
        if (ref.isEmpty() || lexical.equals(realDir)) {
            throw IrError.IR_TENSOR_FILE.at(at, "tensor file " + shown + " names no file");
        }
        if (!permitted(realDir, lexical)) {
            throw outside(shown, at);       // decided without touching the file
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (IOException e) {
            throw IrError.IR_TENSOR_FILE.at(at, "no such tensor file " + shown + " (tensor files are looked up beside the model)");
        }
        if (!permitted(realDir, real)) {
            throw outside(shown, at);       // a symlink out of the model's directory
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw IrError.IR_TENSOR_FILE.at(at, "tensor file " + shown + " is not a regular file (a directory, a pipe or a device); "
                    + "it is not opened");
        }
        return real;
    }

    private boolean permitted(Path realDir, Path p) {
        if (p.startsWith(realDir) && !p.equals(realDir)) {
            return true;
        }
        for (Path a : allowed) {
            if (p.startsWith(a) && !p.equals(a)) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException outside(String shown, String at) {
        return IrError.IR_TENSOR_PATH.at(at, "tensor file " + shown + " lies outside the model's directory; netgeom reads tensor "
                + "files only from the model's directory and below it (after resolving symlinks), so it was not opened; "
                + "to allow another directory, pass --allow-tensor-path DIR");
    }
}
