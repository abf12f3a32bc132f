package org.netgeom.symbolic.kernels;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels' φ'(0) follows the IR's convention (docs/ir.md, "Kinks"; confirmed against torch's
 * autograd in numeric's KinkConventionTest): relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0,
 * abrelu'(0) = neg. It used to give 0 for abrelu.
 */
class KinkTest {
    @Test
    void derivativeAtTheKink() {
        assertEquals(0.0, Activation.of(Layer.AbRelu.relu(null)).derivative(0.0));
        assertEquals(0.1, Activation.of(Layer.AbRelu.leakyRelu(null, Rational.of(1, 10))).derivative(0.0));
        assertEquals(0.0, Activation.of(Layer.AbRelu.abs(null)).derivative(0.0));
        assertEquals(0.5, Activation.of(Layer.AbRelu.abrelu(null, Rational.of(1, 2), Rational.of(2))).derivative(0.0));
        assertEquals(-3.0, Activation.of(Layer.AbRelu.abrelu(null, Rational.of(-3), Rational.of(1, 4))).derivative(0.0));
    }
}
