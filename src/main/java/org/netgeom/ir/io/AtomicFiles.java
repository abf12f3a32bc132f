package org.netgeom.ir.io;

import org.netgeom.ir.IrError;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way netgeom writes a user's output file (every {@code --out}, {@code --plot},
 * {@code --log}, {@code --report}, {@code --weights-file}, checkpoint and import output):
 * atomically, with the user's usual permissions, and never through a symlink that leads out of
 * the target's directory.
 *
 * <ul>
 * <li>The bytes go to a hidden temporary file beside the target, forced to disk, then renamed
 *     over it ({@code ATOMIC_MOVE}): a reader, or a run killed half-way, sees the old file or the
 *     new one, never a half-written one. A temporary file still pending when the JVM shuts down
 *     (Ctrl-C) is deleted by a shutdown hook.</li>
 * <li>A new file gets the mode a plain new file gets (0666 minus the umask: the temporary file
 *     is created with {@code O_CREAT|O_EXCL} and default attributes, unlike
 *     {@link Files#createTempFile}'s 0600); a replaced file keeps its mode.</li>
 * <li>A target that is a symlink is resolved: the file it points to is replaced when it lies in
 *     the same directory (the symlink stays), else the write is refused with
 *     {@link IrError#OUTPUT_PATH}, as is a dangling symlink and a target that is a directory or
 *     another non-regular file.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private AtomicFiles() {
    }

    /** A body that writes the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The path a write to {@code target} replaces (its directory created when missing): the
     * target itself, or the file a symlink in the same directory points to. Throws
     * {@link IrError#OUTPUT_PATH} where {@link #write} would refuse. Callers that hand a path to
     * another program (the PyTorch bridge) check it here first and pass the result on.
     */
    public static Path target(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw IrError.OUTPUT_PATH.error("cannot write " + target + ": it names no file");
        }
        Path realDir;
        try {
            Files.createDirectories(dir);
            realDir = dir.toRealPath();
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot write " + target + ": its directory cannot be created (" + e.getClass().getSimpleName() + ")");
        }
        Path dest = realDir.resolve(abs.getFileName());
        if (Files.isSymbolicLink(dest)) {
            Path real;
            try {
                real = dest.toRealPath();
            } catch (IOException e) {
                throw IrError.OUTPUT_PATH.error("refusing to write " + target + ": it is a symlink to a missing file");
            }
            if (!realDir.equals(real.getParent())) {
                throw IrError.OUTPUT_PATH.error("refusing to write " + target + ": it is a symlink that leads out of its directory "
                        + "(netgeom never writes through such a link; remove it or name the real file)");
            }
            dest = real;
        }
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw IrError.OUTPUT_PATH.error("refusing to write " + target + ": it exists and is not a regular file (a directory, "
                    + "a pipe or a device)");
        }
        return dest;
    }

    public static void write(Path target, Body body) {
        Path dest = target(target);
        Path tmp = null;
        try {
            tmp = createTemp(dest);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                OutputStream raw = Channels.newOutputStream(ch);
                java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();        // the body may close it; the channel stays open to be forced
                    }
                };
                body.write(out);
                out.flush();
                ch.force(true);
            }
            keepMode(dest, tmp);
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            PENDING.remove(tmp);
            tmp = null;
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot write " + target + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            if (tmp != null) {
                PENDING.remove(tmp);
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }

    /** A new hidden file beside {@code dest}, created exclusively with default permissions (umask applies). */
    private static Path createTemp(Path dest) throws IOException {
        hook();
        for (int i = 0; ; i++) {
            Path tmp = dest.resolveSibling("." + dest.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                PENDING.add(tmp);
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                PENDING.remove(tmp);
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /** A replaced file keeps its permissions (as a shell's {@code >} would). */
    private static void keepMode(Path dest, Path tmp) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(dest, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (old == null || !Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> perms = old.readAttributes().permissions();
        Files.setPosixFilePermissions(tmp, perms);
    }

    private static void hook() {
        if (!hooked) {
            synchronized (AtomicFiles.class) {
                if (!hooked) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        for (Path p : PENDING) {
                            try {
                                Files.deleteIfExists(p);
                            } catch (IOException ignored) {
                                // best effort at exit
                            }
                        }
                    }, "netgeom-atomic-files-cleanup"));
                    hooked = true;
                }
            }
        }
    }
}
