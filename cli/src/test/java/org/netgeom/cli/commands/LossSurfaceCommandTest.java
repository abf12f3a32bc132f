package org.netgeom.cli.commands;

import org.netgeom.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.exact.ExactForward;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom loss-surface} end to end: Telgarsky's tent composed twice with its last layer
 * varying, against values derived by hand (below); random lines against the loss evaluated
 * exactly by this test (ExactForward on the model with the perturbed layer, its own mean of
 * squares); coded errors for bad input.
 */
class LossSurfaceCommandTest {
    @TempDir
    static Path dir;
    static Path tent;
    static Path line;
    static Path bias;

    @BeforeAll
    static void files() throws IOException {
        tent = Fixtures.tent(dir);
        line = Fixtures.tentData(dir);
        bias = dir.resolve("dir.json");
        Files.writeString(bias, "{\"weight\": [[\"0\", \"0\"]], \"bias\": [\"1\"]}");
    }

    @AfterAll
    static void stopCas() {
        Cas.shutdown();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /**
     * Along the last bias only the final ReLU's pre-activation moves, v_i + t with v_i = 1/4, 1/2,
     * 1/2, 3/4 (the tent twice at 1/16, 1/8, 3/8, 11/16): breakpoints −3/4, −1/2, −1/4 and
     * mse = 1/4 | 13/64 + t/8 + t²/4 | 5/64 + t/8 + 3t²/4 | 1/32 + t².
     */
    @Test
    void lineAlongTheLastBiasOfTheTent() {
        CliRun r = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--line", bias.toString(),
                "--range=-1,1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        assertEquals(List.of("-3/4", "-1/2", "-1/4"), strings(js.get("breakpoints")));
        String[][] want = {{"1/4", "0", "0"}, {"13/64", "1/8", "1/4"}, {"5/64", "1/8", "3/4"}, {"1/32", "0", "1"}};
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of(want[i]), strings(js.get("pieces").get(i).get("coeffs")));
        }
        assertEquals(List.of("-1", "-3/4"), strings(js.get("pieces").get(0).get("interval")));
        assertEquals("101101|101101|101111|111111", js.get("pieces").get(3).get("pattern").asText());
        CliRun sse = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--loss", "sse",
                "--line", bias.toString(), "--range=-1,1", "--json");
        assertEquals(List.of("1/8", "0", "4"), strings(sse.json().get("pieces").get(3).get("coeffs")));
    }

    /**
     * The cell of the last layer at its current parameters: all four points keep the last unit on,
     * f_i = w1 h1_i + w2 h2_i + b with (h1, h2) = (1/8, 0), (1/4, 0), (3/4, 1/4), (5/8, 1/8), so
     * H = (2/4) Σ J_iᵀJ_i with rows J_i = (h1_i, h2_i, 1): H_11 = 33/64, H_13 = 7/8, H_33 = 2; the
     * minimiser w = 0, b = 1/2 fits every target 1/2 (loss 0) and lies inside the cell.
     */
    @Test
    void cellAtTheTentsLastLayer() {
        CliRun r = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--at", "--json", "--latex");
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        JsonNode h = js.get("quadratic").get("H");
        assertEquals("33/64", h.get(0).get(0).asText());
        assertEquals("17/128", h.get(0).get(1).asText());
        assertEquals("7/8", h.get(0).get(2).asText());
        assertEquals("5/128", h.get(1).get(1).asText());
        assertEquals("2", h.get(2).get(2).asText());
        assertEquals("1/32", js.get("value").asText());
        assertEquals(List.of("0", "0", "1/2"), strings(js.get("minimiser").get("point")));
        assertEquals("0", js.get("minimiser").get("value").asText());
        assertTrue(js.get("minimiser").get("localMinimum").asBoolean());
        assertEquals(3, js.get("eigenvalues").size());
        double trace = 0;
        for (JsonNode e : js.get("eigenvalues")) {
            trace += Double.parseDouble(e.get("decimal").asText());
            assertTrue(Double.parseDouble(e.get("enclosure").get(0).asText()) <= Double.parseDouble(e.get("enclosure").get(1).asText()));
        }
        assertEquals(33.0 / 64 + 5.0 / 128 + 2, trace, 1e-12);
        assertFalse(js.get("singular").asBoolean());
        assertTrue(js.get("latex").asText().contains("W_{0,0}"));
        assertEquals(4, js.get("cell").size());
    }

    @Test
    void randomLinesAgreeWithTheExactLoss() throws IOException {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 3; trial++) {
            Rational[][] w1 = new Rational[3][2];
            Rational[] b1 = new Rational[3];
            Rational[][] w2 = new Rational[1][3];
            for (int i = 0; i < 3; i++) {
                w1[i][0] = q(rnd);
                w1[i][1] = q(rnd);
                b1[i] = q(rnd);
                w2[0][i] = q(rnd);
            }
            Model m = new Model("r", Shape.of(2), List.of(new Layer.Dense(null, Tensor.matrix(w1), Tensor.vector(b1)),
                    Layer.AbRelu.leakyRelu(null, Rational.of(1, 4)), new Layer.Dense(null, Tensor.matrix(w2), Tensor.vector(q(rnd)))));
            Path mf = dir.resolve("random" + trial + ".json");
            IrWriter.write(m, mf, IrWriter.Options.DEFAULT);
            StringBuilder csv = new StringBuilder("x1,x2,y1\n");
            Rational[][] xs = new Rational[5][];
            Rational[] ys = new Rational[5];
            for (int i = 0; i < 5; i++) {
                xs[i] = new Rational[]{q(rnd), q(rnd)};
                ys[i] = q(rnd);
                csv.append(xs[i][0]).append(',').append(xs[i][1]).append(',').append(ys[i]).append('\n');
            }
            Path df = dir.resolve("data" + trial + ".csv");
            Files.writeString(df, csv);
            Rational[][] dw = new Rational[3][2];
            Rational[] db = new Rational[3];
            StringBuilder dj = new StringBuilder("{\"weight\": [");
            for (int i = 0; i < 3; i++) {
                dw[i][0] = q(rnd);
                dw[i][1] = q(rnd);
                db[i] = q(rnd);
                dj.append(i > 0 ? "," : "").append("[\"").append(dw[i][0]).append("\",\"").append(dw[i][1]).append("\"]");
            }
            dj.append("], \"bias\": [\"").append(db[0]).append("\",\"").append(db[1]).append("\",\"").append(db[2]).append("\"]}");
            Path dirf = dir.resolve("dir" + trial + ".json");
            Files.writeString(dirf, dj);
            CliRun r = CliRun.of("loss-surface", mf.toString(), "--data", df.toString(), "--layer", "0", "--line", dirf.toString(),
                    "--range=-2,2", "--json");
            assertEquals(0, r.status(), r.err());
            for (JsonNode pc : r.json().get("pieces")) {
                Rational a = Rational.parse(pc.get("interval").get(0).asText());
                Rational b = Rational.parse(pc.get("interval").get(1).asText());
                for (Rational t : new Rational[]{a, b, a.add(b).multiply(Rational.HALF), a.multiply(Rational.of(3, 4)).add(b.multiply(Rational.of(1, 4)))}) {
                    Rational[][] wt = new Rational[3][2];
                    Rational[] bt = new Rational[3];
                    for (int i = 0; i < 3; i++) {
                        wt[i][0] = w1[i][0].add(dw[i][0].multiply(t));
                        wt[i][1] = w1[i][1].add(dw[i][1].multiply(t));
                        bt[i] = b1[i].add(db[i].multiply(t));
                    }
                    Model mt = m.replace(m.shapes().get(0).path(), new Layer.Dense(null, Tensor.matrix(wt), Tensor.vector(bt)));
                    Rational loss = Rational.ZERO;
                    for (int i = 0; i < 5; i++) {
                        Rational e = ExactForward.eval(mt, xs[i])[0].subtract(ys[i]);
                        loss = loss.add(e.multiply(e));
                    }
                    loss = loss.divide(Rational.of(5));
                    Rational poly = Rational.ZERO;
                    for (int k = 2; k >= 0; k--) {
                        poly = poly.multiply(t).add(Rational.parse(pc.get("coeffs").get(k).asText()));
                    }
                    assertEquals(loss, poly, "trial " + trial + " at t = " + t);
                }
            }
        }
    }

    private static Rational q(Random r) {
        int d = 1 + r.nextInt(4);
        return Rational.of(r.nextInt(8 * d + 1) - 4 * d, d);
    }

    @Test
    void plotAndHumanOutput() {
        Path svg = dir.resolve("line.svg");
        CliRun r = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--line", bias.toString(),
                "--range=-1,1", "--plot", svg.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("breakpoints -3/4, -1/2, -1/4"), r.out());
        assertTrue(Files.exists(svg));
    }

    @Test
    void badInputGetsCodedErrors() throws IOException {
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, "{\"weight\": [[\"1\", \"0\", \"2\"]], \"bias\": [\"1\"]}");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "x1,y1\n");
        String t = tent.toString();
        String d = line.toString();
        String[][] cases = {
                {"BAD_DIRECTION", "loss-surface", t, "--data", d, "--layer", "6", "--line", wrong.toString(), "--range=-1,1"},
                {"IR_MISSING_KEY", "loss-surface", t, "--data", d, "--layer", "12", "--at"},
                {"IR_MISSING_KEY", "loss-surface", t, "--data", d, "--layer", "nosuchlayer", "--at"},
                {"NO_PARAMETERS", "loss-surface", t, "--data", d, "--layer", "1", "--at"},
                {"NOT_QUADRATIC", "loss-surface", t, "--data", d, "--layer", "6", "--loss", "cross_entropy", "--at"},
                {"IR_DATA", "loss-surface", t, "--data", empty.toString(), "--layer", "6", "--at"},
                {"NOT_IMPLEMENTED", "loss-surface", t, "--data", d, "--layer", "6", "--plane", "a.json,b.json", "--range=0,1,0,1"},
                {"BAD_INPUT", "loss-surface", t, "--data", d, "--layer", "6", "--line", bias.toString(), "--range=1,-1"},
                {"USAGE", "loss-surface", t, "--data", d, "--layer", "6"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length];
            System.arraycopy(c, 1, args, 0, c.length - 1);
            args[c.length - 1] = "--json";
            CliRun r = CliRun.of(args);
            assertEquals(2, r.status(), String.join(" ", args) + "\n" + r.err());
            assertEquals(c[0], r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("error[" + c[0] + "]"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace");
        }
    }
}
