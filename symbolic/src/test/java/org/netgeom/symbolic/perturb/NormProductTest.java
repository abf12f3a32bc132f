package org.netgeom.symbolic.perturb;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.RandomNets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NormProduct}: the product of layer norms is never below the exact region-based constant
 * ({@link Lipschitz}) on 24 seeded nets (MLPs with relu, leaky relu and abs, residual, concat,
 * conv2d with max and average pooling), equals it for one affine layer, and equals the product of
 * this test's own row sums, column sums and closed-form singular values where they are simple.
 */
class NormProductTest {
    private static Domain box(int n, Rational lo, Rational hi) {
        Rational[] l = new Rational[n];
        Rational[] h = new Rational[n];
        Arrays.fill(l, lo);
        Arrays.fill(h, hi);
        return Domain.box(l, h);
    }

    static List<Object[]> nets() {
        List<Object[]> cases = new ArrayList<>();
        String[] acts = {"relu", "leaky_relu", "abs"};
        for (int s = 0; s < 12; s++) {
            int[] widths = s % 3 == 0 ? new int[]{5} : s % 3 == 1 ? new int[]{4, 4} : new int[]{3, 4, 3};
            cases.add(new Object[]{"mlp seed " + s, RandomNets.mlp(100 + s, 2 + s % 2, widths, 1 + s % 3, acts[s % 3], 4),
                    box(2 + s % 2, Rational.of(-1), Rational.ONE)});
        }
        for (int s = 0; s < 4; s++) {
            SplittableRandom r = new SplittableRandom(200 + s);
            cases.add(new Object[]{"residual seed " + s, new Model("res", Shape.of(2), List.of(RandomNets.dense(r, 2, 3, 4),
                    Layer.AbRelu.relu(null), new Layer.Residual("b", List.of(RandomNets.dense(r, 3, 3, 4), Layer.AbRelu.relu(null)),
                            s % 2 == 0 ? null : List.of(RandomNets.dense(r, 3, 3, 4))), RandomNets.dense(r, 3, 2, 4))),
                    box(2, Rational.of(-1), Rational.ONE)});
        }
        for (int s = 0; s < 4; s++) {
            SplittableRandom r = new SplittableRandom(300 + s);
            cases.add(new Object[]{"concat seed " + s, new Model("cat", Shape.of(2), List.of(RandomNets.dense(r, 2, 3, 4),
                    Layer.AbRelu.relu(null), new Layer.Concat("c", List.of(RandomNets.dense(r, 3, 2, 4), Layer.AbRelu.abs(null))),
                    RandomNets.dense(r, 5, 2, 4))), box(2, Rational.of(-1), Rational.ONE)});
        }
        for (int s = 0; s < 4; s++) {
            SplittableRandom r = new SplittableRandom(400 + s);
            Rational[] w = new Rational[8];
            for (int i = 0; i < w.length; i++) {
                w[i] = Rational.of(r.nextInt(-4, 5), 4);
            }
            Layer pool = s % 2 == 0 ? new Layer.MaxPool2d(null, new Layer.Hw(2, 2), new Layer.Hw(1, 1))
                    : new Layer.AvgPool2d(null, new Layer.Hw(2, 2), new Layer.Hw(1, 1));
            // [1, 3, 3] -> conv 2x2 (2 channels) -> [2, 2, 2] -> relu -> pool 2x2 stride 1 (overlapping) -> [2, 1, 1]
            cases.add(new Object[]{"conv+" + pool.op() + " seed " + s, new Model("conv", Shape.of(1, 3, 3), List.of(
                    new Layer.Conv2d("c", Tensor.of(Shape.of(2, 1, 2, 2), w), Tensor.vector(Rational.of(1, 8), Rational.of(-1, 4)),
                            Layer.Hw.of(1), Layer.Hw.of(0)), Layer.AbRelu.relu(null), pool, new Layer.Flatten(null),
                    RandomNets.dense(r, 2, 2, 4))), box(9, Rational.ZERO, Rational.ONE)});
        }
        return cases;
    }

    @Test
    void theProductIsNeverBelowTheExactConstant() {
        List<Object[]> cases = nets();
        assertTrue(cases.size() >= 20);
        int strict = 0;
        for (Object[] c : cases) {
            Model m = (Model) c[1];
            Lipschitz.Result exact = Lipschitz.compute(m, (Domain) c[2], Options.defaults());
            NormProduct.Result p = NormProduct.of(m);
            String name = (String) c[0];
            assertTrue(p.linf().compareTo(exact.linf()) >= 0, name + ": l-inf product " + p.linf() + " < exact " + exact.linf());
            assertTrue(p.l1().compareTo(exact.l1()) >= 0, name + ": l1 product " + p.l1() + " < exact " + exact.l1());
            // l2: both are certified reals; the difference is decided by refinement (0 = equal to 2^-512)
            int sign = p.l2().subtract(exact.l2()).signum(512);
            assertTrue(sign >= 0, name + ": l2 product " + p.l2().decimal(12) + " < exact " + exact.l2().decimal(12));
            strict += p.linf().compareTo(exact.linf()) > 0 ? 1 : 0;
        }
        assertTrue(strict >= cases.size() / 2, "the product is loose on most nets (" + strict + " of " + cases.size() + ")");
    }

    @Test
    void oneAffineLayerIsExactAndMlpFactorsAreTheWeightNorms() {
        // y = W x: the exact constant over any box is ‖W‖, so is the product
        Rational[][] w = {{Rational.of(3), Rational.of(-4)}, {Rational.ZERO, Rational.of(5)}};
        Model one = new Model("w", Shape.of(2), List.of(new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(Rational.ONE, Rational.ZERO))));
        NormProduct.Result p = NormProduct.of(one);
        assertEquals(Rational.of(7), p.linf(), "max row sum |3| + |-4|");
        assertEquals(Rational.of(9), p.l1(), "max column sum |-4| + |5|");
        // WᵀW = [[9, -12], [-12, 41]]: trace 50, det 225, eigenvalues 25 ± √(625 − 225) = 45 and 5, so σ₁ = √45
        assertEquals(0, p.l2().subtract(CReal.sqrt(CReal.of(Rational.of(45)))).signum(512));
        Lipschitz.Result exact = Lipschitz.compute(one, box(2, Rational.of(-1), Rational.ONE), Options.defaults());
        assertEquals(exact.linf(), p.linf());
        assertEquals(exact.l1(), p.l1());
        assertEquals(0, p.l2().subtract(exact.l2()).signum(512));
        // an MLP: the product of this test's own row sums times the activations' constants (leaky 1/10 -> 1)
        Model mlp = RandomNets.mlp(9, 3, new int[]{4, 4}, 2, "leaky_relu", 4);
        Rational prod = Rational.ONE;
        Rational cols = Rational.ONE;
        for (Layer l : mlp.layers()) {
            if (l instanceof Layer.Dense d) {
                Rational best = Rational.ZERO;
                Rational bestCol = Rational.ZERO;
                int rows = d.weight().shape().dim(0);
                int cs = d.weight().shape().dim(1);
                for (int i = 0; i < rows; i++) {
                    Rational s = Rational.ZERO;
                    for (Rational x : d.weight().row(i)) {
                        s = s.add(x.abs());
                    }
                    best = best.max(s);
                }
                for (int j = 0; j < cs; j++) {
                    Rational s = Rational.ZERO;
                    for (int i = 0; i < rows; i++) {
                        s = s.add(d.weight().row(i)[j].abs());
                    }
                    bestCol = bestCol.max(s);
                }
                prod = prod.multiply(best);
                cols = cols.multiply(bestCol);
            }
        }
        assertEquals(prod, NormProduct.of(mlp).linf());
        assertEquals(cols, NormProduct.of(mlp).l1());
        assertEquals(5, NormProduct.of(mlp).factors().size(), "one factor per top-level layer");
    }

    @Test
    void smoothOpsAreRefused() {
        Model tanh = new Model("t", Shape.of(1), List.of(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}}),
                Tensor.vector(Rational.ZERO)), new Layer.Smooth(null, Layer.Smooth.Fn.TANH)));
        org.netgeom.ir.NetgeomException e = org.junit.jupiter.api.Assertions.assertThrows(org.netgeom.ir.NetgeomException.class,
                () -> NormProduct.of(tanh));
        assertEquals(org.netgeom.symbolic.SymbolicError.NOT_PIECEWISE_LINEAR, e.code());
    }

    @Test
    void maxPoolOverlapCountsTheWindowsSharingAnInput() {
        assertEquals(4, NormProduct.maxOverlap(Shape.of(1, 3, 3), new Layer.Hw(2, 2), new Layer.Hw(1, 1)));
        assertEquals(1, NormProduct.maxOverlap(Shape.of(1, 4, 4), new Layer.Hw(2, 2), new Layer.Hw(2, 2)));
        assertEquals(2, NormProduct.maxOverlap(Shape.of(1, 1, 5), new Layer.Hw(1, 3), new Layer.Hw(1, 2)));
    }
}
