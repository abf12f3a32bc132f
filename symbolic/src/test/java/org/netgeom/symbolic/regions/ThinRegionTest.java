package org.netgeom.symbolic.regions;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regions far thinner than 1e-4 are found like any other (no tolerance decides anything):
 * a strip between two parallel lines 10^-14 apart, a sliver wedge of angle ~10^-8 in 2-D, an
 * interval of length 10^-12 in 1-D; checked against the brute-force reference and by the exact
 * forward pass at their witnesses. The float64 run of the same search, by contrast, merges the
 * lines of the strip.
 */
class ThinRegionTest {
    private static final String STRIP = """
            {"netgeom": 1, "input": [2], "layers": [
             {"op": "dense", "weight": [[1, -1], [1, -1], [1, 1], ["1", "1.00000001"]],
              "bias": [0, "-1e-14", "1/3", "1/3"]},
             {"op": "relu"},
             {"op": "dense", "weight": [[1, -2, 3, -1]], "bias": [0]}]}""";

    @Test
    void stripAndSliverIn2d() {
        Model m = TestNets.json(STRIP);
        Rational[] lo = {Rational.MINUS_ONE, Rational.MINUS_ONE};
        Rational[] hi = {Rational.ONE, Rational.ONE};
        RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
        Map<String, Rational[][]> ref = BruteForceRef.regions(m, BruteForceRef.rows(AffineMap.identity(2)), lo, hi, List.of());
        TreeSet<String> got = new TreeSet<>();
        for (Region r : rs.regions()) {
            got.add(r.pattern());
            ExactForward.Result f = ExactForward.run(m, r.witness());
            assertEquals(r.pattern(), f.pattern());
            assertTrue(!f.onKink());
        }
        assertEquals(new TreeSet<>(ref.keySet()), got);
        // the strip 0 < x - y < 1e-9 (pattern 10..): its polygon is that thin
        Region strip = rs.regions().stream().filter(r -> r.pattern().startsWith("10")).findFirst().orElseThrow();
        Rational width = Rational.ZERO;
        for (Rational[] v : strip.vertices()) {
            Rational d = v[0].subtract(v[1]).abs();
            width = width.max(d);
        }
        assertTrue(width.compareTo(Rational.parse("1e-14")) <= 0, "the strip is at most 1e-14 wide in x - y");
        // the sliver between x + y = -1/3 and x + 1.00000001 y = -1/3 (they cross at (-1/3, 0))
        long sliver = rs.regions().stream().filter(r -> r.pattern().substring(2).equals("10")
                || r.pattern().substring(2).equals("01")).count();
        assertTrue(sliver >= 1, "the sliver wedge between the two nearly equal lines");
        // float64: the strip's two lines are merged by the tolerance, so it finds fewer regions
        RegionSet f64 = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults().withArithmetic(Options.Arithmetic.FLOAT64));
        assertTrue(f64.activationRegions() < rs.activationRegions(), "float64 loses thin regions ("
                + f64.activationRegions() + " vs " + rs.activationRegions() + ")");
    }

    @Test
    void tinyIntervalIn1d() {
        Model m = TestNets.json("""
                {"netgeom": 1, "input": [1], "layers": [
                 {"op": "dense", "weight": [[1], [1]], "bias": ["-1/3", "-0.333333333334"]},
                 {"op": "abs"},
                 {"op": "dense", "weight": [[1, 1]], "bias": [0]}]}""");
        RegionSet rs = Regions.enumerate(m, Domain.box(new Rational[]{Rational.ZERO}, new Rational[]{Rational.ONE}), Options.defaults());
        assertEquals(3, rs.activationRegions());
        Region mid = rs.regions().stream().filter(r -> r.pattern().equals("10")).findFirst().orElseThrow();
        List<Rational[]> v = mid.vertices();
        Rational len = v.get(0)[0].subtract(v.get(1)[0]).abs();
        assertEquals(Rational.parse("0.333333333334").subtract(Rational.of(1, 3)), len, "the middle interval, exactly");
        assertTrue(len.compareTo(Rational.parse("1e-12")) < 0);
        assertEquals("10", ExactForward.run(m, mid.witness()).pattern());
    }
}
