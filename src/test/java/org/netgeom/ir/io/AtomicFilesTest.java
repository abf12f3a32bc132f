package org.netgeom.ir.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.IrError;
import org.netgeom.ir.NetgeomException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output files: new ones get 0666 minus the process umask (read independently from
 * /proc/self/status), replaced ones keep their mode, symlinks out of the directory are refused
 * and the file they point to is untouched, and no temporary file is left behind.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        throw new IllegalStateException("no Umask line");
    }

    static int mode(Path p) throws IOException {
        int m = 0;
        for (PosixFilePermission x : Files.getPosixFilePermissions(p)) {
            m |= 1 << (8 - x.ordinal());      // OWNER_READ is ordinal 0 = 0400
        }
        return m;
    }

    private long others() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void newFilesGetTheUmaskMode() throws IOException {
        Path f = dir.resolve("sub/out.txt");
        AtomicFiles.writeString(f, "hello");
        assertEquals("hello", Files.readString(f));
        assertEquals(0666 & ~umask(), mode(f), Integer.toOctalString(mode(f)));
        assertEquals(0, others());
    }

    @Test
    void replacedFilesKeepTheirMode() throws IOException {
        Path f = dir.resolve("plot.svg");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        assertEquals(0640, mode(f));
        assertEquals(0, others());
    }

    @Test
    void symlinksOutOfTheDirectoryAreRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path victim = outside.resolve("victim.txt");
        Files.writeString(victim, "keep me");
        Path work = Files.createDirectories(dir.resolve("work"));
        Path link = work.resolve("out.json");
        Files.createSymbolicLink(link, victim);
        NetgeomException e = assertThrows(NetgeomException.class, () -> AtomicFiles.writeString(link, "evil"));
        assertEquals(IrError.OUTPUT_PATH, e.code());
        assertEquals("keep me", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link));
        Path dangling = work.resolve("dangling.json");
        Files.createSymbolicLink(dangling, outside.resolve("nothing"));
        assertEquals(IrError.OUTPUT_PATH, assertThrows(NetgeomException.class, () -> AtomicFiles.writeString(dangling, "x")).code());
        assertTrue(Files.notExists(outside.resolve("nothing")));
    }

    @Test
    void symlinksInsideTheDirectoryReplaceTheirTarget() throws IOException {
        Path real = dir.resolve("real.csv");
        Files.writeString(real, "old");
        Path link = dir.resolve("latest.csv");
        Files.createSymbolicLink(link, real.getFileName());
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void directoriesAreRefused() throws IOException {
        Path d = Files.createDirectories(dir.resolve("a.svg"));
        assertEquals(IrError.OUTPUT_PATH, assertThrows(NetgeomException.class, () -> AtomicFiles.writeString(d, "x")).code());
        assertTrue(Files.isDirectory(d));
        assertEquals(0, others());
    }

    @Test
    void aFailingBodyLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("model.json");
        Files.writeString(f, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(0, others());
    }
}
