package org.netgeom.certify;

import java.math.BigDecimal;
import java.math.BigInteger;

/** An exact rational p/q (q &gt; 0, lowest terms): the checker's own arithmetic. */
public record Q(BigInteger n, BigInteger d) implements Comparable<Q> {
    public static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);
    public static final Q ONE = new Q(BigInteger.ONE, BigInteger.ONE);

    public static Q of(BigInteger n, BigInteger d) {
        if (d.signum() == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        if (n.bitLength() < 63 && d.bitLength() < 63) {      // the common case, in longs
            long g = Z.gcd(Math.abs(n.longValue()), d.longValue());
            return g == 1 ? new Q(n, d) : new Q(BigInteger.valueOf(n.longValue() / g), BigInteger.valueOf(d.longValue() / g));
        }
        BigInteger g = n.gcd(d);
        return g.equals(BigInteger.ONE) ? new Q(n, d) : new Q(n.divide(g), d.divide(g));
    }

    public static Q of(long n) {
        return new Q(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** The exact value of a decimal (the text's digits, never a double). */
    public static Q of(BigDecimal x) {
        BigInteger u = x.unscaledValue();
        int s = x.scale();
        return s >= 0 ? of(u, BigInteger.TEN.pow(s)) : of(u.multiply(BigInteger.TEN.pow(-s)), BigInteger.ONE);
    }

    /** "p/q", "-1/2", "0.125", "1e-3", "7". */
    public static Q parse(String s) {
        long[] pq = small(s);
        if (pq != null) {
            return of(BigInteger.valueOf(pq[0]), BigInteger.valueOf(pq[1]));
        }
        int k = s.indexOf('/');
        if (k >= 0) {
            return of(new BigDecimal(s.substring(0, k).trim())).div(of(new BigDecimal(s.substring(k + 1).trim())));
        }
        return of(new BigDecimal(s.trim()));
    }

    /** "p" or "p/q" (q &gt; 0) of at most 18 digits each, read directly: {p, q} (not reduced), else null. */
    static long[] small(String s) {
        int k = s.indexOf('/');
        long n = digits(s, 0, k < 0 ? s.length() : k);
        long d = k < 0 ? 1 : digits(s, k + 1, s.length());
        return n != Long.MIN_VALUE && d > 0 ? new long[]{n, d} : null;
    }

    /** s[from, to) as an optional '-' and 1 to 18 decimal digits, or Long.MIN_VALUE. */
    private static long digits(String s, int from, int to) {
        boolean neg = from < to && s.charAt(from) == '-';
        int i = neg ? from + 1 : from;
        if (i == to || to - i > 18) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            v = 10 * v + (c - '0');
        }
        return neg ? -v : v;
    }

    /** The exact binary value of a finite double. */
    public static Q ofDouble(double x) {
        if (!Double.isFinite(x)) {
            throw new ArithmeticException("not a finite number: " + x);
        }
        return of(new BigDecimal(x));
    }

    /**
     * The sum in lowest terms by Henrici's method (Knuth, TAOCP vol. 2, 4.5.1): with g = gcd(d1, d2),
     * t = n1·(d2/g) + n2·(d1/g) and g2 = gcd(t, g), the sum is (t/g2) / ((d1/g)·(d2/g2)). The gcds
     * involve g, small when one summand is a long running total, instead of the total's full size.
     */
    public Q add(Q o) {
        if (d.bitLength() < 63 && o.d.bitLength() < 63 || n.signum() == 0 || o.n.signum() == 0) {
            return n.signum() == 0 ? o : o.n.signum() == 0 ? this : of(n.multiply(o.d).add(o.n.multiply(d)), d.multiply(o.d));
        }
        BigInteger g = d.gcd(o.d);
        if (g.equals(BigInteger.ONE)) {
            return new Q(n.multiply(o.d).add(o.n.multiply(d)), d.multiply(o.d));
        }
        BigInteger a = d.divide(g);
        BigInteger t = n.multiply(o.d.divide(g)).add(o.n.multiply(a));
        if (t.signum() == 0) {
            return ZERO;
        }
        BigInteger g2 = t.gcd(g);
        return g2.equals(BigInteger.ONE) ? new Q(t, a.multiply(o.d)) : new Q(t.divide(g2), a.multiply(o.d.divide(g2)));
    }

    public Q sub(Q o) {
        return add(o.neg());
    }

    public Q mul(Q o) {
        return of(n.multiply(o.n), d.multiply(o.d));
    }

    public Q div(Q o) {
        return of(n.multiply(o.d), d.multiply(o.n));
    }

    public Q neg() {
        return new Q(n.negate(), d);
    }

    public Q abs() {
        return n.signum() < 0 ? neg() : this;
    }

    /** Whether this equals n/d (d &gt; 0), without reducing n/d. */
    boolean is(BigInteger n, BigInteger d) {
        return this.n.multiply(d).equals(n.multiply(this.d));
    }

    public int signum() {
        return n.signum();
    }

    @Override
    public int compareTo(Q o) {
        return n.multiply(o.d).compareTo(o.n.multiply(d));
    }

    @Override
    public String toString() {
        return d.equals(BigInteger.ONE) ? n.toString() : n + "/" + d;
    }
}
