package org.netgeom.numeric.torch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.engine.Net;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The derivative of the relu family at its kink (pre-activation exactly 0), the one convention of
 * docs/ir.md ("Kinks"), PyTorch's: relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0 (sign(0)),
 * abrelu'(0) = neg ({@code torch.where(x > 0, pos·x, neg·x)}). The expected values are stated here
 * from those definitions and confirmed by torch's autograd through the bridge; the Java engine's
 * Jacobian must give the same. (The engines once disagreed for abrelu: the kernel sampler gave 0.)
 */
class KinkConventionTest {
    static TorchEngine torch;

    @BeforeAll
    static void bridge() {
        torch = new TorchEngine(TorchEngine.Options.CPU64);
    }

    static Stream<Arguments> ops() {
        return Stream.of(
                Arguments.of(Layer.AbRelu.relu(null), 0.0),
                Arguments.of(Layer.AbRelu.leakyRelu(null, Rational.of(1, 10)), 0.1),
                Arguments.of(Layer.AbRelu.abs(null), 0.0),
                Arguments.of(Layer.AbRelu.abrelu(null, Rational.of(1, 2), Rational.of(2)), 0.5),
                Arguments.of(Layer.AbRelu.abrelu(null, Rational.of(-3), Rational.of(1, 4)), -3.0));
    }

    /** x ↦ 1·φ(1·x + 0): its derivative at x = 0 is φ'(0). */
    static Model scalarNet(Layer phi) {
        Layer.Dense in = new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}}), Tensor.vector(Rational.ZERO));
        Layer.Dense out = new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}}), null);
        return new Model("kink", Shape.of(1), List.of(in, phi, out));
    }

    @ParameterizedTest
    @MethodSource("ops")
    void javaEngineTorchAndTheStatedConventionAgreeAtZero(Layer.AbRelu phi, double expected) {
        Net net = Net.of(scalarNet(phi));
        double[] x = {0.0};
        double torchValue = torch.jacobian(net, x, 1, false)[0];
        assertEquals(expected, torchValue, 0.0, phi.op() + ": torch's autograd at 0");
        assertEquals(expected, net.jacobianInput(x, 1)[0], 0.0, phi.op() + ": Java engine at 0");
        assertEquals(expected, phi.slopeAtZero().rational().doubleValue(), 0.0, phi.op() + ": Layer.AbRelu.slopeAtZero");
        // off the kink the two sides are the slopes themselves
        assertEquals(phi.pos().rational().doubleValue(), net.jacobianInput(new double[]{0.25}, 1)[0], 0.0);
        assertEquals(phi.neg().rational().doubleValue(), net.jacobianInput(new double[]{-0.25}, 1)[0], 0.0);
    }

    static Stream<Arguments> hardtanhPoints() {
        // (x, stated derivative): PyTorch's hardtanh_backward passes the gradient only where min < x < max
        return Stream.of(Arguments.of(-0.5, 0.0), Arguments.of(0.75, 0.0), Arguments.of(0.0, 1.0), Arguments.of(-0.4999, 1.0),
                Arguments.of(-0.75, 0.0), Arguments.of(2.0, 0.0));
    }

    /** hardtanh on [−1/2, 3/4]: derivative 0 at both kinks and outside, 1 strictly inside; forward clamps. */
    @ParameterizedTest
    @MethodSource("hardtanhPoints")
    void hardtanhDerivativeIsZeroAtBothKinks(double x0, double expected) {
        Layer.HardTanh h = new Layer.HardTanh(null, Rational.of(-1, 2), Rational.of(3, 4));
        Net net = Net.of(scalarNet(h));
        double[] x = {x0};
        assertEquals(expected, torch.jacobian(net, x, 1, false)[0], 0.0, "torch's autograd at " + x0);
        assertEquals(expected, net.jacobianInput(x, 1)[0], 0.0, "Java engine at " + x0);
        assertEquals(expected, h.passes(Rational.of(new java.math.BigDecimal(x0))) ? 1.0 : 0.0, 0.0, "Layer.HardTanh.passes");
        double clamped = Math.min(0.75, Math.max(-0.5, x0));
        assertEquals(clamped, torch.forward(net, x, 1, false)[0], 0.0, "torch forward");
        assertEquals(clamped, net.forward(x, 1, false)[0], 0.0, "Java engine forward");
    }

    /** maxout k = 2 on (x, 2x − 1): at x = 1 the entries tie and the first maximum takes the gradient (1), as torch.max's index. */
    @org.junit.jupiter.api.Test
    void maxoutTieGoesToTheFirstMaximum() {
        Layer.Dense in = new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.TWO}}),
                Tensor.vector(Rational.ZERO, Rational.MINUS_ONE));
        Net net = Net.of(new Model("tie", Shape.of(1), List.of(in, new Layer.Maxout(null, 2))));
        for (double[] c : new double[][]{{1.0, 1.0}, {2.0, 2.0}, {0.0, 1.0}}) {
            double[] x = {c[0]};
            assertEquals(c[1], torch.jacobian(net, x, 1, false)[0], 0.0, "torch's autograd at " + c[0]);
            assertEquals(c[1], net.jacobianInput(x, 1)[0], 0.0, "Java engine at " + c[0]);
        }
    }
}
