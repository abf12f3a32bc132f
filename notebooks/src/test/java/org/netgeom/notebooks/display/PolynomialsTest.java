package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exact polynomial text, written out by hand. */
class PolynomialsTest {
    static Rational q(String s) {
        return Rational.parse(s);
    }

    @Test
    void linePiecesAsTheCommandLinePrintsThem() {
        // docs/loss-surface.md's pieces along the bias of tent2's last layer
        assertEquals("13/64 + 1/8 t + 1/4 t^2", Polynomials.univariate(new Rational[]{q("13/64"), q("1/8"), q("1/4")}, "t"));
        assertEquals("1/32 + t^2", Polynomials.univariate(new Rational[]{q("1/32"), q("0"), q("1")}, "t"));
        assertEquals("-t", Polynomials.univariate(new Rational[]{q("0"), q("-1"), q("0")}, "t"));
        assertEquals("0", Polynomials.univariate(new Rational[]{q("0")}, "t"));
    }

    @Test
    void aQuadraticExpanded() {
        // 1/2 [a b] [[1, -1/2], [-1/2, 4]] [a b]^T + (-1, 0)·(a, b) + 3 = 3 - a + 1/2 a^2 - 1/2 a b + 2 b^2
        Rational[][] h = {{q("1"), q("-1/2")}, {q("-1/2"), q("4")}};
        assertEquals("3 - a + 1/2 a^2 - 1/2 a b + 2 b^2", Polynomials.quadratic(h, new Rational[]{q("-1"), q("0")}, q("3"), List.of("a", "b")));
        assertEquals("3 - a + \\frac{1}{2} a^2 - \\frac{1}{2} a b + 2 b^2",
                Polynomials.quadraticLatex(h, new Rational[]{q("-1"), q("0")}, q("3"), List.of("a", "b")));
        assertEquals("1/4 + 2 w - v", Polynomials.linear(new Rational[]{q("2"), q("-1")}, q("1/4"), List.of("w", "v")));
    }
}
