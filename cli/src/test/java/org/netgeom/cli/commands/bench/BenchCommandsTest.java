package org.netgeom.cli.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.netgeom.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks run on a tiny job and report their figures (no timing is asserted). */
class BenchCommandsTest {
    static JsonNode run(String... args) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, e.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void benchTrainReportsBothEnginesAndTheirRatio() throws Exception {
        JsonNode j = run("bench", "train", "--widths", "12-16-3", "--batch", "8", "--steps", "3", "--warmup", "2", "--torch-warmup", "1",
                "--gemm", "--json");
        assertTrue(j.get("javaStepsPerSecond").asDouble() > 0);
        assertTrue(j.get("torchStepsPerSecond").asDouble() > 0);
        assertEquals(j.get("torchMsPerStep").asDouble() / j.get("javaMsPerStep").asDouble(), j.get("ratio").asDouble(), 1e-9);
        assertTrue(j.get("lossMaxRelDiff").asDouble() < 1e-12, "both engines took the same steps");
        assertEquals(6, j.get("gemm").size());
    }

    @Test
    void benchHessianComparesLanczosWithPowerIteration() throws Exception {
        JsonNode j = run("bench", "hessian", "--widths", "5-6-3", "--samples", "10", "--max-power", "400", "--json");
        double lambda = j.get("lanczos").get("value").asDouble();
        assertTrue(j.get("lanczos").get("hvps").asInt() > 0);
        JsonNode p = j.get("powerToAccuracy");
        if (p.get("reached").asBoolean()) {
            assertTrue(p.get("relError").asDouble() <= 1e-8, "power iteration stopped at the asked accuracy");
        }
        assertTrue(j.get("powerPyHessianDefaults").get("relError").asDouble() < 1, "the same eigenvalue, roughly: " + lambda);
    }

    @Test
    void benchLipschitzReportsItsRatios() throws Exception {
        JsonNode j = run("bench", "lipschitz", "--quick", "--json");
        assertEquals(3, j.get("nets").size());
        for (JsonNode n : j.get("nets")) {
            assertTrue(n.get("regions").asLong() > 0 && n.get("spectra").asLong() > 0);
            assertEquals(n.get("lipschitzSeconds").asDouble() / n.get("float64Seconds").asDouble(),
                    n.get("lipschitzOverFloat64").asDouble(), 1e-9);
        }
    }

    @Test
    void benchVerifyReportsEveryProperty() throws Exception {
        JsonNode j = run("bench", "verify", "--quick", "--json");
        assertEquals(2, j.get("properties").size());
        for (JsonNode p : j.get("properties")) {
            String r = p.get("result").asText();
            assertTrue(r.equals("sat") || r.equals("unsat") || r.equals("unknown"), r);
            assertTrue(p.get("nodes").asLong() >= 1 || p.get("by").asText().equals("attack"), p.toString());
            // CROWN alone proving the property means it is unsat
            assertTrue(!p.get("crownVerified").asBoolean() || r.equals("unsat"), p.toString());
        }
    }

    @Test
    void benchVerifyCertifiesItsAnswersWhenAsked() throws Exception {
        JsonNode j = run("bench", "verify", "--quick", "--certify", "--json");
        for (JsonNode p : j.get("properties")) {
            boolean decided = !p.get("result").asText().equals("unknown");
            assertEquals(decided, p.get("certifySeconds").isNumber(), p.toString());
        }
    }

    @Test
    void benchRangeAgreesWithTheEnumerationAndContainsAGrid() throws Exception {
        JsonNode j = run("bench", "range", "--quick", "--json");
        assertTrue(j.get("agree").asBoolean(), j.toString());
        JsonNode row = j.get("rows").get(0);
        assertTrue(row.get("regions").asLong() > 1 && row.get("nodes").asLong() >= 1, row.toString());
        assertTrue(row.get("speedup").asDouble() > 0 && row.get("cpuSpeedup").asDouble() > 0, row.toString());
        org.netgeom.ir.Rational min = org.netgeom.ir.Rational.parse(row.get("min").asText());
        org.netgeom.ir.Rational max = org.netgeom.ir.Rational.parse(row.get("max").asText());
        // an independent sample: the exact outputs on a 21 x 21 grid of the box lie in [min, max]
        org.netgeom.ir.Model m = RegionsScaleBench.he(1, 2, new int[]{16, 16});
        for (int a = 0; a <= 20; a++) {
            for (int b = 0; b <= 20; b++) {
                org.netgeom.ir.Rational[] x = {org.netgeom.ir.Rational.of(a - 10, 10), org.netgeom.ir.Rational.of(b - 10, 10)};
                org.netgeom.ir.Rational y = org.netgeom.symbolic.exact.ExactForward.eval(m, x)[0];
                assertTrue(y.compareTo(min) >= 0 && y.compareTo(max) <= 0, "grid point outside the range: " + y);
            }
        }
    }

    @Test
    void benchRegionsScaleRowsAreChosenByName() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"bench", "regions", "--scale", "--rows", "2d-64,nope"}, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(e.toString(StandardCharsets.UTF_8).contains("no row 'nope'"), e.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("2d-64", "slice-784"), RegionsScaleBench.pick("2d-64,slice-784", false).stream().map(RegionsScaleBench.Net::id).toList());
        assertEquals(1, RegionsScaleBench.pick(null, true).size());
        assertTrue(RegionsScaleBench.pick(null, false).stream().noneMatch(n -> n.id().equals("4d-128")));
    }
}
