package org.netgeom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom notebook install} against a stand-in {@code jupyter} (a shell script that records
 * its arguments and copies the kernel spec as {@code jupyter kernelspec install --prefix} does), so
 * the kernel.json it writes can be read back; the real Jupyter runs it in the notebooks module's
 * notebook test.
 */
class NotebookInstallTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A jupyter stand-in: logs "$@" to args.txt, copies the spec dir (last argument) into PREFIX/share/jupyter/kernels/NAME. */
    private static Path fakeJupyter(Path dir, int status) throws Exception {
        Path exe = dir.resolve("jupyter");
        Files.writeString(exe, String.join("\n",
                "#!/bin/sh",
                "printf '%s\\n' \"$@\" > '" + dir.resolve("args.txt") + "'",
                "if [ " + status + " -ne 0 ]; then echo 'something went wrong' >&2; exit " + status + "; fi",
                "for a in \"$@\"; do last=\"$a\"; done",
                "prev=''; for a in \"$@\"; do if [ \"$prev\" = --prefix ]; then prefix=\"$a\"; fi; prev=\"$a\"; done",
                "mkdir -p \"$prefix/share/jupyter/kernels/netgeom\"",
                "cp \"$last/kernel.json\" \"$prefix/share/jupyter/kernels/netgeom/\"",
                "echo \"[InstallKernelSpec] Installed kernelspec netgeom in $prefix/share/jupyter/kernels/netgeom\" >&2",
                ""));
        assertTrue(exe.toFile().setExecutable(true));
        return exe;
    }

    @Test
    void writesAKernelSpecThatRunsTheCheckoutsLauncher(@TempDir Path tmp) throws Exception {
        Path jupyter = fakeJupyter(tmp, 0);
        Path prefix = tmp.resolve("prefix");
        CliRun r = CliRun.of("notebook", "install", "--prefix", prefix.toString(), "--jupyter", jupyter.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        List<String> args = Files.readAllLines(tmp.resolve("args.txt"));
        assertEquals(List.of("kernelspec", "install", "--name", "netgeom", "--prefix", prefix.toAbsolutePath().toString()), args.subList(0, 6));

        Path root = Path.of("..").toAbsolutePath().normalize();      // the cli module runs its tests in cli/
        JsonNode spec = JSON.readTree(prefix.resolve("share/jupyter/kernels/netgeom/kernel.json").toFile());
        assertEquals(root.resolve("notebooks/kernel").toString(), spec.get("argv").get(0).asText());
        assertEquals("{connection_file}", spec.get("argv").get(1).asText());
        assertEquals(2, spec.get("argv").size());
        assertEquals("java", spec.get("language").asText());
        assertEquals("message", spec.get("interrupt_mode").asText());
        assertTrue(Files.isExecutable(Path.of(spec.get("env").get("NETGEOM_KERNEL_JAVA").asText())));
        assertTrue(Files.isExecutable(root.resolve("notebooks/kernel")), "the launcher is committed executable");

        JsonNode out = JSON.readTree(r.out());
        assertEquals("netgeom", out.get("kernel").asText());
        assertEquals(prefix.toAbsolutePath().resolve("share/jupyter/kernels/netgeom").toString(), out.get("installedIn").asText());
        assertEquals(root.resolve("notebooks").toString(), out.get("workingDirectory").asText());
        assertEquals(root.resolve("notebooks/target/netgeom-kernel.jar").toString(), out.get("jar").asText());
        assertEquals(Files.isRegularFile(root.resolve("notebooks/target/netgeom-kernel.jar")), out.get("built").asBoolean());
    }

    @Test
    void userInstallIsTheDefault(@TempDir Path tmp) throws Exception {
        Path jupyter = fakeJupyter(tmp, 1);          // fails, but records how it was called
        CliRun.of("notebook", "install", "--jupyter", jupyter.toString());
        List<String> args = Files.readAllLines(tmp.resolve("args.txt"));
        assertEquals(List.of("kernelspec", "install", "--name", "netgeom", "--user"), args.subList(0, 5));
    }

    @Test
    void missingJupyterIsACodedError(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("notebook", "install", "--jupyter", tmp.resolve("no-jupyter").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error[JUPYTER_MISSING]: "), r.err());
        CliRun j = CliRun.of("notebook", "install", "--jupyter", tmp.resolve("no-jupyter").toString(), "--json");
        assertEquals("JUPYTER_MISSING", JSON.readTree(j.out()).get("error").get("code").asText());
    }

    @Test
    void aFailingJupyterIsACodedErrorWithItsOutput(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("notebook", "install", "--jupyter", fakeJupyter(tmp, 1).toString(),
                "--prefix", tmp.resolve("p").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error[KERNELSPEC_INSTALL_FAILED]: "), r.err());
        assertTrue(r.err().contains("something went wrong"), r.err());
    }

    @Test
    void aDirectoryThatIsNoCheckoutIsACodedError(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("notebook", "install", "--root", tmp.toString(), "--jupyter", fakeJupyter(tmp, 0).toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error[NOTEBOOKS_NOT_FOUND]: "), r.err());
    }

    @Test
    void userAndPrefixExcludeEachOther(@TempDir Path tmp) {
        CliRun r = CliRun.of("notebook", "install", "--user", "--prefix", tmp.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error[USAGE]: "), r.err());
    }
}
