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
            Model m = randomNet(rnd, Layer.AbRelu.leakyRelu(null, Rational.of(1, 4)));
            Rational[][] w1 = firstWeight(m);
            Rational[] b1 = firstBias(m);
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

    /** dense(2→3) with random weights p/q, the activation, dense(3→1). */
    private static Model randomNet(Random rnd, Layer act) {
        Rational[][] w1 = new Rational[3][2];
        Rational[] b1 = new Rational[3];
        Rational[][] w2 = new Rational[1][3];
        for (int i = 0; i < 3; i++) {
            w1[i][0] = q(rnd);
            w1[i][1] = q(rnd);
            b1[i] = q(rnd);
            w2[0][i] = q(rnd);
        }
        return new Model("r", Shape.of(2), List.of(new Layer.Dense(null, Tensor.matrix(w1), Tensor.vector(b1)), act,
                new Layer.Dense(null, Tensor.matrix(w2), Tensor.vector(q(rnd)))));
    }

    private static Rational[][] firstWeight(Model m) {
        Layer.Dense d = (Layer.Dense) m.layers().get(0);
        Rational[][] w = new Rational[d.out()][d.in()];
        for (int i = 0; i < d.out(); i++) {
            for (int j = 0; j < d.in(); j++) {
                w[i][j] = d.weight().rational(i * d.in() + j);
            }
        }
        return w;
    }

    private static Rational[] firstBias(Model m) {
        return ((Layer.Dense) m.layers().get(0)).bias().rationals();
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

    /**
     * The tent's last layer (w1, w2, b) = (2, −4, 0) moved along d1 = (1, 0, 0) and d2 = (0, 0, 1):
     * its pre-activation on the four points is z_i = v_i + a·h1_i + b with (h1_i, v_i) = (1/8, 1/4),
     * (1/4, 1/2), (3/4, 1/2), (5/8, 3/4) (the tent twice at 1/16, 1/8, 3/8, 11/16). Where every z_i
     * &lt; 0 the loss is 1/4 on the quadrilateral cut by z_3 = 0 (through (2/5, −1)) and z_1 = 0
     * (through (−1, −1/4)), meeting at (−2/3, −1/3); on the cell of (0, 0) every z_i &gt; 0 and
     * mse = ¼ Σ (z_i − ½)² = 1/32 + a/16 + 33a²/128 + 7ab/8 + b², so H = [[33/64, 7/8], [7/8, 2]],
     * g = (1/16, 0). The four lines z_i = 0 cut [−1, 1]² into 8 cells (area 4 in all).
     */
    @Test
    void planeOfTheTentByHand() throws IOException {
        Path w1 = dir.resolve("w1-plane.json");
        Files.writeString(w1, "{\"weight\": [[\"1\", \"0\"]]}");
        Path svg = dir.resolve("plane.svg");
        CliRun r = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--plane", w1 + "," + bias,
                "--range=-1,1,-1,1", "--json", "--latex", "--plot", svg.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode js = r.json();
        assertEquals(List.of("-1", "1", "-1", "1"), strings(js.get("range")));
        assertEquals(8, js.get("cells").size());
        Rational total = Rational.ZERO;
        JsonNode on = null;
        JsonNode off = null;
        for (JsonNode c : js.get("cells")) {
            total = total.add(Rational.parse(c.get("area").asText()));
            if (c.get("pattern").asText().equals("101101|101101|101111|111111")) {
                on = c;
            }
            if (c.get("pattern").asText().equals("101100|101100|101110|111110")) {
                off = c;
            }
        }
        assertEquals(Rational.of(4), total);
        assertTrue(on != null && off != null);
        assertEquals(List.of("1/32", "0", "1"), strings(on.get("coeffs").get(0)));
        assertEquals(List.of("1/16", "7/8"), strings(on.get("coeffs").get(1)));
        assertEquals(List.of("33/128"), strings(on.get("coeffs").get(2)));
        assertEquals(List.of("33/64", "7/8"), strings(on.get("quadratic").get("H").get(0)));
        assertEquals(List.of("7/8", "2"), strings(on.get("quadratic").get("H").get(1)));
        assertEquals(List.of("1/16", "0"), strings(on.get("quadratic").get("g")));
        assertEquals("1/32", on.get("quadratic").get("c").asText());
        assertEquals(List.of("1/4", "0", "0"), strings(off.get("coeffs").get(0)));
        java.util.Set<String> vs = new java.util.HashSet<>();
        off.get("vertices").forEach(v -> vs.add(v.get(0).asText() + "," + v.get(1).asText()));
        assertEquals(java.util.Set.of("-1,-1", "2/5,-1", "-2/3,-1/3", "-1,-1/4"), vs);
        assertTrue(js.get("latex").asText().startsWith("\\begin{cases}"));
        String pic = Files.readString(svg);
        assertTrue(pic.startsWith("<svg") && pic.contains("<image") && pic.split("<polygon").length - 1 >= 8, "heat map and 8 cells");
        Path png = dir.resolve("plane.png");
        CliRun human = CliRun.of("loss-surface", tent.toString(), "--data", line.toString(), "--layer", "6", "--plane", w1 + "," + bias,
                "--range=-1,1,-1,1", "--plot", png.toString());
        assertEquals(0, human.status(), human.err());
        assertTrue(human.out().contains("8 cells") && human.out().contains("1/32 + 1/16 a + 33/128 a^2 + 7/8 a b + b^2"), human.out());
        assertTrue(Files.size(png) > 1000);
    }

    /** A random plane of a random net's first layer: each cell's quadratic against ExactForward at its witness and vertices. */
    @Test
    void randomPlaneAgreesWithTheExactLoss() throws IOException {
        Random rnd = new Random(5);
        Model m = randomNet(rnd, Layer.AbRelu.abs(null));
        Rational[][] w1 = firstWeight(m);
        Rational[] b1 = firstBias(m);
        Path mf = dir.resolve("plane-model.json");
        IrWriter.write(m, mf, IrWriter.Options.DEFAULT);
        Rational[][] xs = new Rational[4][];
        Rational[] ys = new Rational[4];
        StringBuilder csv = new StringBuilder("x1,x2,y1\n");
        for (int i = 0; i < 4; i++) {
            xs[i] = new Rational[]{q(rnd), q(rnd)};
            ys[i] = q(rnd);
            csv.append(xs[i][0]).append(',').append(xs[i][1]).append(',').append(ys[i]).append('\n');
        }
        Path df = dir.resolve("plane-data.csv");
        Files.writeString(df, csv);
        Rational[][][] dw = new Rational[2][3][2];
        Path[] files = new Path[2];
        for (int k = 0; k < 2; k++) {
            StringBuilder dj = new StringBuilder("{\"weight\": [");
            for (int i = 0; i < 3; i++) {
                dw[k][i][0] = q(rnd);
                dw[k][i][1] = q(rnd);
                dj.append(i > 0 ? "," : "").append("[\"").append(dw[k][i][0]).append("\",\"").append(dw[k][i][1]).append("\"]");
            }
            files[k] = dir.resolve("plane-dir" + k + ".json");
            Files.writeString(files[k], dj.append("]}"));
        }
        CliRun r = CliRun.of("loss-surface", mf.toString(), "--data", df.toString(), "--layer", "0", "--plane", files[0] + "," + files[1],
                "--range=-2,2,-2,2", "--loss", "sse", "--json");
        assertEquals(0, r.status(), r.err());
        Rational total = Rational.ZERO;
        assertTrue(r.json().get("cells").size() > 3);
        for (JsonNode c : r.json().get("cells")) {
            total = total.add(Rational.parse(c.get("area").asText()));
            List<JsonNode> points = new ArrayList<>();
            points.add(c.get("witness"));
            c.get("vertices").forEach(points::add);
            for (JsonNode pt : points) {
                Rational a = Rational.parse(pt.get(0).asText());
                Rational b = Rational.parse(pt.get(1).asText());
                Rational[][] wt = new Rational[3][2];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 2; j++) {
                        wt[i][j] = w1[i][j].add(dw[0][i][j].multiply(a)).add(dw[1][i][j].multiply(b));
                    }
                }
                Model mt = m.replace(m.shapes().get(0).path(), new Layer.Dense(null, Tensor.matrix(wt), Tensor.vector(b1)));
                Rational loss = Rational.ZERO;
                StringBuilder pat = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    ExactForward.Result f = ExactForward.run(mt, xs[i]);
                    Rational e = f.output()[0].subtract(ys[i]);
                    loss = loss.add(e.multiply(e));
                    pat.append(i > 0 ? "|" : "").append(f.pattern());
                }
                Rational poly = Rational.ZERO;
                JsonNode co = c.get("coeffs");
                for (int p = 0; p < 3; p++) {
                    for (int qq = 0; qq + p < 3; qq++) {
                        Rational term = Rational.parse(co.get(p).get(qq).asText());
                        for (int e = 0; e < p; e++) {
                            term = term.multiply(a);
                        }
                        for (int e = 0; e < qq; e++) {
                            term = term.multiply(b);
                        }
                        poly = poly.add(term);
                    }
                }
                assertEquals(loss, poly, "cell " + c.get("pattern").asText() + " at (" + a + ", " + b + ")");
                if (pt == c.get("witness")) {
                    assertEquals(c.get("pattern").asText(), pat.toString());
                }
            }
        }
        assertEquals(Rational.of(16), total);
    }

    @Test
    void badInputGetsCodedErrors() throws IOException {
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, "{\"weight\": [[\"1\", \"0\", \"2\"]], \"bias\": [\"1\"]}");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "x1,y1\n");
        Path emptyJson = dir.resolve("empty.json");
        Files.writeString(emptyJson, "{\"x\": [], \"y\": []}");
        Path weight = dir.resolve("w1.json");
        Files.writeString(weight, "{\"weight\": [[\"1\", \"0\"]]}");
        String t = tent.toString();
        String d = line.toString();
        String[][] cases = {
                {"BAD_DIRECTION", "loss-surface", t, "--data", d, "--layer", "6", "--line", wrong.toString(), "--range=-1,1"},
                {"IR_MISSING_KEY", "loss-surface", t, "--data", d, "--layer", "12", "--at"},
                {"IR_MISSING_KEY", "loss-surface", t, "--data", d, "--layer", "nosuchlayer", "--at"},
                {"NO_PARAMETERS", "loss-surface", t, "--data", d, "--layer", "1", "--at"},
                {"NOT_QUADRATIC", "loss-surface", t, "--data", d, "--layer", "6", "--loss", "cross_entropy", "--at"},
                {"IR_DATA", "loss-surface", t, "--data", empty.toString(), "--layer", "6", "--at"},
                {"BAD_DIRECTION", "loss-surface", t, "--data", d, "--layer", "6", "--plane", wrong + "," + bias, "--range=0,1,0,1"},
                {"BAD_INPUT", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias + "," + bias, "--range=1,1,0,1"},
                {"BAD_INPUT", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias + "," + bias, "--range=0,1,1,0"},
                {"USAGE", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias + "," + bias, "--range=0,1,1"},
                {"USAGE", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias.toString(), "--range=0,1,0,1"},
                {"USAGE", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias + "," + bias},
                {"IR_DATA", "loss-surface", t, "--data", empty.toString(), "--layer", "6", "--plane", bias + "," + bias, "--range=0,1,0,1"},
                {"IR_DATA", "loss-surface", t, "--data", emptyJson.toString(), "--layer", "6", "--plane", bias + "," + bias, "--range=0,1,0,1"},
                {"BAD_INPUT", "loss-surface", t, "--data", d, "--layer", "6", "--plane", bias + "," + bias, "--range=0,1,0,1", "--budget", "0"},
                {"BUDGET_EXCEEDED", "loss-surface", t, "--data", d, "--layer", "6", "--plane", weight + "," + bias, "--range=-1,1,-1,1", "--budget", "3"},
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
