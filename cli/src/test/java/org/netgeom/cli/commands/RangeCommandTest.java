package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.netgeom.cli.CliRun;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.Regions;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom range} through the command line: the JSON's min/max equal the extrema of the
 * exact forward pass over all region vertices (symbolic regions engine), the witnesses attain
 * them, --compare's bounds contain the range, and user errors are coded.
 */
class RangeCommandTest {
    static final Path MODEL = Path.of("../examples/residual-bn.json");

    @Test
    void rangeMatchesTheRegionVerticesAndWitnessesAttainIt() {
        CliRun r = CliRun.of("range", MODEL.toString(), "--box=-1,1", "--compare", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode o = r.json().get("outputs").get(0);
        Model m = IrReader.read(MODEL);
        Domain d = Domain.box(new Rational[]{Rational.MINUS_ONE, Rational.MINUS_ONE}, new Rational[]{Rational.ONE, Rational.ONE});
        Rational lo = null;
        Rational hi = null;
        for (Region reg : Regions.enumerate(m, d, Options.defaults().withMode(Options.Mode.VERTEX)).regions()) {
            for (Rational[] v : reg.vertices()) {
                Rational y = ExactForward.eval(m, v)[0];
                lo = lo == null || y.compareTo(lo) < 0 ? y : lo;
                hi = hi == null || y.compareTo(hi) > 0 ? y : hi;
            }
        }
        assertEquals(lo.toString(), o.get("min").asText());
        assertEquals(hi.toString(), o.get("max").asText());
        Rational[] argmax = {Rational.parse(o.get("argmax").get(0).asText()), Rational.parse(o.get("argmax").get(1).asText())};
        Rational[] argmin = {Rational.parse(o.get("argmin").get(0).asText()), Rational.parse(o.get("argmin").get(1).asText())};
        assertEquals(hi, ExactForward.eval(m, argmax)[0]);
        assertEquals(lo, ExactForward.eval(m, argmin)[0]);
        for (String method : new String[]{"ibp", "crown"}) {
            JsonNode b = o.get("bounds").get(method);
            assertTrue(b.get("lower").asDouble() <= lo.doubleValue() && b.get("upper").asDouble() >= hi.doubleValue(), method);
            assertTrue(b.get("gapLower").asDouble() >= 0 && b.get("gapUpper").asDouble() >= 0, method);
        }
        assertEquals("branch-and-bound", r.json().get("certificate").get("kind").asText());
    }

    /** The exact range of output i over a box, as the extrema of the exact forward pass over every region's vertices. */
    static Rational[] regionRange(Model m, Domain d, int i) {
        Rational lo = null;
        Rational hi = null;
        for (Region reg : Regions.enumerate(m, d, Options.defaults().withMode(Options.Mode.VERTEX)).regions()) {
            for (Rational[] v : reg.vertices()) {
                Rational y = ExactForward.eval(m, v)[i];
                lo = lo == null || y.compareTo(lo) < 0 ? y : lo;
                hi = hi == null || y.compareTo(hi) > 0 ? y : hi;
            }
        }
        return new Rational[]{lo, hi};
    }

    static final String TWO_OUT = "{\"netgeom\": 1, \"input\": [2], \"layers\": ["
            + "{\"op\": \"dense\", \"weight\": [[\"1\", \"-2\"], [\"3/2\", \"1\"], [\"-1\", \"1/2\"]], \"bias\": [\"1/4\", \"-1/3\", \"0\"]},"
            + "{\"op\": \"relu\"},"
            + "{\"op\": \"dense\", \"weight\": [[\"1\", \"-1\", \"2\"], [\"-1/2\", \"1\", \"1\"]], \"bias\": [\"0\", \"1/5\"]},"
            + "{\"op\": \"relu\"},"
            + "{\"op\": \"dense\", \"weight\": [[\"1\", \"-1\"], [\"2\", \"1/3\"]], \"bias\": [\"0\", \"-1\"]}]}";

    @Test
    void epsSweepIsSoundAndExactAtEveryRadius(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path two = dir.resolve("two.json");
        java.nio.file.Files.writeString(two, TWO_OUT);
        Object[][] nets = {{MODEL, new String[]{"0", "1/4"}}, {two, new String[]{"1/3", "-1/2"}}};
        for (Object[] net : nets) {
            Path file = (Path) net[0];
            String[] c = (String[]) net[1];
            Path png = dir.resolve("gap.png");
            CliRun r = CliRun.of("range", file.toString(), "--linf", c[0] + "," + c[1], "--eps-sweep", "1/20,6/5,6",
                    "--plot", png.toString(), "--json", "--no-certificate");
            assertEquals(0, r.status(), r.err());
            assertTrue(java.nio.file.Files.size(png) > 1000, "the gap plot is written");
            Model m = IrReader.read(file);
            JsonNode sweep = r.json().get("sweep");
            assertEquals(6, sweep.size());
            for (int e = 0; e < sweep.size(); e++) {
                Rational eps = Rational.of(1, 20).add(Rational.of(6, 5).subtract(Rational.of(1, 20)).multiply(Rational.of(e, 5)));
                JsonNode p = sweep.get(e);
                assertEquals(eps.toString(), p.get("eps").asText(), "the radii are A + (B - A) i / (N - 1), exactly");
                Rational[] lo = new Rational[2];
                Rational[] hi = new Rational[2];
                for (int j = 0; j < 2; j++) {
                    lo[j] = Rational.parse(c[j]).subtract(eps);
                    hi[j] = Rational.parse(c[j]).add(eps);
                }
                Domain d = Domain.box(lo, hi);
                for (JsonNode o : p.get("outputs")) {
                    int i = o.get("index").asInt();
                    Rational[] want = regionRange(m, d, i);
                    assertEquals(want[0].toString(), o.get("min").asText(), file + " eps " + eps + " output " + i);
                    assertEquals(want[1].toString(), o.get("max").asText(), file + " eps " + eps + " output " + i);
                    double mn = want[0].doubleValue();
                    double mx = want[1].doubleValue();
                    for (String method : new String[]{"ibp", "crown"}) {
                        JsonNode b = o.get("bounds").get(method);
                        // soundness against the exact rationals, not their nearest doubles
                        assertTrue(Rational.fromDouble(b.get("lower").asDouble()).compareTo(want[0]) <= 0, method + " lower at eps " + eps);
                        assertTrue(Rational.fromDouble(b.get("upper").asDouble()).compareTo(want[1]) >= 0, method + " upper at eps " + eps);
                        assertTrue(b.get("gapLower").asDouble() >= 0 && b.get("gapUpper").asDouble() >= 0, method);
                        assertEquals(b.get("gapLower").asDouble() + b.get("gapUpper").asDouble(), b.get("gap").asDouble(), 0.0);
                        if (mx > mn) {
                            assertEquals(b.get("gap").asDouble() / (mx - mn), b.get("gapRatio").asDouble(), 1e-12);
                        }
                    }
                    assertTrue(o.get("bounds").get("crown").get("gap").asDouble() <= o.get("bounds").get("ibp").get("gap").asDouble() + 1e-9,
                            "on these nets CROWN is at least as tight as IBP");
                }
            }
        }
        CliRun human = CliRun.of("range", two.toString(), "--linf", "0,0", "--eps-sweep", "1/10,1/2,3", "--plot", dir.resolve("g.svg").toString());
        assertEquals(0, human.status(), human.err());
        assertTrue(human.out().contains("crown gap") && human.out().contains("output 1 over"), human.out());
        assertTrue(java.nio.file.Files.readString(dir.resolve("g.svg")).contains("<svg"));
    }

    @Test
    void epsSweepErrorsAreCoded() {
        assertEquals("USAGE", CliRun.of("range", MODEL.toString(), "--box=-1,1", "--eps-sweep", "1/10,1,3", "--json").code());
        CliRun withEps = CliRun.of("range", MODEL.toString(), "--linf", "0,0,1/2", "--eps-sweep", "1/10,1,3", "--json");
        assertEquals(0, withEps.status(), "--linf CENTER,EPS with --eps-sweep: the sweep's radii are used\n" + withEps.err());
        assertTrue(withEps.err().contains("radius 1/2 is not used"), withEps.err());
        assertEquals(CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--eps-sweep", "1/10,1,3", "--json").out(), withEps.out());
        assertEquals("BAD_INPUT", CliRun.of("range", MODEL.toString(), "--linf", "0,0,1/2,1", "--eps-sweep", "1/10,1,3", "--json").code());
        assertEquals("BAD_INPUT", CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--eps-sweep", "1,1/10,3", "--json").code());
        assertEquals("BAD_INPUT", CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--eps-sweep", "0,1,3", "--json").code());
        assertEquals("BAD_INPUT", CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--eps-sweep", "1/10,1,x", "--json").code());
        assertEquals("USAGE", CliRun.of("range", MODEL.toString(), "--box=-1,1", "--plot", "g.png", "--json").code(),
                "--plot needs --eps-sweep");
        assertEquals("IR_BAD_VALUE", CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--eps-sweep", "1/10,1,3", "--plot", "g.pdf", "--json").code());
    }

    @Test
    void userErrorsAreCoded() {
        CliRun none = CliRun.of("range", MODEL.toString(), "--json");
        assertEquals(2, none.status());
        assertEquals("USAGE", none.code());
        CliRun out = CliRun.of("range", MODEL.toString(), "--box=-1,1", "--output", "5", "--json");
        assertEquals(2, out.status());
        assertEquals("BAD_INPUT", out.code());
        CliRun linf = CliRun.of("range", MODEL.toString(), "--linf", "0,0", "--json");
        assertEquals(2, linf.status());
        assertEquals("BAD_INPUT", linf.code());
    }

    /** Input splitting (the default for few inputs) changes the search, never the exact range or its witnesses' values. */
    @Test
    void inputSplitsChangeTheSearchNotTheRange() {
        com.fasterxml.jackson.databind.JsonNode split = CliRun.of("range", MODEL.toString(), "--box=-1,1", "--no-certificate", "--json").json();
        com.fasterxml.jackson.databind.JsonNode units = CliRun.of("range", MODEL.toString(), "--box=-1,1", "--input-splits", "0",
                "--no-certificate", "--json").json();
        for (int i = 0; i < split.get("outputs").size(); i++) {
            assertEquals(units.get("outputs").get(i).get("min"), split.get("outputs").get(i).get("min"));
            assertEquals(units.get("outputs").get(i).get("max"), split.get("outputs").get(i).get("max"));
        }
        assertEquals("USAGE", CliRun.of("range", MODEL.toString(), "--box=-1,1", "--input-splits", "-1", "--json").code());
    }
}
