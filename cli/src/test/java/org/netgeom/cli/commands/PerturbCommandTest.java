package org.netgeom.cli.commands;

import org.netgeom.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Rational;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom perturb} end to end: the tent at x = 1/3 and its last layer's weight margin
 * against hand derivations; a plain layer relu(Wx + b) and its residual twin x + relu(Wx + b)
 * with the same weights on 100 random instances through {@code --at}, checked against the test's
 * own D W and a float64 SVD (Hipparchus); coded errors.
 */
class PerturbCommandTest {
    @TempDir
    static Path dir;
    static Path tent;
    static Path line;

    @BeforeAll
    static void files() throws IOException {
        tent = Fixtures.tent(dir);
        line = Fixtures.tentData(dir);
    }

    @AfterAll
    static void stopCas() {
        org.netgeom.symbolic.cas.Cas.shutdown();
    }

    /**
     * At x = 1/3 the tent twice is 2 − 4x on its region (pattern 101111); the nearest kink is
     * where the second tent's inner unit 2x − 1/2 vanishes, x = 1/4: squared distance 1/144.
     */
    @Test
    void tentAtOneThird() {
        CliRun r = CliRun.of("perturb", tent.toString(), "--at=1/3", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        assertEquals("101111", js.get("pattern").asText());
        assertEquals("-4", js.get("map").get("A").get(0).get(0).asText());
        assertEquals("2", js.get("map").get("b").get(0).asText());
        assertEquals("1/144", js.get("boundary").get("distance2").asText());
        assertEquals("1/12", js.get("boundary").get("distance").get("exact").asText());
        assertEquals(4, js.get("factors").size());
    }

    /**
     * The last layer's weights (w1, w2) = (2, −4), bias fixed: the final unit's pre-activation on
     * each point is w·h_i with h = (1/8, 0), (1/4, 0), (3/4, 1/4), (5/8, 1/8), values 1/4, 1/2,
     * 1/2, 3/4; the distances² (w·h_i)²/‖h_i‖² are 4, 4, 2/5, 18/13, so ε² = 2/5 (point 2),
     * not attained (that unit is on, a strict inequality).
     */
    @Test
    void weightMarginOfTheTentsLastLayer() {
        CliRun r = CliRun.of("perturb", tent.toString(), "--weights", "--data", line.toString(), "--layer", "6", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        assertEquals("2/5", js.get("epsilon2").asText());
        assertEquals(2, js.get("limiting").get("data").asInt());
        assertFalse(js.get("attained").asBoolean());
        assertEquals(Math.sqrt(0.4), Double.parseDouble(js.get("epsilon").get("decimal").asText()), 1e-15);
    }

    @Test
    void plainAndResidualTwinsOnOneHundredRandomInstances() throws IOException {
        Random rnd = new Random(100);
        int n = 3;
        int equalities = 0;
        int plainSingular = 0;
        int resSingular = 0;
        for (int trial = 0; trial < 100; trial++) {
            double[][] w = new double[n][n];
            StringBuilder ws = new StringBuilder("[");
            StringBuilder bs = new StringBuilder("[");
            StringBuilder xs = new StringBuilder();
            Rational[][] wq = new Rational[n][n];
            Rational[] bq = new Rational[n];
            Rational[] xq = new Rational[n];
            for (int i = 0; i < n; i++) {
                ws.append(i > 0 ? "," : "").append("[");
                for (int j = 0; j < n; j++) {
                    wq[i][j] = q(rnd);
                    w[i][j] = wq[i][j].doubleValue();
                    ws.append(j > 0 ? "," : "").append('"').append(wq[i][j]).append('"');
                }
                ws.append("]");
                bq[i] = q(rnd);
                xq[i] = q(rnd);
                bs.append(i > 0 ? "," : "").append('"').append(bq[i]).append('"');
                xs.append(i > 0 ? "," : "").append(xq[i]);
            }
            ws.append("]");
            bs.append("]");
            String dense = "{\"op\": \"dense\", \"weight\": " + ws + ", \"bias\": " + bs + "}";
            Path plain = dir.resolve("plain.json");
            Path res = dir.resolve("res.json");
            Files.writeString(plain, "{\"netgeom\": 1, \"input\": [3], \"layers\": [" + dense + ", {\"op\": \"relu\"}]}");
            Files.writeString(res, "{\"netgeom\": 1, \"input\": [3], \"layers\": [{\"op\": \"residual\", \"layers\": [" + dense
                    + ", {\"op\": \"relu\"}]}]}");
            JsonNode p = CliRun.of("perturb", plain.toString(), "--at=" + xs, "--json", "--digits", "20").json();
            JsonNode q = CliRun.of("perturb", res.toString(), "--at=" + xs, "--json", "--digits", "20").json();
            JsonNode pf = p.get("factors").get(0);
            JsonNode rf = q.get("factors").get(0);
            assertEquals("residual", rf.get("kind").asText());
            // the test's own D W: rows of W where (Wx + b)_i > 0, zero rows elsewhere
            double[][] dw = new double[n][n];
            for (int i = 0; i < n; i++) {
                Rational z = bq[i];
                for (int j = 0; j < n; j++) {
                    z = z.add(wq[i][j].multiply(xq[j]));
                }
                for (int j = 0; j < n; j++) {
                    Rational want = z.signum() > 0 ? wq[i][j] : Rational.ZERO;
                    dw[i][j] = want.doubleValue();
                    assertEquals(want.toString(), pf.get("matrix").get(i).get(j).asText());
                    assertEquals(want.toString(), rf.get("body").get("matrix").get(i).get(j).asText());
                    assertEquals(want.add(i == j ? Rational.ONE : Rational.ZERO).toString(), rf.get("matrix").get(i).get(j).asText());
                }
            }
            double[][] idw = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    idw[i][j] = dw[i][j] + (i == j ? 1 : 0);
                }
            }
            double[] sp = new SingularValueDecomposition(new Array2DRowRealMatrix(dw)).getSingularValues();
            double[] sr = new SingularValueDecomposition(new Array2DRowRealMatrix(idw)).getSingularValues();
            JsonNode weyl = rf.get("weyl");
            assertTrue(weyl.get("holds").asBoolean(), "Weyl, instance " + trial);
            for (int k = 0; k < n; k++) {
                double a = Double.parseDouble(rf.get("singularValues").get(k).get("decimal").asText());
                double b = Double.parseDouble(pf.get("singularValues").get(k).get("decimal").asText());
                assertEquals(sr[k], a, 1e-9 * Math.max(1, sr[k]));
                assertEquals(sp[k], b, 1e-9 * Math.max(1, sp[k]));
                assertTrue(Math.abs(a - b) <= 1 + 1e-15);
                JsonNode pair = weyl.get("pairs").get(k);
                assertTrue(pair.get("holds").asBoolean());
                equalities += pair.get("equality").asBoolean() ? 1 : 0;
            }
            plainSingular += pf.get("conditionNumber").isNull() ? 1 : 0;
            resSingular += rf.get("conditionNumber").isNull() ? 1 : 0;
        }
        System.out.printf("PerturbCommandTest: 100 twins: D W singular in %d, I + D W in %d; %d Weyl pairs with equality%n",
                plainSingular, resSingular, equalities);
        assertTrue(plainSingular > resSingular);
    }

    private static Rational q(Random r) {
        int d = 1 + r.nextInt(4);
        return Rational.of(r.nextInt(4 * d + 1) - 2 * d, d);
    }

    @Test
    void badInputGetsCodedErrors() {
        String t = tent.toString();
        String[][] cases = {
                {"BAD_INPUT", "perturb", t, "--at=1,2"},
                {"NOT_IMPLEMENTED", "perturb", t, "--lipschitz", "--box=0,1"},
                {"USAGE", "perturb", t, "--weights", "--layer", "6"},
                {"NO_PARAMETERS", "perturb", t, "--weights", "--data", line.toString(), "--layer", "3"},
                {"NOT_QUADRATIC", "perturb", t, "--weights", "--data", line.toString(), "--layer", "6", "--loss", "ce"},
                {"USAGE", "perturb", t},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length];
            System.arraycopy(c, 1, args, 0, c.length - 1);
            args[c.length - 1] = "--json";
            CliRun r = CliRun.of(args);
            assertEquals(2, r.status(), String.join(" ", args) + "\n" + r.err());
            assertEquals(c[0], r.code(), String.join(" ", args));
        }
    }
}
