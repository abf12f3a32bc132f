package org.netgeom.numeric.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.io.Safetensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bridge's Python twin of AtomicFiles ({@code netgeom_torch.safetensors.atomic_write}), run
 * by the bridge's interpreter on the extracted package, checked from Java on the file system:
 * new files get 0666 minus the umask the script sets, replaced files keep their mode, a write that
 * fails half-way leaves the old file byte for byte and no temporary file, and a safetensors file
 * written through it reads back in the Java reader (an independent implementation of the format).
 */
class PythonAtomicWriteTest {
    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void atomicWriteHonoursTheUmaskKeepsModesAndLeavesNothingHalfWritten(@TempDir Path tmp) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("out"));
        Path keepMode = d.resolve("old.bin");
        Files.writeString(keepMode, "old");
        Files.setPosixFilePermissions(keepMode, PosixFilePermissions.fromString("rw-------"));
        Path keep = d.resolve("keep.bin");
        Files.writeString(keep, "keep this");
        Set<PosixFilePermission> keepPerm = Files.getPosixFilePermissions(keep);
        String out = BridgeTest.python(tmp, String.join("\n",
                "import os, torch",
                "from netgeom_torch.safetensors import atomic_write, write",
                "d = " + pyString(d.toString()),
                "os.umask(0o027)",
                "atomic_write(os.path.join(d, 'new.bin'), lambda f: f.write(b'abc'))",
                "atomic_write(os.path.join(d, 'new.txt'), lambda f: f.write('text'), 'w')",
                "os.umask(0o022)",
                "atomic_write(os.path.join(d, 'old.bin'), lambda f: f.write(b'new'))",
                "def half(f):",
                "    f.write(b'partial')",
                "    f.flush()",
                "    raise RuntimeError('disk full')",
                "try:",
                "    atomic_write(os.path.join(d, 'keep.bin'), half)",
                "    print('no error')",
                "except RuntimeError as e:",
                "    print('raised', e)",
                "os.umask(0o077)",
                "write(os.path.join(d, 't.safetensors'), {'w': torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=torch.float64)})"));
        assertEquals("raised disk full", out);
        assertEquals("abc", Files.readString(d.resolve("new.bin")));
        assertEquals("rw-r-----", mode(d.resolve("new.bin")));        // 0666 & ~0027
        assertEquals("text", Files.readString(d.resolve("new.txt")));
        assertEquals("rw-r-----", mode(d.resolve("new.txt")));
        assertEquals("new", Files.readString(keepMode));
        assertEquals("rw-------", mode(keepMode));                    // replaced, its mode kept (not 0644)
        assertEquals("keep this", Files.readString(keep));            // the failed write left it whole
        assertEquals(keepPerm, Files.getPosixFilePermissions(keep));
        assertEquals("rw-------", mode(d.resolve("t.safetensors")));  // 0666 & ~0077
        try (var files = Files.list(d)) {
            assertEquals(List.of("keep.bin", "new.bin", "new.txt", "old.bin", "t.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        Safetensors st = Safetensors.open(d.resolve("t.safetensors"));
        assertArrayEquals(new double[]{1.5, -2.0, 0.25, 3.0}, st.read("w", "t.safetensors").nearestDoubles());
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
