package org.netgeom.certify;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An exact integer vector: long entries while every entry fits (each operation on them is
 * overflow-checked by Math.*Exact and redone in BigInteger when it overflows), BigInteger
 * entries otherwise. A vector that fits is always held as longs, so equality is entrywise.
 */
final class Z {
    /** The entries, or null when one does not fit in a long. */
    final long[] l;
    private BigInteger[] b;
    private int hash;
    private Z negated;
    private Z primitive;

    Z(long[] l) {
        this.l = l;
    }

    private Z(BigInteger[] b) {
        this.l = null;
        this.b = b;
    }

    static Z of(BigInteger[] b) {
        long[] l = new long[b.length];
        for (int j = 0; j < b.length; j++) {
            if (b[j].bitLength() > 63) {
                return new Z(b);
            }
            l[j] = b[j].longValue();
        }
        return new Z(l);
    }

    /** The rows one after another, then d. */
    static Z concat(Z[] rows, BigInteger d) {
        int n = rows.length == 0 ? 0 : rows[0].size();
        boolean small = d.bitLength() < 64;
        for (Z r : rows) {
            small &= r.l != null;
        }
        long[] l = new long[rows.length * n + 1];
        BigInteger[] b = new BigInteger[l.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < n; j++) {
                l[i * n + j] = small ? rows[i].l[j] : 0;
                b[i * n + j] = small ? null : rows[i].get(j);
            }
        }
        l[l.length - 1] = d.longValue();
        b[l.length - 1] = d;
        return small ? new Z(l) : of(b);
    }

    BigInteger[] big() {
        if (b == null) {
            b = new BigInteger[l.length];
            for (int j = 0; j < l.length; j++) {
                b[j] = BigInteger.valueOf(l[j]);
            }
        }
        return b;
    }

    int size() {
        return l != null ? l.length : b.length;
    }

    BigInteger get(int j) {
        return l != null ? BigInteger.valueOf(l[j]) : b[j];
    }

    boolean isZero() {
        for (int j = 0; j < size(); j++) {
            if (l != null ? l[j] != 0 : b[j].signum() != 0) {
                return false;
            }
        }
        return true;
    }

    /** c·this. */
    Z scale(BigInteger c) {
        if (l != null && c.bitLength() < 64) {
            try {
                long[] o = new long[l.length];
                for (int j = 0; j < o.length; j++) {
                    o[j] = Math.multiplyExact(l[j], c.longValue());
                }
                return new Z(o);
            } catch (ArithmeticException e) {
                // redone below
            }
        }
        return of(Arrays.stream(big()).map(x -> x.multiply(c)).toArray(BigInteger[]::new));
    }

    /** −this (kept: a unit's form is negated in every region where it is off). */
    Z neg() {
        if (negated == null) {
            negated = scale(BigInteger.ONE.negate());
            negated.negated = this;
        }
        return negated;
    }

    /** this + c·o. */
    Z add(Z o, long c) {
        if (l != null && o.l != null) {
            try {
                long[] s = new long[l.length];
                for (int j = 0; j < s.length; j++) {
                    s[j] = Math.addExact(l[j], Math.multiplyExact(c, o.l[j]));
                }
                return new Z(s);
            } catch (ArithmeticException e) {
                // redone below
            }
        }
        BigInteger[] s = new BigInteger[size()];
        for (int j = 0; j < s.length; j++) {
            s[j] = get(j).add(o.get(j).multiply(BigInteger.valueOf(c)));
        }
        return of(s);
    }

    /** Σ h_j·x_j exactly. */
    static BigInteger dot(Z h, Z x) {
        if (h.l != null && x.l != null) {
            long[] s = dot128(h.l, x.l);
            if (s != null) {
                if (s[0] == s[1] >> 63) {
                    return BigInteger.valueOf(s[1]);          // fits in one long
                }
                return BigInteger.valueOf(s[0]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(s[1])));
            }
        }
        return bigDot(h, x);
    }

    private static BigInteger bigDot(Z h, Z x) {
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j < h.size(); j++) {
            s = s.add(h.get(j).multiply(x.get(j)));
        }
        return s;
    }

    /** The sign of Σ h_j·x_j, exactly. */
    static int dotSign(Z h, Z x) {
        if (h.l != null && x.l != null) {
            long[] a = h.l;
            long[] b = x.l;
            long hi = 0;
            long lo = 0;
            boolean ok = true;
            for (int j = 0; j < a.length; j++) {
                long pl = a[j] * b[j];
                long ph = Math.multiplyHigh(a[j], b[j]);
                long nl = lo + pl;
                long carry = Long.compareUnsigned(nl, lo) < 0 ? 1 : 0;
                long nh = hi + ph;
                ok &= ((hi ^ nh) & (ph ^ nh)) >= 0;         // no signed overflow in hi + ph
                long nh2 = nh + carry;
                ok &= !(carry == 1 && nh == Long.MAX_VALUE);
                hi = nh2;
                lo = nl;
            }
            if (ok) {
                return hi != 0 ? Long.signum(hi) : lo != 0 ? 1 : 0;
            }
        }
        return bigDot(h, x).signum();
    }

    /**
     * Σ h_j·x_j in two's-complement 128 bits, {high word, low word}: each product exactly by
     * Math.multiplyHigh, the sums with their carries; null when a partial sum leaves the signed
     * 128-bit range (then the caller sums in BigInteger).
     */
    static long[] dot128(long[] a, long[] b) {
        long hi = 0;
        long lo = 0;
        for (int j = 0; j < a.length; j++) {
            long pl = a[j] * b[j];
            long ph = Math.multiplyHigh(a[j], b[j]);
            long nl = lo + pl;
            long carry = Long.compareUnsigned(nl, lo) < 0 ? 1 : 0;
            long nh = hi + ph;
            if (((hi ^ nh) & (ph ^ nh)) < 0 || carry == 1 && nh == Long.MAX_VALUE) {
                return null;
            }
            hi = nh + carry;
            lo = nl;
        }
        return new long[]{hi, lo};
    }

    /** The point where the lines a·(x, y, 1) = 0 and b·(x, y, 1) = 0 meet, homogeneous (x·w, y·w, w), w &gt; 0 (they must cross). */
    static Z meet(Z a, Z b) {
        if (a.l != null && b.l != null) {
            try {
                long[] p = {minor(a.l[1], a.l[2], b.l[1], b.l[2]), minor(a.l[2], a.l[0], b.l[2], b.l[0]), minor(a.l[0], a.l[1], b.l[0], b.l[1])};
                return p[2] > 0 ? new Z(p) : new Z(new long[]{Math.negateExact(p[0]), Math.negateExact(p[1]), Math.negateExact(p[2])});
            } catch (ArithmeticException e) {
                // redone below
            }
        }
        BigInteger[] x = a.big();
        BigInteger[] y = b.big();
        BigInteger[] p = {x[1].multiply(y[2]).subtract(x[2].multiply(y[1])), x[2].multiply(y[0]).subtract(x[0].multiply(y[2])),
            x[0].multiply(y[1]).subtract(x[1].multiply(y[0]))};
        return of(p[2].signum() > 0 ? p : Arrays.stream(p).map(BigInteger::negate).toArray(BigInteger[]::new));
    }

    private static long minor(long a, long b, long c, long d) {
        return Math.subtractExact(Math.multiplyExact(a, d), Math.multiplyExact(b, c));
    }

    /** This vector divided by the gcd of its entries (a homogeneous point's or a hyperplane's canonical form). */
    Z primitive() {
        if (primitive == null) {
            primitive = reduced();
        }
        return primitive;
    }

    private Z reduced() {
        long g = 0;
        for (int j = 0; l != null && j < l.length && g >= 0; j++) {
            g = l[j] == Long.MIN_VALUE ? -1 : gcd(g, Math.abs(l[j]));
        }
        if (l != null && g >= 0) {
            if (g <= 1) {
                return this;
            }
            long[] o = new long[l.length];
            for (int j = 0; j < o.length; j++) {
                o[j] = l[j] / g;
            }
            return new Z(o);
        }
        BigInteger d = Arrays.stream(big()).reduce(BigInteger.ZERO, BigInteger::gcd);
        return d.signum() == 0 ? this : of(Arrays.stream(big()).map(x -> x.divide(d)).toArray(BigInteger[]::new));
    }

    /** Binary gcd of non-negative longs. */
    static long gcd(long a, long b) {
        if (a == 0 || b == 0) {
            return a | b;
        }
        int s = Long.numberOfTrailingZeros(a | b);
        a >>= Long.numberOfTrailingZeros(a);
        while (b != 0) {
            b >>= Long.numberOfTrailingZeros(b);
            if (a > b) {
                long t = a;
                a = b;
                b = t;
            }
            b -= a;
        }
        return a << s;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Z z && (l != null ? z.l != null && Arrays.equals(l, z.l) : z.l == null && Arrays.equals(b, z.b));
    }

    @Override
    public int hashCode() {
        if (hash == 0) {
            hash = l != null ? Arrays.hashCode(l) : Arrays.hashCode(b);
        }
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(big());
    }
}
