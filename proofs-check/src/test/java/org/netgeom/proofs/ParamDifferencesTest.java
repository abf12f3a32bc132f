package org.netgeom.proofs;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactJacobian;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The forward-difference Jacobian against hand-derived derivatives, and the backpropagated
 * vector-Jacobian product (what pl-star uses for grad L) against it: two different engines.
 */
class ParamDifferencesTest {
    private static Rational q(long n) {
        return Rational.of(n);
    }

    /** f(x) = a relu(w x + b) + c with w = 2, b = -1, a = 3, c = 1/2; and a second, dead unit (weight 1, bias -5). */
    private static Model net() {
        return new Model("hand", Shape.of(1), List.of(
                new Layer.Dense(null, Tensor.matrix(new Rational[][]{{q(2)}, {q(1)}}), Tensor.vector(q(-1), q(-5))),
                Layer.AbRelu.relu(null),
                new Layer.Dense(null, Tensor.matrix(new Rational[][]{{q(3), q(7)}}), Tensor.vector(Rational.HALF))));
    }

    @Test
    void handDerivedDerivatives() {
        // at x = 1: z = (1, -4), unit 0 on, unit 1 off; df/dw = (a x, 0), df/db = (a, 0), df/da = (relu z) = (1, 0), df/dc = 1
        Rational[][] j = ParamDifferences.jacobian(net(), new Rational[]{q(1)});
        assertArrayEquals(new Rational[]{q(3), q(0), q(3), q(0), q(1), q(0), q(1)}, j[0]);
        Rational[][] dx = ParamDifferences.inputJacobian(net(), new Rational[]{q(1)});
        assertArrayEquals(new Rational[]{q(6)}, dx[0]);
    }

    @Test
    void onAKinkThereIsNoDerivative() {
        assertNull(ParamDifferences.jacobian(net(), new Rational[]{Rational.HALF}));
    }

    @Test
    void backpropMatchesForwardDifferences() {
        Rational[] x = {Rational.of(7, 4)};
        Rational[] seed = {Rational.of(-5, 3)};
        Rational[] g = ExactJacobian.vjp(net(), x, seed);
        Rational[][] j = ParamDifferences.jacobian(net(), x);
        Rational[] want = new Rational[j[0].length];
        for (int i = 0; i < want.length; i++) {
            want[i] = j[0][i].multiply(seed[0]);
        }
        assertArrayEquals(want, g);
    }
}
