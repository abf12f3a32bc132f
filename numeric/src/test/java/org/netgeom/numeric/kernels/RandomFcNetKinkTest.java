package org.netgeom.numeric.kernels;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernel sampler's φ'(0) follows the IR's convention (docs/ir.md, "Kinks"; the same values
 * are confirmed against torch's autograd in KinkConventionTest): it used to give 0 for abrelu,
 * where the engines and the torch module give neg.
 */
class RandomFcNetKinkTest {
    @Test
    void derivativeAtTheKink() {
        assertEquals(0.0, RandomFcNet.activation(Layer.AbRelu.relu(null), 0.0, 1));
        assertEquals(0.1, RandomFcNet.activation(Layer.AbRelu.leakyRelu(null, Rational.of(1, 10)), 0.0, 1));
        assertEquals(0.0, RandomFcNet.activation(Layer.AbRelu.abs(null), 0.0, 1));
        assertEquals(0.5, RandomFcNet.activation(Layer.AbRelu.abrelu(null, Rational.of(1, 2), Rational.of(2)), 0.0, 1));
        assertEquals(-3.0, RandomFcNet.activation(Layer.AbRelu.abrelu(null, Rational.of(-3), Rational.of(1, 4)), 0.0, 1));
        assertEquals(2.0, RandomFcNet.activation(Layer.AbRelu.abrelu(null, Rational.of(1, 2), Rational.of(2)), 1e-300, 1));
    }
}
