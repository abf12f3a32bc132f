package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        CliRun refused = CliRun.of("check", "telgarsky-tent", "--model", m.toString(), "--json");
        assertEquals(2, refused.status());
        assertEquals("MODEL_NOT_APPLICABLE", refused.code());
        assertEquals("UNKNOWN_THEOREM", CliRun.of("check", "nope", "--json").code());
        assertEquals("UNKNOWN_PARAM", CliRun.of("check", "pl-star", "--param", "zz=1", "--json").code());
    }

    @Test
    void plStarOnAUserModelAndData() throws Exception {
        // f(x) = x1 + 2 x2 (one dense layer): J rows are (x_i, 1), so by hand with x = e1, e2 and y = 0:
        // F = (1, 2), L = 1/2 |F - y|^2 = 5/2, K = [[2, 1], [1, 2]], |grad L|^2 = r^T K r = 14, R = 14 / (2 L) = 14/5;
        // lambda_min(K) = 1 <= R (the theorem holds), lambda_max(K) = 3 > R (the false variant fails)
        Path m = dir.resolve("lin.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [2], \"layers\": [{\"op\": \"dense\", \"weight\": [[1, 2]], \"bias\": [0]}]}");
        Path d = dir.resolve("d.csv");
        Files.writeString(d, "x1,x2,y1\n1,0,0\n0,1,0\n");
        CliRun r = CliRun.of("check", "pl-star", "--model", m.toString(), "--data", d.toString(), "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode ev = r.json().get("evidence");
        assertEquals("5/2", ev.get("loss").asText());
        assertEquals("14", ev.get("gradNormSquared").asText());
        assertEquals("14/5", ev.get("R").asText());
        assertEquals(1.0, Double.parseDouble(ev.get("lambdaMinEnclosure").get(0).asText()), 1e-12);
        CliRun fv = CliRun.of("check", "pl-star", "--model", m.toString(), "--data", d.toString(), "--false-variant", "--json");
        assertEquals(3, fv.status(), fv.out() + fv.err());
        assertEquals(3.0, Double.parseDouble(fv.json().get("evidence").get("lambdaMaxEnclosure").get(0).asText()), 1e-12);
        assertFalse(fv.json().get("counterexample").isNull());

        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "x1,x2,x3,y1\n1,0,0,0\n");
        assertEquals("IR_DATA", CliRun.of("check", "pl-star", "--model", m.toString(), "--data", wide.toString(), "--json").code());
        assertEquals("USAGE", CliRun.of("check", "pl-star", "--data", d.toString(), "--json").code());
        Path noTargets = dir.resolve("x.csv");
        Files.writeString(noTargets, "x1,x2\n1,0\n");
        assertEquals("IR_DATA", CliRun.of("check", "pl-star", "--model", m.toString(), "--data", noTargets.toString(), "--json").code());
    }

    @Test
    void piecewiseQuadraticLossOnAUserModel() throws Exception {
        // the first layer varies; a hidden ReLU after it cuts its parameter space into cells (one inequality per
        // data point and hidden unit), so the false variant (one global quadratic) must be refuted
        Path m = dir.resolve("relu.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"name\": \"hidden\", "
                + "\"weight\": [[1], [-1]], \"bias\": [\"1/3\", \"1/5\"]}, {\"op\": \"leaky_relu\", \"slope\": 0.25},"
                + " {\"op\": \"dense\", \"weight\": [[1, 2]], \"bias\": [0]}]}");
        Path d = dir.resolve("d.csv");
        Files.writeString(d, "x1,y1\n0.5,1\n-0.75,0\n");
        CliRun r = CliRun.of("check", "piecewise-quadratic-loss", "--model", m.toString(), "--data", d.toString(),
                "--param", "layer=hidden", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode inst = r.json().get("evidence").get("instances").get(0);
        assertEquals(4, inst.get("parameters").asInt());
        assertEquals(4, inst.get("cellInequalities").asInt(), "2 data points x 2 hidden units");
        assertTrue(inst.get("pointsChecked").asInt() > 0);
        CliRun fv = CliRun.of("check", "piecewise-quadratic-loss", "--model", m.toString(), "--data", d.toString(),
                "--param", "layer=hidden", "--false-variant", "--json");
        assertEquals(3, fv.status(), fv.out() + fv.err());
        assertEquals("MODEL_NOT_APPLICABLE", CliRun.of("check", "piecewise-quadratic-loss", "--model", m.toString(),
                "--param", "layer=1", "--json").code(), "a leaky_relu has no parameters to vary");
        // without --param layer the last dense layer varies: no activation follows it, so the loss is one quadratic there
        CliRun last = CliRun.of("check", "piecewise-quadratic-loss", "--model", m.toString(), "--data", d.toString(), "--json");
        assertEquals("2", last.json().get("evidence").get("instances").get(0).get("layer").asText());
        assertEquals(0, last.json().get("evidence").get("instances").get(0).get("cellInequalities").asInt());
    }

    @Test
    void resnetConditioningOnAUserModel() throws Exception {
        // two identity-shortcut blocks; a dense layer in between is a plain factor and is not checked
        Path m = dir.resolve("res.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [2], \"layers\": ["
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": [[\"1/4\", \"-1/8\"], [\"1/8\", \"1/4\"]], \"bias\": [0, \"1/16\"]}, {\"op\": \"relu\"}]},"
                + "{\"op\": \"dense\", \"weight\": [[1, 1], [1, -1]]},"
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": [[2, 0], [0, -3]]}, {\"op\": \"abs\"}]}]}");
        CliRun r = CliRun.of("check", "resnet-conditioning", "--model", m.toString(), "--instances", "5", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode ev = r.json().get("evidence");
        assertEquals(10, ev.get("residualFactors").asInt(), "2 blocks at each of 5 points");
        assertEquals(20, ev.get("weylPairs").asInt(), "2 singular values per block");
        CliRun fv = CliRun.of("check", "resnet-conditioning", "--model", m.toString(), "--instances", "5", "--false-variant", "--json");
        assertEquals(3, fv.status(), fv.out() + fv.err());
        Path plain = dir.resolve("plain.json");
        Files.writeString(plain, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[1]]}, {\"op\": \"relu\"}]}");
        assertEquals("MODEL_NOT_APPLICABLE", CliRun.of("check", "resnet-conditioning", "--model", plain.toString(), "--json").code());
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

    /**
     * Bad parameter values and misplaced options are coded errors (exit 2), never a crash
     * (exit 1) or a vacuous "holds" on zero instances (these all did one or the other).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pl-star --param points=-1 | IR_BAD_VALUE",
            "pl-star --param width=0 | IR_BAD_VALUE",
            "telgarsky-tent --param kmax=0 | IR_BAD_VALUE",
            "yarotsky-square --param mmax=-1 | IR_BAD_VALUE",
            "bn-centering --param batch=0 | IR_BAD_VALUE",
            "du-hinf --param points=0 | IR_BAD_VALUE",
            "gf-invariants --param time=0 | IR_BAD_VALUE",
            "ntk-convergence --param widths=a,b | IR_BAD_VALUE",
            "resnet-conditioning --param scale=-1 | IR_BAD_VALUE",
            "serra-bound --instances 0 | USAGE",
            "serra-bound --instances -2 | USAGE",
            "serra-bound --box=-1,1 | USAGE",
            "serra-bound --report r.md | USAGE",
            "--all --param kmax=2 | USAGE",
            "--list --all | USAGE"
    })
    void badValuesAreCodedErrors(String args, String code) {
        String[] a = ("check " + args + " --json").split(" ");
        CliRun r = CliRun.of(a);
        assertEquals(2, r.status(), args + ": " + r.out() + r.err());
        assertEquals(code, r.code(), args);
    }

    /**
     * A residual net where Theorem 1 read literally on the widths [1, 1] (n0 = 1: 2 + 1 = 3) is
     * too small: f(x) = relu(x - 2 relu(x) + 1/2) has kinks at 0 (the body unit) and at -1/2 and
     * 1/2 (x + 1/2 for x &lt; 0, 1/2 - x for x &gt; 0), so 4 activation regions on [-2, 2] (by hand).
     * The bound netgeom reports must still hold (the identity shortcut keeps the dimension).
     */
    @Test
    void serraOnAResidualNetCountsByHand() throws Exception {
        Path m = dir.resolve("res1.json");
        Files.writeString(m, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"residual\", \"layers\": ["
                + "{\"op\": \"dense\", \"weight\": [[1]]}, {\"op\": \"relu\"}, {\"op\": \"dense\", \"weight\": [[-2]]}]},"
                + "{\"op\": \"dense\", \"weight\": [[1]], \"bias\": [\"1/2\"]}, {\"op\": \"relu\"}]}");
        CliRun r = CliRun.of("check", "serra-bound", "--model", m.toString(), "--box=-2,2", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode ev = r.json().get("evidence");
        assertEquals(4, ev.get("activationRegions").asInt());
        assertTrue(Integer.parseInt(ev.get("serraBound").asText()) >= 4, ev.toString());
    }
}
