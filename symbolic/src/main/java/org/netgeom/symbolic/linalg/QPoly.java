package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A univariate polynomial with exact rational coefficients, immutable; coefficients in ascending
 * degree, trailing zeros removed (the zero polynomial has none). Division, gcd, square-free
 * decomposition (Yun 1976, with modular gcds) are the exact tools behind {@link RealRoot}.
 */
public final class QPoly {
    /** The zero polynomial. */
    public static final QPoly ZERO = new QPoly(new Rational[0]);
    /** The constant 1. */
    public static final QPoly ONE = new QPoly(new Rational[]{Rational.ONE});
    /** The polynomial x. */
    public static final QPoly X = new QPoly(new Rational[]{Rational.ZERO, Rational.ONE});

    private final Rational[] c;
    private java.math.BigInteger[] ints;      // a positive multiple with integer coefficients, for signAt

    private QPoly(Rational[] coeffs) {
        int n = coeffs.length;
        while (n > 0 && coeffs[n - 1].isZero()) {
            n--;
        }
        this.c = n == coeffs.length ? coeffs : Arrays.copyOf(coeffs, n);
    }

    /** The polynomial Σ coeffs[i] xⁱ (copied). */
    public static QPoly of(Rational... coeffs) {
        return new QPoly(coeffs.clone());
    }

    /** The constant q. */
    public static QPoly constant(Rational q) {
        return new QPoly(new Rational[]{q});
    }

    /** x − r. */
    public static QPoly linear(Rational r) {
        return new QPoly(new Rational[]{r.negate(), Rational.ONE});
    }

    /** The degree; −1 for the zero polynomial. */
    public int degree() {
        return c.length - 1;
    }

    public boolean isZero() {
        return c.length == 0;
    }

    /** The coefficient of xⁱ (zero beyond the degree). */
    public Rational coeff(int i) {
        return i < c.length ? c[i] : Rational.ZERO;
    }

    /** All coefficients, ascending (a copy). */
    public Rational[] coeffs() {
        return c.clone();
    }

    /** The leading coefficient (zero for the zero polynomial). */
    public Rational lead() {
        return c.length == 0 ? Rational.ZERO : c[c.length - 1];
    }

    public QPoly add(QPoly o) {
        Rational[] r = new Rational[Math.max(c.length, o.c.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = coeff(i).add(o.coeff(i));
        }
        return new QPoly(r);
    }

    public QPoly subtract(QPoly o) {
        Rational[] r = new Rational[Math.max(c.length, o.c.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = coeff(i).subtract(o.coeff(i));
        }
        return new QPoly(r);
    }

    public QPoly multiply(QPoly o) {
        if (isZero() || o.isZero()) {
            return ZERO;
        }
        Rational[] r = new Rational[c.length + o.c.length - 1];
        Arrays.fill(r, Rational.ZERO);
        for (int i = 0; i < c.length; i++) {
            if (c[i].isZero()) {
                continue;
            }
            for (int j = 0; j < o.c.length; j++) {
                r[i + j] = r[i + j].add(c[i].multiply(o.c[j]));
            }
        }
        return new QPoly(r);
    }

    public QPoly scale(Rational q) {
        Rational[] r = new Rational[c.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = c[i].multiply(q);
        }
        return new QPoly(r);
    }

    public QPoly negate() {
        return scale(Rational.MINUS_ONE);
    }

    /** This divided by its leading coefficient (the zero polynomial stays zero). */
    public QPoly monic() {
        return isZero() || lead().isOne() ? this : scale(lead().reciprocal());
    }

    /** {quotient, remainder} of the division by {@code d} (non-zero). */
    public QPoly[] divide(QPoly d) {
        if (d.isZero()) {
            throw new ArithmeticException("division by the zero polynomial");
        }
        Rational[] r = c.clone();
        int dd = d.degree();
        if (degree() < dd) {
            return new QPoly[]{ZERO, this};
        }
        Rational[] q = new Rational[degree() - dd + 1];
        Rational inv = d.lead().reciprocal();
        for (int k = q.length - 1; k >= 0; k--) {
            Rational f = r[k + dd].multiply(inv);
            q[k] = f;
            if (!f.isZero()) {
                for (int j = 0; j <= dd; j++) {
                    r[k + j] = r[k + j].subtract(f.multiply(d.c[j]));
                }
            }
        }
        return new QPoly[]{new QPoly(q), new QPoly(Arrays.copyOf(r, dd))};
    }

    /** The remainder of the division by {@code d}. */
    public QPoly mod(QPoly d) {
        return divide(d)[1];
    }

    /** The exact quotient by a divisor (the remainder must be zero). */
    public QPoly exactDivide(QPoly d) {
        QPoly[] qr = divide(d);
        if (!qr[1].isZero()) {
            throw new ArithmeticException("not a divisor");
        }
        return qr[0];
    }

    /** The monic greatest common divisor (zero only when both are zero). */
    public static QPoly gcd(QPoly a, QPoly b) {
        while (!b.isZero()) {
            QPoly r = a.mod(b);
            a = b;
            b = r.isZero() ? r : r.monic();     // monic remainders keep coefficient growth down
        }
        return a.monic();
    }

    public QPoly derivative() {
        if (c.length <= 1) {
            return ZERO;
        }
        Rational[] r = new Rational[c.length - 1];
        for (int i = 1; i < c.length; i++) {
            r[i - 1] = c[i].multiply(i);
        }
        return new QPoly(r);
    }

    /** The value at x, by Horner's rule. */
    public Rational eval(Rational x) {
        Rational s = Rational.ZERO;
        for (int i = c.length - 1; i >= 0; i--) {
            s = s.multiply(x).add(c[i]);
        }
        return s;
    }

    /**
     * The sign of the value at x = a/b, in integer arithmetic: with P a positive integer multiple of
     * this polynomial, sign p(x) = sign Σ P_i a^i b^{n−i} (b &gt; 0), by homogeneous Horner (no gcds).
     */
    public int signAt(Rational x) {
        if (c.length == 0) {
            return 0;
        }
        java.math.BigInteger[] q = ints;
        if (q == null) {
            java.math.BigInteger lcm = java.math.BigInteger.ONE;
            for (Rational r : c) {
                java.math.BigInteger d = r.denominator();
                lcm = lcm.divide(lcm.gcd(d)).multiply(d);
            }
            q = new java.math.BigInteger[c.length];
            for (int i = 0; i < c.length; i++) {
                q[i] = c[i].numerator().multiply(lcm.divide(c[i].denominator()));
            }
            ints = q;
        }
        java.math.BigInteger a = x.numerator();
        java.math.BigInteger b = x.denominator();
        int n = q.length - 1;
        java.math.BigInteger s = q[n];
        java.math.BigInteger bp = java.math.BigInteger.ONE;
        for (int i = n - 1; i >= 0; i--) {
            bp = bp.multiply(b);
            s = s.multiply(a).add(q[i].multiply(bp));
        }
        return s.signum();
    }

    /** p(x + a): the polynomial shifted by a (Taylor shift). */
    public QPoly shift(Rational a) {
        QPoly r = ZERO;
        QPoly lin = of(a, Rational.ONE);
        for (int i = c.length - 1; i >= 0; i--) {
            r = r.multiply(lin).add(constant(c[i]));
        }
        return r;
    }

    /** p(x²). */
    public QPoly ofSquare() {
        if (isZero()) {
            return ZERO;
        }
        Rational[] r = new Rational[2 * c.length - 1];
        Arrays.fill(r, Rational.ZERO);
        for (int i = 0; i < c.length; i++) {
            r[2 * i] = c[i];
        }
        return new QPoly(r);
    }

    /** The square-free part p / gcd(p, p'), monic. */
    public QPoly squareFree() {
        if (degree() <= 0) {
            return isZero() ? ZERO : ONE;
        }
        if (ModularGcd.provablySquareFree(this)) {
            return monic();
        }
        return exactDivide(ModularGcd.gcd(this, derivative())).monic();
    }

    /**
     * Yun's square-free decomposition: monic a₁, a₂, … with p = lead · Π aᵢ^i, each aᵢ square-free
     * and pairwise coprime; index i−1 of the list holds aᵢ (constant 1 where there is none).
     */
    public List<QPoly> squareFreeDecomposition() {
        List<QPoly> out = new ArrayList<>();
        if (degree() <= 0) {
            return out;
        }
        QPoly a = this.monic();
        if (ModularGcd.provablySquareFree(a)) {
            out.add(a);
            return out;
        }
        QPoly b = ModularGcd.gcd(a, a.derivative());
        QPoly cc = a.exactDivide(b);
        QPoly d = a.derivative().exactDivide(b).subtract(cc.derivative());
        while (cc.degree() > 0) {
            QPoly ai = ModularGcd.gcd(cc, d);
            out.add(ai);
            cc = cc.exactDivide(ai);
            d = d.exactDivide(ai).subtract(cc.derivative());
        }
        return out;
    }

    /** A bound B with every real root r satisfying |r| &lt; B (Cauchy's bound, 1 + max |aᵢ/aₙ|). */
    public Rational rootBound() {
        Rational m = Rational.ZERO;
        Rational ln = lead();
        for (int i = 0; i < c.length - 1; i++) {
            m = m.max(c[i].divide(ln).abs());
        }
        return m.add(Rational.ONE);
    }

    /** This polynomial scaled to integer coefficients with gcd 1 and a positive leading coefficient. */
    public QPoly primitive() {
        if (isZero()) {
            return this;
        }
        java.math.BigInteger lcm = java.math.BigInteger.ONE;
        for (Rational q : c) {
            java.math.BigInteger d = q.denominator();
            lcm = lcm.divide(lcm.gcd(d)).multiply(d);
        }
        QPoly g = scale(Rational.of(lcm));
        java.math.BigInteger gcd = java.math.BigInteger.ZERO;
        for (Rational q : g.c) {
            gcd = gcd.gcd(q.numerator());
        }
        Rational s = Rational.of(java.math.BigInteger.ONE, gcd);
        return g.scale(g.lead().signum() < 0 ? s.negate() : s);
    }

    /** Symja input text of the polynomial in the variable {@code x}, highest degree first ({@code x^3-x^2-2*x+1}). */
    public String toSymja(String x) {
        if (isZero()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = c.length - 1; i >= 0; i--) {
            Rational q = c[i];
            if (q.isZero()) {
                continue;
            }
            String pow = i == 0 ? "" : i == 1 ? x : x + "^" + i;
            String term;
            if (i == 0) {
                term = q.toString();
            } else if (q.isOne()) {
                term = pow;
            } else if (q.equals(Rational.MINUS_ONE)) {
                term = "-" + pow;
            } else {
                term = q + "*" + pow;
            }
            if (sb.length() > 0 && !term.startsWith("-")) {
                sb.append('+');
            }
            sb.append(term);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QPoly p && Arrays.equals(p.c, c);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(c);
    }

    @Override
    public String toString() {
        return toSymja("x");
    }
}
