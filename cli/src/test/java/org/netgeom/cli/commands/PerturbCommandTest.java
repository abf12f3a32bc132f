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
 * own D W and a float64 SVD (Hipparchus); {@code --lipschitz} on the contract's examples (hand
 * derivations), on a linear map whose ℓ2 norm is the golden ratio (closed form), and on a
 * polytope; coded errors.
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

    /**
     * The tent twice has slopes ±4 on [0, 1] (Telgarsky 2016), so every norm is 4; square-2d =
     * relu(x) + relu(y) − relu(x + y) has gradients (0, 0), (0, −1), (1, 0), (−1, 0)... in its six
     * sectors (each a row with one ±1 or none), so every norm is 1 on [−1, 1]². Each witness lies
     * strictly inside the box, off every kink (ExactForward), with the reported pattern.
     */
    @Test
    void lipschitzOfTheContractExamples() throws IOException {
        Path square = dir.resolve("square2d.json");
        Files.writeString(square, """
                {"netgeom": 1, "name": "square-2d", "input": [2], "layers": [
                  {"op": "dense", "weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0]}, {"op": "relu"},
                  {"op": "dense", "weight": [[1, 1, -1]], "bias": [0]}]}
                """);
        Object[][] cases = {{tent, "--box=0,1", "4", 4}, {square, "--box=-1,1", "1", 6}};
        for (Object[] c : cases) {
            CliRun r = CliRun.of("perturb", c[0].toString(), "--lipschitz", (String) c[1], "--json");
            assertEquals(0, r.status(), r.err());
            JsonNode js = r.json();
            assertEquals((int) c[3], js.get("regions").asInt());
            JsonNode lip = js.get("lipschitz");
            assertEquals(c[2], lip.get("linf").asText());
            assertEquals(c[2], lip.get("l1").asText());
            assertEquals(0, new java.math.BigDecimal(lip.get("l2").asText()).compareTo(new java.math.BigDecimal((String) c[2])));
            assertEquals(c[2], lip.get("l2Enclosure").get(0).asText());
            assertEquals(c[2], lip.get("l2Enclosure").get(1).asText());
            org.netgeom.ir.Model m = org.netgeom.ir.io.IrReader.read((Path) c[0]);
            for (String nrm : new String[]{"linf", "l1", "l2"}) {
                JsonNode at = js.get("attainedAt").get(nrm);
                Rational[] w = new Rational[at.get("witness").size()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = Rational.parse(at.get("witness").get(i).asText());
                    Rational lo = c[1].equals("--box=0,1") ? Rational.ZERO : Rational.of(-1);
                    assertTrue(w[i].compareTo(lo) > 0 && w[i].compareTo(Rational.ONE) < 0, "strictly inside the box");
                }
                org.netgeom.symbolic.exact.ExactForward.Result f = org.netgeom.symbolic.exact.ExactForward.run(m, w);
                assertFalse(f.onKink());
                assertEquals(f.pattern(), at.get("pattern").asText());
                Rational[][] jac = org.netgeom.symbolic.exact.ExactJacobian.at(m, w).wrtInput();
                Rational rowSum = Rational.ZERO;         // one output: the l-inf norm is the row's sum of |a_j|,
                Rational colMax = Rational.ZERO;         // the l1 norm its largest |a_j|, the l2 norm² its sum of squares
                Rational n2 = Rational.ZERO;
                for (Rational v : jac[0]) {
                    rowSum = rowSum.add(v.abs());
                    colMax = colMax.max(v.abs());
                    n2 = n2.add(v.multiply(v));
                }
                Rational want = Rational.parse((String) c[2]);
                Rational got = nrm.equals("linf") ? rowSum : nrm.equals("l1") ? colMax : n2;
                assertEquals(nrm.equals("l2") ? want.multiply(want) : want, got, nrm + " where it is attained");
            }
        }
        CliRun human = CliRun.of("perturb", tent.toString(), "--lipschitz", "--box=0,1");
        assertEquals(0, human.status(), human.err());
        assertTrue(human.out().contains("over its 4 activation regions") && human.out().contains("l-inf -> l-inf  4"), human.out());
    }

    /**
     * relu(A x) then the identity map with A = [[1, 1], [0, 1]]: on [1, 2]² both units are on, f = A x,
     * ‖A‖_∞ = ‖A‖_1 = 2 and ‖A‖_2 = σ₁ = (1 + √5)/2, the golden ratio (σ₁² = (3 + √5)/2, the larger
     * root of λ² − 3λ + 1, the characteristic polynomial of AᵀA). On a triangle inside the
     * positive quadrant the same. The decimals must be the golden ratio's to 40 digits.
     */
    @Test
    void lipschitzWithAnIrrationalL2() throws IOException {
        Path m = dir.resolve("golden.json");
        Files.writeString(m, """
                {"netgeom": 1, "input": [2], "layers": [
                  {"op": "dense", "weight": [[1, 1], [0, 1]], "bias": [0, 0]}, {"op": "relu"},
                  {"op": "dense", "weight": [[1, 0], [0, 1]], "bias": [0, 0]}]}
                """);
        Path tri = dir.resolve("triangle.json");
        Files.writeString(tri, "{\"A\": [[-1, 0], [0, -1], [1, 1]], \"b\": [\"-1/4\", \"-1/4\", 2]}");
        String golden = "1.618033988749894848204586834365638117720";
        for (String[] dom : new String[][]{{"--box=1,2"}, {"--polytope", tri.toString()}}) {
            String[] args = new String[dom.length + 6];
            args[0] = "perturb";
            args[1] = m.toString();
            args[2] = "--lipschitz";
            System.arraycopy(dom, 0, args, 3, dom.length);
            args[dom.length + 3] = "--digits";
            args[dom.length + 4] = "40";
            args[dom.length + 5] = "--json";
            CliRun r = CliRun.of(args);
            assertEquals(0, r.status(), r.err());
            JsonNode lip = r.json().get("lipschitz");
            assertEquals("2", lip.get("linf").asText());
            assertEquals("2", lip.get("l1").asText());
            assertEquals(golden, lip.get("l2").asText());
            java.math.BigDecimal phi = new java.math.BigDecimal(golden);
            assertTrue(new java.math.BigDecimal(lip.get("l2Enclosure").get(0).asText()).compareTo(phi) <= 0);
            assertTrue(new java.math.BigDecimal(lip.get("l2Enclosure").get(1).asText()).compareTo(phi) >= 0);
            assertFalse(lip.get("l2Exact").isNull(), "a closed form of the golden ratio");
        }
    }

    @Test
    void demoStatesTheTentsLipschitzConstant() throws IOException {
        Path svg = dir.resolve("demo.svg");
        CliRun r = CliRun.of("demo", "--plot", svg.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("its Lipschitz constant on [0, 1] is 4, the largest |slope| over the regions"), r.out());
    }

    @Test
    void lipschitzBudget() {
        CliRun r = CliRun.of("perturb", tent.toString(), "--lipschitz", "--box=0,1", "--budget", "2", "--json");
        assertEquals(2, r.status());
        assertEquals("BUDGET_EXCEEDED", r.code());
        assertEquals(3, r.json().get("error").get("found").asInt());
    }

    private static Rational q(Random r) {
        int d = 1 + r.nextInt(4);
        return Rational.of(r.nextInt(4 * d + 1) - 2 * d, d);
    }

    /**
     * --compare: the product of layer norms next to the exact constant. The tent twice has the
     * exact constant 4 on [0, 1] (slopes ±4); its layers' norms multiply to more, and the
     * product's factors are the layers' own (checked against this test's row sums of the weights).
     */
    @Test
    void lipschitzCompareGivesTheNormProduct() {
        CliRun r = CliRun.of("perturb", tent.toString(), "--lipschitz", "--box=0,1", "--compare", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        JsonNode np = js.get("normProduct");
        Rational exactLinf = Rational.parse(js.get("lipschitz").get("linf").asText());
        assertEquals(Rational.of(4), exactLinf);
        Rational prodLinf = Rational.parse(np.get("linf").asText());
        Rational prod = Rational.ONE;
        for (JsonNode f : np.get("factors")) {
            prod = prod.multiply(Rational.parse(f.get("linf").asText()));
        }
        assertEquals(prod, prodLinf, "the product of the factors");
        // tent: dense [[1],[1]] (row sums 1), relu, dense [[2, -4]] (row sum 6), relu, twice: 36
        assertEquals(Rational.of(36), prodLinf);
        assertTrue(Rational.parse(np.get("l1").asText()).compareTo(Rational.parse(js.get("lipschitz").get("l1").asText())) >= 0);
        assertTrue(new java.math.BigDecimal(np.get("l2Enclosure").get(1).asText())
                .compareTo(new java.math.BigDecimal(js.get("lipschitz").get("l2Enclosure").get(0).asText())) >= 0);
        assertEquals(9.0, np.get("ratio").get("linf").asDouble(), 0.0);
        assertTrue(js.get("certified").asBoolean(), "the exact constant is still certified");
        CliRun human = CliRun.of("perturb", tent.toString(), "--lipschitz", "--box=0,1", "--compare");
        assertTrue(human.out().contains("product of the layers' operator norms"), human.out());
    }

    @Test
    void badInputGetsCodedErrors() {
        String t = tent.toString();
        String[][] cases = {
                {"BAD_INPUT", "perturb", t, "--at=1,2"},
                {"USAGE", "perturb", t, "--lipschitz"},
                {"USAGE", "perturb", t, "--lipschitz", "--box=0,1", "--polytope", "p.json"},
                {"BAD_INPUT", "perturb", t, "--lipschitz", "--box=0,1,2"},
                {"BAD_INPUT", "perturb", t, "--lipschitz", "--box=1,0"},
                {"BAD_INPUT", "perturb", t, "--lipschitz", "--box=0,1", "--budget", "0"},
                {"USAGE", "perturb", t, "--weights", "--layer", "6"},
                {"NO_PARAMETERS", "perturb", t, "--weights", "--data", line.toString(), "--layer", "3"},
                {"NOT_QUADRATIC", "perturb", t, "--weights", "--data", line.toString(), "--layer", "6", "--loss", "ce"},
                {"USAGE", "perturb", t},
                {"USAGE", "perturb", t, "--at=1/3", "--compare"},
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
