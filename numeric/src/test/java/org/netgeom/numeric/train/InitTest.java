package org.netgeom.numeric.train;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.ParamLayout;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The initialisers' distributions (moments of 200·300 draws against their closed forms) and seeding. */
class InitTest {
    static Net wide() {
        return Net.of(new Model("w", Shape.of(300), List.of(
                new Layer.Dense(null, Tensor.ofDoubles(Shape.of(200, 300), new double[60000]), Tensor.ofDoubles(Shape.of(200), new double[200])),
                new Layer.BatchNorm(null, Tensor.ofDoubles(Shape.of(200), new double[200]), Tensor.ofDoubles(Shape.of(200), new double[200]),
                        Tensor.ofDoubles(Shape.of(200), new double[200]), Tensor.ofDoubles(Shape.of(200), new double[200]),
                        Layer.BatchNorm.DEFAULT_EPS))));
    }

    static double[] slice(Net n, String name) {
        for (ParamLayout.Entry e : n.layout().params()) {
            if (e.name().equals(name)) {
                return Arrays.copyOfRange(n.params(), e.offset(), e.offset() + e.size());
            }
        }
        throw new AssertionError(name);
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    static double var(double[] a) {
        double m = mean(a);
        return Arrays.stream(a).map(v -> (v - m) * (v - m)).sum() / a.length;
    }

    @Test
    void torchDefaultIsUniformInTheFanInBound() {
        Net n = wide();
        Init.TORCH.apply(n, 1, 1, 0);
        double b = 1 / Math.sqrt(300);
        double[] w = slice(n, "layers.0.weight");
        assertTrue(Arrays.stream(w).allMatch(v -> Math.abs(v) <= b));
        assertTrue(Arrays.stream(slice(n, "layers.0.bias")).allMatch(v -> Math.abs(v) <= b));
        assertEquals(0, mean(w), 3 * b / Math.sqrt(3 * w.length));
        assertEquals(b * b / 3, var(w), 0.02 * b * b / 3, "U(−b, b) has variance b²/3");
        assertArrayEquals(new double[200], Arrays.stream(n.buffers()).limit(200).toArray(), "running mean reset to 0");
        assertTrue(Arrays.stream(slice(n, "layers.1.weight")).allMatch(v -> v == 1), "batchnorm weight reset to 1");
    }

    @Test
    void kaimingAndNtkHaveTheirVariances() {
        Net k = wide();
        Init.KAIMING.apply(k, 2, 1, 0);
        assertEquals(2.0 / 300, var(slice(k, "layers.0.weight")), 0.02 * 2 / 300);
        assertTrue(Arrays.stream(slice(k, "layers.0.bias")).allMatch(v -> v == 0));
        Net t = wide();
        Init.NTK.apply(t, 3, 1.5, 0.2);
        assertEquals(1.5 * 1.5 / 300, var(slice(t, "layers.0.weight")), 0.02 * 2.25 / 300);
        assertEquals(0.04, var(slice(t, "layers.0.bias")), 0.2 * 0.04, "200 draws of N(0, 0.2²)");
    }

    @Test
    void seededAndKeepLeavesTheFile() {
        Net a = Net.of(TestNets.cnn(1));
        Net b = Net.of(TestNets.cnn(1));
        Net c = Net.of(TestNets.cnn(1));
        double[] file = a.params().clone();
        Init.KEEP.apply(a, 5, 1, 0);
        assertArrayEquals(file, a.params());
        Init.TORCH.apply(b, 5, 1, 0);
        Init.TORCH.apply(c, 5, 1, 0);
        assertArrayEquals(b.params(), c.params());
        Init.TORCH.apply(c, 6, 1, 0);
        assertFalse(Arrays.equals(b.params(), c.params()));
    }
}
