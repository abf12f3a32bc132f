package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Greatest common divisors of polynomials over ℚ by the modular method (Brown 1971; Collins):
 * the gcd is computed over 𝔽_p for 31-bit primes p not dividing the leading coefficients, the
 * images of least degree are combined by the Chinese remainder theorem (scaled by
 * γ = gcd(lc(A), lc(B)), a multiple of the true gcd's leading coefficient), and a candidate is
 * accepted only when it divides both polynomials exactly over ℚ. The trial division makes the
 * result exact whatever primes were used; the modular images keep the numbers small, where
 * Euclid's algorithm over ℚ lets them grow through the remainder sequence.
 */
final class ModularGcd {
    private ModularGcd() {
    }

    /** The monic gcd (zero only for two zero polynomials). */
    static QPoly gcd(QPoly a, QPoly b) {
        if (a.isZero()) {
            return b.monic();
        }
        if (b.isZero()) {
            return a.monic();
        }
        if (a.degree() == 0 || b.degree() == 0) {
            return QPoly.ONE;
        }
        BigInteger[] pa = ints(a.primitive());
        BigInteger[] pb = ints(b.primitive());
        BigInteger gamma = pa[pa.length - 1].gcd(pb[pb.length - 1]);
        int best = Integer.MAX_VALUE;
        BigInteger modulus = BigInteger.ONE;
        BigInteger[] acc = null;
        QPoly last = null;
        long p = 1L << 31;
        for (int round = 0; round < 10_000; round++) {
            p = ModularCharPoly.previousPrime(p);
            BigInteger bp = BigInteger.valueOf(p);
            if (pa[pa.length - 1].mod(bp).signum() == 0 || pb[pb.length - 1].mod(bp).signum() == 0) {
                continue;
            }
            long[] g = gcdModP(reduce(pa, p), reduce(pb, p), p);
            int deg = g.length - 1;
            if (deg == 0) {
                return QPoly.ONE;                      // deg gcd over ℚ ≤ deg of every good image
            }
            if (deg > best) {
                continue;                              // an unlucky prime
            }
            long gm = gamma.mod(bp).longValue();
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * gm % p;
            }
            if (deg < best) {
                best = deg;
                modulus = BigInteger.ONE;
                acc = new BigInteger[deg + 1];
                Arrays.fill(acc, BigInteger.ZERO);
            }
            long inv = ModularCharPoly.modInverse(modulus.mod(bp).longValue(), p);
            for (int i = 0; i <= deg; i++) {
                long ci = acc[i].mod(bp).longValue();
                long t = Math.floorMod(g[i] - ci, p) * inv % p;
                acc[i] = acc[i].add(modulus.multiply(BigInteger.valueOf(t)));
            }
            modulus = modulus.multiply(bp);
            QPoly cand = symmetric(acc, modulus);
            if (cand.equals(last) && a.mod(cand).isZero() && b.mod(cand).isZero()) {
                return cand.monic();
            }
            last = cand;
        }
        return QPoly.gcd(a, b);                        // not reached in practice: Euclid over ℚ
    }

    /** True when p is square-free, decided by one good prime where gcd(p, p') mod q is 1; false means "not shown". */
    static boolean provablySquareFree(QPoly p) {
        if (p.degree() <= 1) {
            return true;
        }
        BigInteger[] a = ints(p.primitive());
        long q = 1L << 31;
        for (int tries = 0; tries < 3; tries++) {
            q = ModularCharPoly.previousPrime(q);
            if (a[a.length - 1].mod(BigInteger.valueOf(q)).signum() == 0) {
                continue;
            }
            long[] f = reduce(a, q);
            long[] df = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                df[i - 1] = f[i] * (i % q) % q;
            }
            if (gcdModP(f, trim(df), q).length == 1) {
                return true;
            }
        }
        return false;
    }

    static BigInteger[] ints(QPoly primitive) {
        Rational[] c = primitive.coeffs();
        BigInteger[] out = new BigInteger[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].numerator();
        }
        return out;
    }

    private static long[] reduce(BigInteger[] a, long p) {
        BigInteger bp = BigInteger.valueOf(p);
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].mod(bp).longValue();
        }
        return trim(out);
    }

    private static long[] trim(long[] a) {
        int n = a.length;
        while (n > 0 && a[n - 1] == 0) {
            n--;
        }
        return n == a.length ? a : Arrays.copyOf(a, n);
    }

    /** The monic gcd over 𝔽_p (coefficients ascending; {1} for a constant gcd). */
    static long[] gcdModP(long[] a, long[] b, long p) {
        a = trim(a.clone());
        b = trim(b.clone());
        while (b.length > 0) {
            long[] r = remModP(a, b, p);
            a = b;
            b = r;
        }
        if (a.length == 0) {
            return new long[]{1};
        }
        long inv = ModularCharPoly.modInverse(a[a.length - 1], p);
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * inv % p;
        }
        return a;
    }

    private static long[] remModP(long[] a, long[] b, long p) {
        long[] r = a.clone();
        int db = b.length - 1;
        long inv = ModularCharPoly.modInverse(b[db], p);
        for (int k = r.length - 1; k >= db; k--) {
            long f = r[k] * inv % p;
            if (f == 0) {
                continue;
            }
            for (int j = 0; j <= db; j++) {
                r[k - db + j] = Math.floorMod(r[k - db + j] - f * b[j] % p, p);
            }
        }
        return trim(Arrays.copyOf(r, db));
    }

    private static QPoly symmetric(BigInteger[] acc, BigInteger modulus) {
        BigInteger half = modulus.shiftRight(1);
        Rational[] c = new Rational[acc.length];
        for (int i = 0; i < acc.length; i++) {
            c[i] = Rational.of(acc[i].compareTo(half) > 0 ? acc[i].subtract(modulus) : acc[i]);
        }
        QPoly q = QPoly.of(c);
        return q.isZero() ? q : q.primitive();
    }
}
