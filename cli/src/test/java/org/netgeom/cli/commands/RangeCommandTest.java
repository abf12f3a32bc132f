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
}
