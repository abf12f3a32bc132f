package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.CliRun;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.Regions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom verify} through the command line on the examples of docs/verify.md: the unsat
 * property's bound against the region enumeration, the sat property's counterexample re-checked
 * here by the exact forward pass, exit statuses (0 unsat, 3 sat, 4 unknown, 2 user errors), JSON
 * keys and coded errors with line:col.
 */
class VerifyCommandTest {
    static final Path MODEL = Path.of("../examples/vnn-small.json");
    static final Path UNSAT = Path.of("../examples/vnn-small-unsat.vnnlib");
    static final Path SAT = Path.of("../examples/vnn-small-sat.vnnlib");

    static Rational q(JsonNode n) {
        return Rational.parse(n.asText());
    }

    /** max of Y_0 − Y_1 over [1/4, 1]², from the vertices of every activation region. */
    static Rational referenceMax() {
        Model m = IrReader.read(MODEL);
        Domain d = Domain.box(new Rational[]{Rational.of(1, 4), Rational.of(1, 4)}, new Rational[]{Rational.ONE, Rational.ONE});
        Rational best = null;
        for (Region reg : Regions.enumerate(m, d, Options.defaults().withMode(Options.Mode.VERTEX)).regions()) {
            for (Rational[] v : reg.vertices()) {
                Rational[] y = ExactForward.eval(m, v);
                Rational h = y[0].subtract(y[1]);
                best = best == null || h.compareTo(best) > 0 ? h : best;
            }
        }
        return best;
    }

    @Test
    void unsatAgreesWithTheRegionEnumeration() {
        Rational ref = referenceMax();
        assertTrue(ref.signum() < 0, "the example is unsat: " + ref);
        CliRun r = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode o = r.json();
        assertEquals("unsat", o.get("result").asText());
        assertTrue(o.get("counterexample").isNull());
        JsonNode t = o.get("terms").get(0);
        assertEquals("unsat", t.get("result").asText());
        Rational upper = q(t.get("marginUpper"));
        assertTrue(upper.signum() < 0 && upper.compareTo(ref) >= 0, "sound bound " + upper + " vs the true max " + ref);
        assertEquals("branch-and-bound", o.get("certificate").get("kind").asText());
        assertEquals(0, o.get("certificate").get("searches").get(0).get("term").asInt());
        CliRun h = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString());
        assertEquals(0, h.status());
        assertTrue(h.out().startsWith("unsat\n"), h.out());
        // unit splits only: the same answer, a sound bound again
        CliRun u = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--input-splits", "0", "--json");
        assertEquals(0, u.status(), u.err());
        Rational up0 = q(u.json().get("terms").get(0).get("marginUpper"));
        assertTrue(up0.signum() < 0 && up0.compareTo(ref) >= 0);
    }

    @Test
    void satPrintsAnExactCounterexample() {
        CliRun r = CliRun.of("verify", MODEL.toString(), "--spec", SAT.toString(), "--json", "--no-certificate");
        assertEquals(3, r.status(), r.err());
        JsonNode o = r.json();
        assertEquals("sat", o.get("result").asText());
        JsonNode cx = o.get("counterexample");
        Rational[] x = {q(cx.get("x").get(0)), q(cx.get("x").get(1))};
        Model m = IrReader.read(MODEL);
        Rational[] y = ExactForward.eval(m, x);
        assertEquals(y[0].toString(), cx.get("y").get(0).asText());
        assertEquals(y[1].toString(), cx.get("y").get(1).asText());
        // the property, read by hand: x in box 0 ([1/4,1]^2) or box 1 ([0,1] x [-1/2,1/4]), and
        // (Y_0 >= Y_1 and Y_1 >= 1/10) or Y_0 <= -1
        boolean box0 = x[0].compareTo(Rational.of(1, 4)) >= 0 && x[0].compareTo(Rational.ONE) <= 0
                && x[1].compareTo(Rational.of(1, 4)) >= 0 && x[1].compareTo(Rational.ONE) <= 0;
        boolean box1 = x[0].signum() >= 0 && x[0].compareTo(Rational.ONE) <= 0
                && x[1].compareTo(Rational.of(-1, 2)) >= 0 && x[1].compareTo(Rational.of(1, 4)) <= 0;
        boolean out = (y[0].compareTo(y[1]) >= 0 && y[1].compareTo(Rational.of(1, 10)) >= 0) || y[0].compareTo(Rational.MINUS_ONE) <= 0;
        assertTrue((box0 || box1) && out, "a real counterexample");
        assertTrue(q(cx.get("margin")).signum() >= 0);
        assertEquals(4, o.get("terms").size());
        assertEquals(2, o.get("boxes").size());
        assertEquals("1/4", o.get("boxes").get(0).get("lower").get(0).asText());
        assertTrue(o.get("certificate") == null);
        String by = o.get("terms").get(o.get("counterexample").get("term").asInt()).get("by").asText();
        assertTrue(by.equals("attack") || by.equals("branch-and-bound"), by);
        // the branch and bound alone finds one too, with its search tree
        CliRun b = CliRun.of("verify", MODEL.toString(), "--spec", SAT.toString(), "--json", "--no-attack");
        assertEquals(3, b.status(), b.err());
        JsonNode bj = b.json();
        int term = bj.get("counterexample").get("term").asInt();
        assertEquals("branch-and-bound", bj.get("terms").get(term).get("by").asText());
        assertEquals(term, bj.get("certificate").get("searches").get(term).get("term").asInt());
        CliRun h = CliRun.of("verify", MODEL.toString(), "--spec", SAT.toString());
        assertEquals(3, h.status());
        assertTrue(h.out().startsWith("sat\ncounterexample"), h.out());
    }

    @Test
    void vnnCompResultFiles(@TempDir Path dir) throws IOException {
        Path sat = dir.resolve("sat.txt");
        CliRun r = CliRun.of("verify", MODEL.toString(), "--spec", SAT.toString(), "--result", sat.toString(), "--json");
        assertEquals(3, r.status(), r.err());
        JsonNode cx = r.json().get("counterexample");
        String[] lines = Files.readString(sat).split("\n");
        assertEquals("sat", lines[0]);
        assertEquals(5, lines.length);
        // ((X_0 v) ... (Y_1 v)): the decimals round the exact values of the JSON
        assertTrue(lines[1].startsWith("((X_0 ") && lines[4].startsWith(" (Y_1 ") && lines[4].endsWith("))"), String.join("|", lines));
        String y1 = lines[4].substring(6, lines[4].length() - 2);
        assertEquals(q(cx.get("y").get(1)).doubleValue(), Double.parseDouble(y1), 1e-15);
        Path unsat = dir.resolve("unsat.txt");
        assertEquals(0, CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--result", unsat.toString()).status());
        assertEquals("unsat\n", Files.readString(unsat));
        Path unknown = dir.resolve("unknown.txt");
        assertEquals(4, CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--max-nodes", "1", "--result", unknown.toString()).status());
        assertEquals("unknown\n", Files.readString(unknown));
        Path timeout = dir.resolve("timeout.txt");
        assertEquals(4, CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--timeout", "1e-9", "--result", timeout.toString()).status());
        assertEquals("timeout\n", Files.readString(timeout));
    }

    @Test
    void aLimitGivesUnknownWithSoundBounds() {
        Rational ref = referenceMax();
        CliRun r = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--max-nodes", "1", "--json");
        assertEquals(4, r.status(), r.err());
        JsonNode o = r.json();
        assertEquals("unknown", o.get("result").asText());
        JsonNode t = o.get("terms").get(0);
        assertEquals("unknown", t.get("result").asText());
        assertTrue(q(t.get("marginUpper")).compareTo(ref) >= 0);
        assertTrue(q(t.get("marginLower")).compareTo(ref) <= 0);
        assertEquals("open", o.get("certificate").get("searches").get(0).get("root").get("status").asText());
        CliRun h = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--timeout", "1e-9");
        assertEquals(4, h.status(), h.err());   // the deadline has passed when the search loop first looks
    }

    @Test
    void userErrorsAreCodedWithLineAndColumn(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.vnnlib");
        Files.writeString(bad, "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(assert (<= X_0 0.5)\n");
        CliRun p = CliRun.of("verify", MODEL.toString(), "--spec", bad.toString());
        assertEquals(2, p.status());
        assertTrue(p.err().contains("error[SPEC_PARSE]: unclosed '(' (the text ends first) at 3:1"), p.err());
        CliRun pj = CliRun.of("verify", MODEL.toString(), "--spec", bad.toString(), "--json");
        assertEquals("SPEC_PARSE", pj.code());
        assertEquals(3, pj.json().get("error").get("line").asInt());
        assertEquals(1, pj.json().get("error").get("column").asInt());

        Path beyond = dir.resolve("beyond.vnnlib");
        Files.writeString(beyond, "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_2 Real)\n");
        CliRun u = CliRun.of("verify", MODEL.toString(), "--spec", beyond.toString());
        assertEquals(2, u.status());
        assertTrue(u.err().contains("error[SPEC_UNSUPPORTED]: Y_2 is beyond the model's 2 outputs (Y_0..Y_1) at 3:16"), u.err());

        Path mixed = dir.resolve("mixed.vnnlib");
        Files.writeString(mixed, "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (and (<= X_0 1) (>= X_0 0) (<= X_1 1) (>= X_1 0)))\n(assert (<= (* X_0 Y_0) 1))\n");
        CliRun mx = CliRun.of("verify", MODEL.toString(), "--spec", mixed.toString(), "--json");
        assertEquals(2, mx.status());
        assertEquals("SPEC_UNSUPPORTED", mx.code());

        Path fixed = dir.resolve("fixed.vnnlib");
        Files.writeString(fixed, "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (and (<= X_0 1) (>= X_0 1) (<= X_1 1) (>= X_1 0)))\n(assert (<= Y_0 1))\n");
        // a fixed input is folded into the model: decided, and a counterexample keeps X_0 = 1
        CliRun fx = CliRun.of("verify", MODEL.toString(), "--spec", fixed.toString(), "--json");
        assertTrue(fx.status() == 0 || fx.status() == 3, fx.err());
        Model m = IrReader.read(MODEL);
        if (fx.status() == 3) {
            JsonNode x = fx.json().get("counterexample").get("x");
            assertEquals("1", x.get(0).asText());
            Rational[] pt = {Rational.ONE, q(x.get(1))};
            assertTrue(ExactForward.eval(m, pt)[0].compareTo(Rational.ONE) <= 0);
        } else {
            for (Rational x1 : new Rational[]{Rational.ZERO, Rational.HALF, Rational.ONE}) {
                assertTrue(ExactForward.eval(m, new Rational[]{Rational.ONE, x1})[0].compareTo(Rational.ONE) > 0);
            }
        }

        CliRun none = CliRun.of("verify", MODEL.toString(), "--json");
        assertEquals(2, none.status());
        assertEquals("USAGE", none.code());
        CliRun missing = CliRun.of("verify", MODEL.toString(), "--spec", dir.resolve("nope.vnnlib").toString(), "--json");
        assertEquals(2, missing.status());
        assertEquals("IR_IO", missing.code());
        CliRun splits = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--input-splits", "-1", "--json");
        assertEquals(2, splits.status());
        assertEquals("USAGE", splits.code());
        CliRun timeout = CliRun.of("verify", MODEL.toString(), "--spec", UNSAT.toString(), "--timeout", "0", "--json");
        assertEquals(2, timeout.status());
        assertEquals("USAGE", timeout.code());
    }
}
