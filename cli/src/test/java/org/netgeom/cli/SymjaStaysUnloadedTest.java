package org.netgeom.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that do not need computer algebra never load Symja: run them in a fresh JVM with
 * class-load logging and look for any org.matheclipse class.
 */
class SymjaStaysUnloadedTest {

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out.length() > 2000 ? out.substring(out.length() - 2000) : out);
        return out;
    }

    @Test
    void validateEvalAndDemoDoNotLoadSymja() throws Exception {
        String model = Path.of("..", "examples", "tent2.json").toAbsolutePath().normalize().toString();
        for (String[] args : new String[][]{{"validate", model}, {"eval", model, "--at=1/3", "--exact"}, {"eval", model, "--at=1/3"}}) {
            String log = run(args);
            assertTrue(log.contains("org.netgeom.cli.Main"), "class-load logging works");
            assertFalse(log.contains("org.matheclipse"), String.join(" ", args) + " loaded Symja");
        }
    }

    @Test
    void rationalLipschitzConstantsAndPlaneCellsDoNotLoadSymja() throws Exception {
        Path ex = Path.of("..", "examples").toAbsolutePath().normalize();
        String tent = ex.resolve("tent2.json").toString();
        String data = ex.resolve("tent-data.csv").toString();
        String bias = ex.resolve("tent-last-bias.json").toString();
        for (String[] args : new String[][]{{"perturb", tent, "--lipschitz", "--box=0,1", "--json"},
                {"loss-surface", tent, "--data", data, "--layer", "6", "--plane", bias + "," + bias, "--range=-1,1,-1,1", "--json"}}) {
            String log = run(args);
            assertTrue(log.contains("org.netgeom.cli.Main"), "class-load logging works");
            assertFalse(log.contains("org.matheclipse"), String.join(" ", args) + " loaded Symja");
        }
    }
}
