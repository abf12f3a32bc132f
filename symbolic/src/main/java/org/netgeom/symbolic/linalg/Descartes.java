package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Real root isolation by Descartes' rule of signs with bisection (Collins &amp; Akritas 1976, after
 * Vincent): the roots of an integer polynomial Q in (0, 1) are the positive roots of
 * (x + 1)ⁿ Q(1/(x + 1)); no sign variation in its coefficients means no root, exactly one means
 * exactly one root; otherwise (0, 1) is halved, Q(x/2)·2ⁿ and its shift by 1 covering the halves.
 * For a square-free polynomial this terminates, and every number involved is an integer, so
 * nothing grows as in a Sturm sequence over ℚ. A midpoint that is a root is reported exactly.
 */
final class Descartes {
    private Descartes() {
    }

    /** An isolating interval: exactly one root in the open interval (lo, hi), none at hi; or the root itself when {@code exact}. */
    record Isolated(Rational lo, Rational hi, boolean exact) {
    }

    /** The roots of the square-free polynomial p in the open interval (a, b), increasing. */
    static List<Isolated> isolate(QPoly p, Rational a, Rational b) {
        List<Isolated> out = new ArrayList<>();
        if (p.degree() < 1 || a.compareTo(b) >= 0) {
            return out;
        }
        // y in (0, 1) ↔ x = a + (b − a) y
        QPoly s = p.shift(a);
        Rational w = b.subtract(a);
        Rational[] c = s.coeffs();
        Rational pw = Rational.ONE;
        for (int i = 0; i < c.length; i++) {
            c[i] = c[i].multiply(pw);
            pw = pw.multiply(w);
        }
        isolate(ModularGcd.ints(QPoly.of(c).primitive()), a, b, out);
        return out;
    }

    /** The number of roots of the square-free polynomial p in the half-open interval (a, b]. */
    static int count(QPoly p, Rational a, Rational b) {
        if (a.compareTo(b) >= 0) {
            return 0;
        }
        return isolate(p, a, b).size() + (p.signAt(b) == 0 ? 1 : 0);
    }

    private static void isolate(BigInteger[] q, Rational lo, Rational hi, List<Isolated> out) {
        int v = variations(shiftByOne(reversed(q)));
        if (v == 0) {
            return;
        }
        if (v == 1 && sum(q).signum() != 0) {
            out.add(new Isolated(lo, hi, false));
            return;
        }
        BigInteger[] left = halved(q);
        Rational mid = lo.add(hi).multiply(Rational.HALF);
        BigInteger[] right = shiftByOne(left);
        isolate(left, lo, mid, out);
        if (sum(left).signum() == 0) {
            out.add(new Isolated(mid, mid, true));
        }
        isolate(right, mid, hi, out);
    }

    private static BigInteger sum(BigInteger[] q) {
        BigInteger s = BigInteger.ZERO;
        for (BigInteger x : q) {
            s = s.add(x);
        }
        return s;
    }

    private static int variations(BigInteger[] q) {
        int v = 0;
        int last = 0;
        for (BigInteger x : q) {
            int s = x.signum();
            if (s != 0) {
                if (last != 0 && s != last) {
                    v++;
                }
                last = s;
            }
        }
        return v;
    }

    private static BigInteger[] reversed(BigInteger[] q) {
        BigInteger[] r = new BigInteger[q.length];
        for (int i = 0; i < q.length; i++) {
            r[i] = q[q.length - 1 - i];
        }
        return r;
    }

    /** Q(x + 1), by the O(n²) Taylor shift. */
    private static BigInteger[] shiftByOne(BigInteger[] q) {
        BigInteger[] a = q.clone();
        int n = a.length - 1;
        for (int i = 0; i < n; i++) {
            for (int j = n - 1; j >= i; j--) {
                a[j] = a[j].add(a[j + 1]);
            }
        }
        return a;
    }

    /** 2ⁿ Q(x/2), divided by the content of its coefficients (the same roots, smaller numbers). */
    private static BigInteger[] halved(BigInteger[] q) {
        int n = q.length - 1;
        BigInteger[] a = new BigInteger[q.length];
        BigInteger g = BigInteger.ZERO;
        for (int i = 0; i <= n; i++) {
            a[i] = q[i].shiftLeft(n - i);
            g = g.gcd(a[i]);
        }
        if (g.bitLength() > 1) {
            for (int i = 0; i <= n; i++) {
                a[i] = a[i].divide(g);
            }
        }
        return a;
    }
}
