package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigInteger;

/**
 * The characteristic polynomial of a rational matrix, exactly, by modular arithmetic and the
 * Chinese remainder theorem: A = B/d with B integral (d the lcm of the denominators), det(xI − B)
 * is computed modulo enough 31-bit primes (Hessenberg reduction over 𝔽_p, then the Hessenberg
 * recurrence; both are similarity-invariant over any field, so no prime is "bad"), and its integer
 * coefficients are reconstructed as symmetric residues. Enough primes means their product exceeds
 * twice Hadamard's bound on the coefficients: c_{n−k} is a sum of binom(n, k) principal k×k
 * minors of B, each at most (√k·β)^k with β = max |b_ij|. Finally
 * det(xI − A) = d^{−n} det(d x I − B). Primes are certified by deterministic Miller–Rabin (bases
 * 2, 7, 61 decide every n &lt; 4 759 123 141). Cost O(n³) word operations per prime, instead of
 * rational arithmetic whose numbers grow through the elimination.
 */
final class ModularCharPoly {
    private ModularCharPoly() {
    }

    static QPoly of(Rational[][] a) {
        int n = a.length;
        if (n == 0) {
            return QPoly.ONE;
        }
        BigInteger d = BigInteger.ONE;
        for (Rational[] row : a) {
            for (Rational q : row) {
                BigInteger den = q.denominator();
                d = d.divide(d.gcd(den)).multiply(den);
            }
        }
        BigInteger[][] b = new BigInteger[n][n];
        BigInteger beta = BigInteger.ONE;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i][j] = a[i][j].numerator().multiply(d.divide(a[i][j].denominator()));
                beta = beta.max(b[i][j].abs());
            }
        }
        BigInteger need = bound(n, beta).shiftLeft(1).add(BigInteger.ONE);
        BigInteger modulus = BigInteger.ONE;
        BigInteger[] c = new BigInteger[n + 1];
        java.util.Arrays.fill(c, BigInteger.ZERO);
        long p = 1L << 31;
        while (modulus.compareTo(need) <= 0) {
            p = previousPrime(p);
            long[] r = modP(b, p);
            BigInteger bp = BigInteger.valueOf(p);
            long inv = modInverse(modulus.mod(bp).longValue(), p);
            for (int k = 0; k <= n; k++) {
                long ck = c[k].mod(bp).longValue();
                long t = Math.floorMod(r[k] - ck, p) * inv % p;
                c[k] = c[k].add(modulus.multiply(BigInteger.valueOf(t)));
            }
            modulus = modulus.multiply(bp);
        }
        BigInteger half = modulus.shiftRight(1);
        Rational[] out = new Rational[n + 1];
        for (int k = 0; k <= n; k++) {
            BigInteger ck = c[k].compareTo(half) > 0 ? c[k].subtract(modulus) : c[k];
            out[k] = Rational.of(ck, d.pow(n - k));
        }
        return QPoly.of(out);
    }

    /** max_k binom(n, k)·(k β²)^⌈k/2⌉ ≥ every |c_{n−k}| (Hadamard). */
    static BigInteger bound(int n, BigInteger beta) {
        BigInteger best = BigInteger.ONE;
        BigInteger binom = BigInteger.ONE;
        BigInteger b2 = beta.multiply(beta);
        for (int k = 1; k <= n; k++) {
            binom = binom.multiply(BigInteger.valueOf(n - k + 1)).divide(BigInteger.valueOf(k));
            BigInteger h = b2.multiply(BigInteger.valueOf(k)).pow((k + 1) / 2);
            best = best.max(binom.multiply(h));
        }
        return best;
    }

    /** det(xI − B) mod p, coefficients ascending. */
    static long[] modP(BigInteger[][] b, long p) {
        int n = b.length;
        BigInteger bp = BigInteger.valueOf(p);
        long[][] h = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = b[i][j].mod(bp).longValue();
            }
        }
        for (int k = 0; k < n - 2; k++) {
            int piv = -1;
            for (int i = k + 1; i < n; i++) {
                if (h[i][k] != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            if (piv != k + 1) {
                long[] t = h[piv];
                h[piv] = h[k + 1];
                h[k + 1] = t;
                for (long[] row : h) {
                    long x = row[piv];
                    row[piv] = row[k + 1];
                    row[k + 1] = x;
                }
            }
            long inv = modInverse(h[k + 1][k], p);
            for (int i = k + 2; i < n; i++) {
                if (h[i][k] == 0) {
                    continue;
                }
                long f = h[i][k] * inv % p;
                for (int j = 0; j < n; j++) {                 // row_i -= f row_{k+1}
                    h[i][j] = Math.floorMod(h[i][j] - f * h[k + 1][j] % p, p);
                }
                for (int r = 0; r < n; r++) {                 // col_{k+1} += f col_i
                    h[r][k + 1] = (h[r][k + 1] + f * h[r][i]) % p;
                }
            }
        }
        long[][] poly = new long[n + 1][];
        poly[0] = new long[]{1};
        for (int m = 1; m <= n; m++) {
            long[] prev = poly[m - 1];
            long[] pm = new long[m + 1];
            long hm = h[m - 1][m - 1];
            for (int i = 0; i < prev.length; i++) {        // (x − h_mm)·p_{m−1}
                pm[i + 1] = (pm[i + 1] + prev[i]) % p;
                pm[i] = Math.floorMod(pm[i] - hm * prev[i] % p, p);
            }
            long prod = 1;
            for (int i = m - 1; i >= 1; i--) {
                prod = prod * h[i][i - 1] % p;
                if (prod == 0) {
                    break;
                }
                long f = h[i - 1][m - 1] * prod % p;
                long[] q = poly[i - 1];
                for (int j = 0; j < q.length; j++) {
                    pm[j] = Math.floorMod(pm[j] - f * q[j] % p, p);
                }
            }
            poly[m] = pm;
        }
        return poly[n];
    }

    static long modInverse(long a, long p) {
        return modPow(Math.floorMod(a, p), p - 2, p);
    }

    static long modPow(long base, long e, long m) {
        long r = 1;
        long b = base % m;
        while (e > 0) {
            if ((e & 1) == 1) {
                r = r * b % m;
            }
            b = b * b % m;
            e >>= 1;
        }
        return r;
    }

    /** The largest prime below p (p ≤ 2^31), by deterministic Miller–Rabin. */
    static long previousPrime(long p) {
        long q = p - 1;
        while (!isPrime(q)) {
            q--;
        }
        return q;
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long sp : new long[]{2, 3, 5, 7, 11, 13, 61}) {
            if (n % sp == 0) {
                return n == sp;
            }
        }
        long d = n - 1;
        int s = 0;
        while ((d & 1) == 0) {
            d >>= 1;
            s++;
        }
        for (long a : new long[]{2, 7, 61}) {
            long x = modPow(a, d, n);
            if (x == 1 || x == n - 1) {
                continue;
            }
            boolean composite = true;
            for (int r = 1; r < s; r++) {
                x = x * x % n;
                if (x == n - 1) {
                    composite = false;
                    break;
                }
            }
            if (composite) {
                return false;
            }
        }
        return true;
    }
}
