package org.netgeom.symbolic.regions;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The BigInteger paths: weights that are doubles (exact binary values with denominators up to
 * 2^60) overflow the long fast path within a layer or two; the regions still match the brute
 * force and the exact forward pass. And completeness by measure: the exact areas of the 2-D
 * regions (shoelace on their exact vertices) sum to the area of the domain.
 */
class ExactnessPathsTest {
    static Model doubleWeights(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> ls = new java.util.ArrayList<>();
        int in = 2;
        for (int w : new int[]{4, 3}) {
            ls.add(denseDoubles(r, in, w));
            ls.add(Layer.AbRelu.leakyRelu(null, Rational.fromDouble(0.01)));
            in = w;
        }
        ls.add(denseDoubles(r, in, 1));
        return new Model("doubles", Shape.of(2), ls);
    }

    static Layer denseDoubles(SplittableRandom r, int in, int out) {
        double[] w = new double[out * in];
        double[] b = new double[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 0.3 * r.nextGaussian();
        }
        return new Layer.Dense(null, Tensor.ofDoubles(Shape.of(out, in), w), Tensor.ofDoubles(Shape.of(out), b));
    }

    @Test
    void doubleWeightsMatchBruteForce() {
        for (long seed : new long[]{1, 2, 3}) {
            Model m = doubleWeights(seed);
            Rational[] lo = {Rational.of(-2), Rational.of(-2)};
            Rational[] hi = {Rational.of(2), Rational.of(2)};
            RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
            Map<String, Rational[][]> ref = BruteForceRef.regions(m, BruteForceRef.rows(AffineMap.identity(2)), lo, hi, List.of());
            TreeSet<String> got = new TreeSet<>();
            for (Region reg : rs.regions()) {
                got.add(reg.pattern());
                assertEquals(true, java.util.Arrays.deepEquals(ref.get(reg.pattern()), BruteForceRef.rows(reg.map())));
                ExactForward.Result f = ExactForward.run(m, reg.witness());
                assertEquals(reg.pattern(), f.pattern());
                assertArrayEquals(f.output(), reg.map().apply(reg.witness()));
            }
            assertEquals(new TreeSet<>(ref.keySet()), got);
            assertEquals(area(lo, hi), totalArea(rs), "the regions tile the box");
        }
    }

    @Test
    void areasOfRandomNetsSumToTheBox() {
        for (long seed = 1; seed <= 5; seed++) {
            Model m = RandomNets.mlp(seed, 2, new int[]{8, 8, 8}, 1, seed % 2 == 0 ? "abs" : "relu", 16);
            Rational[] lo = {Rational.MINUS_ONE, Rational.of(-1, 2)};
            Rational[] hi = {Rational.ONE, Rational.of(3, 4)};
            RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
            assertEquals(area(lo, hi), totalArea(rs));
            // the streaming form visits the same regions with the same maps
            java.util.Map<String, AffineMap> streamed = new java.util.HashMap<>();
            Regions.forEach(m, AffineMap.identity(2), Domain.box(lo, hi), Options.defaults(), r -> streamed.put(r.pattern(), r.map()));
            assertEquals(rs.activationRegions(), streamed.size());
            for (Region r : rs.regions()) {
                assertEquals(r.map(), streamed.get(r.pattern()));
            }
        }
    }

    static Rational area(Rational[] lo, Rational[] hi) {
        return hi[0].subtract(lo[0]).multiply(hi[1].subtract(lo[1]));
    }

    static Rational totalArea(RegionSet rs) {
        Rational s = Rational.ZERO;
        for (Region r : rs.regions()) {
            List<Rational[]> v = r.vertices();
            Rational a = Rational.ZERO;
            for (int i = 0; i < v.size(); i++) {
                Rational[] p = v.get(i);
                Rational[] q = v.get((i + 1) % v.size());
                a = a.add(p[0].multiply(q[1]).subtract(q[0].multiply(p[1])));
            }
            s = s.add(a.divide(Rational.TWO));
        }
        return s;
    }
}
