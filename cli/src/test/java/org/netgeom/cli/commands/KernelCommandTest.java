package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.Main;
import org.netgeom.symbolic.cas.Cas;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code kernel} command and {@code bench kernel}: JSON shapes and hand-derived values on the
 * contract's three points (π as a literal), closed forms, predictions, the Du block, empirical
 * sweeps with a plot, and coded errors.
 */
class KernelCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal INV_PI = BigDecimal.ONE.divide(new BigDecimal("3.14159265358979323846264338327950288419716939937510582"),
            new MathContext(50));

    @TempDir
    Path tmp;

    @AfterAll
    static void stopSymja() {
        Cas.shutdown();
    }

    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path points() throws java.io.IOException {
        Path p = tmp.resolve("points.csv");
        Files.writeString(p, "x1,x2,y1\n1,0,1\n0,1,-1\n1,1,0\n");
        return p;
    }

    static void close(String got, BigDecimal want) {
        assertTrue(new BigDecimal(got).subtract(want).abs().compareTo(new BigDecimal("1e-28")) < 0, got + " vs " + want);
    }

    @Test
    void ntkOnTheContractPoints() throws Exception {
        Run r = run("kernel", "--data", points().toString(), "--kind", "ntk", "--depth", "1", "--closed-form", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("ntk", j.get("kind").asText());
        close(j.get("matrix").get(0).get(1).asText(), INV_PI);
        close(j.get("matrix").get(0).get(2).asText(), new BigDecimal("1.5").add(INV_PI));
        assertEquals("4", j.get("matrix").get(2).get(2).asText());
        assertEquals(3, j.get("eigenvalues").size());
        assertEquals(j.get("eigenvalues").get(0).asText(), j.get("lambdaMin").asText());
        assertEquals("1/Pi", j.get("closedForm").get(0).get(1).asText());
        assertTrue(j.get("latex").get(0).get(2).asText().contains("\\pi"));
    }

    @Test
    void hInfinityCarriesDuEtAlsRateCheck() throws Exception {
        Run r = run("kernel", "--data", points().toString(), "--kind", "h-infinity", "--lr", "1/2", "--steps", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode du = r.json().get("du");
        close(du.get("lambda0").asText(), new BigDecimal("0.75").subtract(BigDecimal.valueOf(22).sqrt(new MathContext(50))
                .divide(BigDecimal.valueOf(8))));
        assertEquals(false, du.get("unitNorm").asBoolean());       // (1, 1) is not a unit vector
        assertEquals("0.1666666666666666666666666666667".substring(0, 10), du.get("etaDu").asText().substring(0, 10));
        assertNotNull(du.get("widthWithProofConstants").asText());
    }

    @Test
    void predictionsAndTheirConvention() throws Exception {
        Path test = tmp.resolve("test.csv");
        Files.writeString(test, "x1,x2\n1/2,1/2\n2,0\n");
        Run r = run("kernel", "--data", points().toString(), "--kind", "h-infinity", "--predict", "--test", test.toString(),
                "--lr", "1", "--time", "3", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode p = r.json().get("prediction");
        assertEquals(3, p.get("normalization").asInt());
        assertEquals(2, p.get("test").get("mean").size());
        // (2, 0) is 2 × (1, 0): H∞ is positively homogeneous, so f_test(∞) = 2 · y(1, 0) = 2
        close(p.get("test").get("meanInfinity").get(1).get(0).asText(), BigDecimal.valueOf(2));
        close(p.get("train").get("meanInfinity").get(1).get(0).asText(), BigDecimal.valueOf(-1));
        assertTrue(p.get("convention").asText().contains("gradient_descent_mse"));
    }

    @Test
    void empiricalSweepWithPlot() throws Exception {
        Path svg = tmp.resolve("sweep.svg");
        Run r = run("kernel", "--data", points().toString(), "--kind", "nngp", "--depth", "2", "--empirical", "--width", "16,64,256",
                "--seeds", "3", "--plot", svg.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode e = r.json().get("empirical");
        assertEquals(3, e.get("points").size());
        assertTrue(e.get("points").get(0).get("relativeFrobeniusError").isNumber());
        assertTrue(e.get("slope").isNumber());
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void userErrorsAreCoded() throws Exception {
        Run r = run("kernel", "--data", points().toString(), "--kind", "bogus", "--json");
        assertEquals(2, r.code());
        assertEquals("BAD_INPUT", r.json().get("error").get("code").asText());
        Run q = run("kernel", "--data", points().toString(), "--activation", "tanh", "--closed-form");
        assertEquals(2, q.code());
        assertTrue(q.err().startsWith("error[NOT_EXACT]"), q.err());
        Run s = run("kernel", "--data", points().toString(), "--predict", "--lr", "1");
        assertEquals(2, s.code());
        assertTrue(s.err().contains("--test"), s.err());
    }

    @Test
    void benchPrintsARatio() {
        Run r = run("bench", "kernel", "--n", "60", "--n-precise", "6", "--repeat", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("ratio").asDouble() > 0);
        assertTrue(j.get("maxRelativeDifference").asDouble() < 1e-12);
    }
}
