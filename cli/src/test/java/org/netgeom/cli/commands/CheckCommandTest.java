package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.CliRun;
import org.netgeom.symbolic.cas.Cas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** netgeom check: the catalog ids of the issue, verdicts as exit statuses, --model, the report. */
class CheckCommandTest {
    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        Cas.shutdown();
    }

    @Test
    void listsTheIssuesCatalog() {
        JsonNode list = CliRun.of("check", "--list", "--json").json();
        Set<String> ids = new HashSet<>();
        for (JsonNode e : list) {
            ids.add(e.get("id").asText());
            assertFalse(e.get("title").asText().isBlank());
            assertFalse(e.get("citation").asText().isBlank());
        }
        assertTrue(ids.containsAll(List.of("telgarsky-tent", "yarotsky-square", "serra-bound", "montufar-lower", "du-hinf", "pl-star",
                "piecewise-quadratic-loss", "resnet-conditioning", "bn-centering", "gf-invariants", "ntk-convergence")), ids.toString());
    }

    @Test
    void verdictsAreExitStatuses() {
        CliRun ok = CliRun.of("check", "telgarsky-tent", "--instances", "2", "--json");
        assertEquals(0, ok.status(), ok.err());
        assertEquals("holds", ok.json().get("verdict").asText());
        assertEquals(2, ok.json().get("instances").asInt());
        CliRun bad = CliRun.of("check", "telgarsky-tent", "--instances", "2", "--false-variant", "--json");
        assertEquals(3, bad.status());
        assertEquals("violated", bad.json().get("verdict").asText());
        assertFalse(bad.json().get("counterexample").isNull());
    }

    @Test
    void aUserModelForSerra() throws Exception {
        Path m = dir.resolve("net.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [2], \"layers\": [{\"op\": \"dense\", \"weight\": [[1, 0], [0, 1], [1, 1]]},"
                + " {\"op\": \"relu\"}, {\"op\": \"dense\", \"weight\": [[1, 1, -1]]}]}");
        CliRun r = CliRun.of("check", "serra-bound", "--model", m.toString(), "--box=-1,1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode ev = r.json().get("evidence");
        assertEquals(6, ev.get("activationRegions").asInt(), "the three lines through the origin cut the square into 6 sectors");
        assertEquals("7", ev.get("serraBound").asText(), "C(3,0) + C(3,1) + C(3,2)");
        CliRun refused = CliRun.of("check", "pl-star", "--model", m.toString(), "--json");
        assertEquals(2, refused.status());
        assertEquals("MODEL_NOT_APPLICABLE", refused.code());
        assertEquals("UNKNOWN_THEOREM", CliRun.of("check", "nope", "--json").code());
        assertEquals("UNKNOWN_PARAM", CliRun.of("check", "pl-star", "--param", "zz=1", "--json").code());
    }

    @Test
    void reportWithFigures() throws Exception {
        Path report = dir.resolve("report.md");
        CliRun r = CliRun.of("check", "--all", "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        String md = Files.readString(report);
        assertTrue(md.contains("| [`telgarsky-tent`](#telgarsky-tent) | **holds**"), md.substring(0, 600));
        assertFalse(md.contains("NOT caught"));
        assertTrue(md.contains("![") && md.contains("report-figures/ntk-convergence-width.svg"));
        assertTrue(Files.readString(dir.resolve("report-figures/ntk-convergence-width.svg")).contains("<svg"));
    }
}
