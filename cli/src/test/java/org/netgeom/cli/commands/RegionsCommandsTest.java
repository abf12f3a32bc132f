package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.Main;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The command-line contract of regions, bounds and formula (issue "Exact affine pieces", CLI
 * contract), on the textbook examples whose values are derived by hand in the comments.
 */
class RegionsCommandsTest {
    static final String TENT2 = """
            {"netgeom": 1, "name": "tent-2", "input": [1], "layers": [
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}""";
    static final String SQUARE2D = """
            {"netgeom": 1, "name": "square-2d", "input": [2], "layers": [
            {"op": "dense", "weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0]}, {"op": "relu"},
            {"op": "dense", "weight": [[1, 1, -1]], "bias": [0]}]}""";

    @TempDir
    Path dir;

    record Run(int rc, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not one JSON value: " + out, e);
            }
        }
    }

    @AfterAll
    static void stop() {
        Cas.shutdown();
    }

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Rational q(JsonNode n) {
        assertTrue(n.isTextual(), "exact numbers are strings: " + n);
        return Rational.parse(n.asText());
    }

    @Test
    void tentRegionsAsTheContractStates() throws Exception {
        // t(t(x)) on (0, 1): maps 4x, 2 - 4x, 4x - 2, 4 - 4x on the quarters (hand derivation in the contract check)
        Run r = run("regions", file("tent2.json", TENT2).toString(), "--box=0,1", "--json");
        assertEquals(0, r.rc(), r.err());
        JsonNode js = r.json();
        assertEquals(4, js.get("activationRegions").asInt());
        assertEquals(4, js.get("affinePieces").asInt());
        String[][] want = {{"101101", "4", "0"}, {"101111", "-4", "2"}, {"111111", "4", "-2"}, {"111101", "-4", "4"}};
        for (int i = 0; i < 4; i++) {
            JsonNode reg = js.get("regions").get(i);
            assertEquals(want[i][0], reg.get("pattern").asText());
            assertEquals(Rational.parse(want[i][1]), q(reg.get("A").get(0).get(0)));
            assertEquals(Rational.parse(want[i][2]), q(reg.get("b").get(0)));
            Rational w = q(reg.get("witness").get(0));
            assertTrue(w.compareTo(Rational.of(i, 4)) > 0 && w.compareTo(Rational.of(i + 1, 4)) < 0, "witness in its quarter");
        }
        assertEquals(List.of("1/4", "1/2", "3/4"), texts(js.get("breakpoints")));
    }

    static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void squareHasSixSectorsAndSixPieces() throws Exception {
        Run r = run("regions", file("sq.json", SQUARE2D).toString(), "--box=-1,1", "--json");
        JsonNode js = r.json();
        assertEquals(6, js.get("activationRegions").asInt());
        assertEquals(6, js.get("affinePieces").asInt());
        for (JsonNode reg : js.get("regions")) {
            assertEquals(1, reg.get("A").size());
            assertEquals(2, reg.get("A").get(0).size());
            assertEquals(Rational.ZERO, q(reg.get("b").get(0)), "f is positively homogeneous");
            assertTrue(reg.get("vertices").size() >= 3);
        }
    }

    @Test
    void streamWritesTheListedRegionsAsLinesThenACertifiedSummary() throws Exception {
        // the reference: the non-streamed --json of the same run (its regions, in its order, and its counts)
        for (String[] a : new String[][] {{"sq.json", SQUARE2D, "--box=-1,1"}, {"tent2.json", TENT2, "--box=0,1"}}) {
            Path model = file(a[0], a[1]);
            JsonNode whole = run("regions", model.toString(), a[2], "--json").json();
            Run r = run("regions", model.toString(), a[2], "--json", "--stream");
            assertEquals(0, r.rc(), r.err());
            String[] lines = r.out().strip().split("\n");
            ObjectMapper om = new ObjectMapper();
            assertEquals(whole.get("regions").size() + 1, lines.length, r.out());
            for (int i = 0; i < whole.get("regions").size(); i++) {
                assertEquals(whole.get("regions").get(i), om.readTree(lines[i]), "line " + i);
            }
            JsonNode sum = om.readTree(lines[lines.length - 1]);
            assertEquals(whole.get("activationRegions"), sum.get("activationRegions"));
            assertEquals(whole.get("affinePieces"), sum.get("affinePieces"));
            assertTrue(sum.get("certified").asBoolean(), r.out());
        }
        Run bad = run("regions", file("sq.json", SQUARE2D).toString(), "--box=-1,1", "--stream");
        assertEquals("USAGE", bad.err().replaceAll("(?s).*error\\[([A-Z_]+)\\].*", "$1"), bad.err());
    }

    @Test
    void budgetExceededIsACodedErrorWithFound() throws Exception {
        Run r = run("regions", file("tent2.json", TENT2).toString(), "--box=0,1", "--budget", "2", "--json");
        assertEquals(2, r.rc());
        JsonNode e = r.json().get("error");
        assertEquals("BUDGET_EXCEEDED", e.get("code").asText());
        assertTrue(e.get("found").isIntegralNumber() && e.get("found").asInt() > 2);
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void smoothOpsAreRefusedWithTheirPath() throws Exception {
        Run r = run("regions", file("s.json", """
                {"netgeom": 1, "input": [1], "layers": [{"op": "dense", "weight": [[1]]}, {"op": "gelu"}]}""").toString(),
                "--box=0,1");
        assertEquals(2, r.rc());
        assertTrue(r.err().startsWith("error[NOT_PIECEWISE_LINEAR]") && r.err().contains("(at layers[1])"), r.err());
    }

    @Test
    void aDomainIsRequired() throws Exception {
        Run r = run("regions", file("tent2.json", TENT2).toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("error[USAGE]"), r.err());
    }

    @Test
    void boundsAreExactIntegerStrings() throws Exception {
        // tent-2: Serra 21, Montufar 8; square-2d: 7 and 7 (hand derivations in the contract check)
        JsonNode t = run("bounds", file("tent2.json", TENT2).toString(), "--json").json();
        assertEquals("21", t.get("serraBound").asText());
        assertEquals("8", t.get("montufarBound").asText());
        assertTrue(t.get("serraBound").isTextual());
        JsonNode s = run("bounds", file("sq.json", SQUARE2D).toString(), "--json").json();
        assertEquals("7", s.get("serraBound").asText());
        assertEquals("7", s.get("montufarBound").asText());
    }

    @Test
    void slicesAndPolytopes() throws Exception {
        // a slice of square-2d along x = t1, y = t2 / 2 is square-2d with its second input halved
        Run r = run("regions", file("sq.json", SQUARE2D).toString(), "--box=-1,1", "--slice", "0,0;1,0;0,1/2", "--json");
        assertEquals(0, r.rc(), r.err());
        JsonNode js = r.json();
        assertEquals(6, js.get("activationRegions").asInt());
        for (JsonNode reg : js.get("regions")) {
            Rational t1 = q(reg.get("witness").get(0));
            Rational t2 = q(reg.get("witness").get(1));
            assertEquals(t1, q(reg.get("input").get(0)));
            assertEquals(t2.divide(Rational.TWO), q(reg.get("input").get(1)));
        }
        // the triangle x >= -1, y >= -1, x + y <= 1/2 still meets all six sectors
        Path tri = file("tri.json", "{\"A\": [[-1, 0], [0, -1], [1, 1]], \"b\": [1, 1, \"1/2\"]}");
        JsonNode p = run("regions", file("sq.json", SQUARE2D).toString(), "--polytope", tri.toString(), "--json").json();
        assertEquals(6, p.get("activationRegions").asInt());
        Path unbounded = file("u.json", "{\"A\": [[-1, 0], [0, -1]], \"b\": [1, 1]}");
        Run u = run("regions", file("sq.json", SQUARE2D).toString(), "--polytope", unbounded.toString());
        assertEquals(2, u.rc());
        assertTrue(u.err().contains("error[BAD_INPUT]") && u.err().contains("unbounded"), u.err());
    }

    @Test
    void plotsAreWrittenAsSvgAndPng() throws Exception {
        Path svg = dir.resolve("sq.svg");
        Path png = dir.resolve("sq.png");
        assertEquals(0, run("regions", file("sq.json", SQUARE2D).toString(), "--box=-1,1", "--plot", svg.toString()).rc());
        String s = Files.readString(svg);
        assertTrue(s.startsWith("<svg") && s.split("<polygon").length - 1 >= 6 && s.contains("<line"), "6 regions drawn");
        assertEquals(0, run("regions", file("t.json", TENT2).toString(), "--box=0,1", "--plot", png.toString()).rc());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, head);
        Run bad = run("regions", file("t.json", TENT2).toString(), "--box=0,1", "--plot", dir.resolve("x.pdf").toString());
        assertEquals(2, bad.rc());
    }

    @Test
    void formulaNestedAndPiecewise() throws Exception {
        JsonNode n = run("formula", file("t.json", TENT2).toString(), "--json").json();
        assertEquals("nested", n.get("form").asText());
        assertTrue(n.get("outputs").get(0).get("text").asText().contains("Max("));
        assertTrue(n.get("outputs").get(0).get("latex").asText().contains("\\max"));
        JsonNode p = run("formula", file("t.json", TENT2).toString(), "--box=0,1", "--json").json();
        assertEquals("piecewise", p.get("form").asText());
        assertEquals(4, p.get("cases").size());
        assertEquals("0 <= x1 <= 1/4", p.get("cases").get(0).get("condition").asText());
        Run tex = run("formula", file("t.json", TENT2).toString(), "--box=0,1", "--latex");
        assertTrue(tex.out().contains("\\begin{cases}"), tex.out());
    }

    @Test
    void piecewiseFormulaIsCertifiedThroughItsRegions() throws Exception {
        JsonNode p = run("formula", file("t.json", TENT2).toString(), "--box=0,1", "--json").json();
        assertTrue(p.get("certified").asBoolean(), p.toString());
        Run text = run("formula", file("t.json", TENT2).toString(), "--box=0,1");
        assertEquals(0, text.rc(), text.err());
        // stdout is the formula alone; the checker's line (4 regions of the tent on [0, 1]) goes to stderr
        assertFalse(text.out().contains("certified"), text.out());
        assertTrue(text.err().contains("certified by netgeom-certify: 4 witnesses"), text.err());
        JsonNode skip = run("formula", file("t.json", TENT2).toString(), "--box=0,1", "--json", "--no-certify").json();
        assertNull(skip.get("certified"));
        assertNull(run("formula", file("t.json", TENT2).toString(), "--json").json().get("certified"), "the nested form has no domain to certify");
    }

    @Test
    void formulaRenamesSymbolsNamedLikeBuiltinsAndSaysSo() throws Exception {
        Path m = file("pi.json", "{\"netgeom\": 1, \"input\": [2], \"layers\": [{\"op\": \"dense\", "
                + "\"weight\": [[\"Pi\", \"a_2\"]], \"bias\": [\"w\"]}, {\"op\": \"relu\"}]}");
        Run r = run("formula", m.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("Pi$*x1") && r.out().contains("a$2*x2") && r.out().contains("w"), r.out());
        assertTrue(r.err().contains("note: symbol Pi renamed to Pi$ in output") && r.err().contains("symbol a_2 renamed to a$2"), r.err());
        JsonNode j = run("formula", m.toString(), "--json").json();
        assertEquals(2, j.get("renamed").size(), j.toString());
        assertEquals("Pi", j.get("renamed").get(0).get("symbol").asText());
        assertEquals("Pi$", j.get("renamed").get(0).get("text").asText());
        assertEquals("Pi\\$", j.get("renamed").get(0).get("latex").asText());
        Run tex = run("formula", m.toString(), "--latex");
        assertTrue(tex.out().contains("Pi\\$") && !tex.out().contains("\\pi"), tex.out());
    }

    @Test
    void demoDrawsToANewFileAndSaysWhere() {
        Run r = run("demo");
        assertEquals(0, r.rc(), r.err());
        String path = r.out().lines().filter(l -> l.contains("drawn to ")).findFirst().orElseThrow()
                .replaceAll(".*drawn to (\\S+).*", "$1");
        assertTrue(Files.exists(Path.of(path)), path);
        assertTrue(r.out().contains("4 activation regions, 4 affine pieces"));
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (Exception ignored) {
            // a temporary file
        }
    }

    @Test
    void demoNeverOverwrites() throws Exception {
        Path f = file("mine.svg", "my own file");
        Run r = run("demo", "--plot", f.toString());
        assertEquals(2, r.rc());
        assertEquals("my own file", Files.readString(f));
    }

    @Test
    void benchRunsQuickly() {
        Run r = run("bench", "regions", "--quick", "--json");
        assertEquals(0, r.rc(), r.err());
        JsonNode js = r.json();
        assertEquals(3, js.get("nets").size());
        for (JsonNode b : js.get("bruteForce")) {
            assertEquals(b.get("regions").asLong(), b.get("bruteForceRegions").asLong(), "brute force agrees");
        }
    }
}
