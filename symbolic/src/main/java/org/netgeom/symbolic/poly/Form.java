package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An exact affine form g(u) = a·u + c on Q^k, immutable. It is held as integer numerators over
 * one positive common denominator ({@code long} with a {@link BigInteger} fallback when a value
 * does not fit), so that sums and sign tests need no gcd per operation, together with the
 * nearest doubles of its coefficients.
 *
 * <p>{@link #signAt(Point)} is an exact predicate with a floating-point filter (as Shewchuk 1997
 * and CGAL's filtered kernels do). The sign of g(p) is that of any positive multiple of g, so the
 * filter evaluates the integer numerators (as doubles, one rounding each) at the nearest doubles
 * of p's coordinates, and trusts the result only when its magnitude exceeds a proven bound on
 * its rounding error, (k + 8)·2^-52·Σ|terms|: that covers the conversions (at most one rounding
 * for a numerator, two for the values of a BigInteger form, one for a coordinate), the k + 1
 * products and the k additions (Higham 2002, §3.1, γ_n bounds) with more than a factor-two
 * margin. Otherwise, and whenever a term leaves the normal double range, the sign is computed in
 * rational arithmetic. The result is the exact sign in every case.
 *
 * <p>A form built only from doubles ({@link #ofDoubles}) exists for the float64 benchmark run
 * of the same search; it carries no exact value and decides signs with a tolerance.
 */
public final class Form {
    private static final double FILTER_UNIT = 0x1p-52;
    /** Tolerance of the float64 (uncertified) mode. */
    static final double FLOAT_EPS = 1e-12;

    final int k;
    final long[] num;        // k + 1 numerators (constant last), or null
    final BigInteger[] big;  // used when num == null and the form is exact
    final long den;          // > 0 when num != null
    final BigInteger bden;   // > 0 when big != null
    // a positive multiple of the form as doubles (the numerators for long forms, the values
    // otherwise), for the filter of signAt; null when some entry is not a normal double
    final double[] d;

    private Form(int k, long[] num, long den, BigInteger[] big, BigInteger bden, double[] d) {
        this.k = k;
        this.num = num;
        this.den = den;
        this.big = big;
        this.bden = bden;
        this.d = d;
    }

    // ------------------------------------------------------------------ construction

    /** g(u) = Σ a_i u_i + c. */
    public static Form of(Rational[] a, Rational c) {
        Rational[] all = Arrays.copyOf(a, a.length + 1);
        all[a.length] = c;
        return ofRationals(all);
    }

    /** From k + 1 exact values (coefficients, then the constant). */
    public static Form ofRationals(Rational[] values) {
        BigInteger l = BigInteger.ONE;
        for (Rational v : values) {
            BigInteger q = v.denominator();
            if (!q.equals(BigInteger.ONE)) {
                l = l.divide(l.gcd(q)).multiply(q);
            }
        }
        BigInteger[] n = new BigInteger[values.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = values[i].numerator().multiply(l.divide(values[i].denominator()));
        }
        return ofBig(n, l);
    }

    /** From integer numerators over a positive common denominator (values copied). */
    public static Form ofScaled(long[] num, long den) {
        if (den <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        long[] n = num.clone();
        return new Form(n.length - 1, n, den, null, null, doubles(n, den));
    }

    /** From BigInteger numerators over a positive common denominator; held in longs when they fit. */
    public static Form ofBig(BigInteger[] num, BigInteger den) {
        if (den.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        BigInteger g = den;
        for (BigInteger x : num) {
            g = g.gcd(x);
            if (g.equals(BigInteger.ONE)) {
                break;
            }
        }
        BigInteger[] n = new BigInteger[num.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = g.equals(BigInteger.ONE) ? num[i] : num[i].divide(g);
        }
        BigInteger dd = g.equals(BigInteger.ONE) ? den : den.divide(g);
        if (dd.bitLength() < 63 && Arrays.stream(n).allMatch(x -> x.bitLength() < 63)) {
            long[] ln = new long[n.length];
            for (int i = 0; i < n.length; i++) {
                ln[i] = n[i].longValue();
            }
            return new Form(ln.length - 1, ln, dd.longValue(), null, null, doubles(ln, dd.longValue()));
        }
        return new Form(n.length - 1, null, 0, n, dd, bigDoubles(n, dd));
    }

    /** A float64-only form (no exact value): for the uncertified float64 run of the search. */
    public static Form ofDoubles(double[] values) {
        return new Form(values.length - 1, null, 0, null, null, values.clone());
    }

    /** The numerators as doubles (one rounding each, none below 2^53): a positive multiple of the form. */
    static double[] doubles(long[] n, long den) {
        double[] d = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            d[i] = n[i];
        }
        return d;
    }

    private static double[] bigDoubles(BigInteger[] n, BigInteger den) {
        double[] d = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            double x = n[i].signum() == 0 ? 0 : Rational.of(n[i], den).doubleValue();
            if (n[i].signum() != 0 && (!Double.isFinite(x) || x == 0 || Math.abs(x) < 1e-290 || Math.abs(x) > 1e300)) {
                return null;
            }
            d[i] = x;
        }
        return d;
    }

    // ------------------------------------------------------------------ access

    /** The number of variables k. */
    public int variables() {
        return k;
    }

    /** True when exact values are held (false only for float64-mode forms). */
    public boolean isExact() {
        return num != null || big != null;
    }

    /** Coefficient i (i &lt; k), or the constant (i = k), exactly. */
    public Rational value(int i) {
        return num != null ? Rational.of(num[i], den) : Rational.of(big[i], bden);
    }

    public Rational coefficient(int i) {
        return value(i);
    }

    public Rational constant() {
        return value(k);
    }

    /** The k coefficients, exactly. */
    public Rational[] coefficients() {
        Rational[] a = new Rational[k];
        for (int i = 0; i < k; i++) {
            a[i] = value(i);
        }
        return a;
    }

    /** The double approximation of coefficient i (or the constant, i = k). */
    public double approx(int i) {
        if (!isExact()) {
            return d[i];
        }
        return num != null ? (double) num[i] / (double) den : value(i).doubleValue();
    }

    /** True when g is identically zero (all coefficients and the constant are 0). */
    public boolean isZero() {
        if (num != null) {
            for (long x : num) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }
        if (big != null) {
            for (BigInteger x : big) {
                if (x.signum() != 0) {
                    return false;
                }
            }
            return true;
        }
        for (double x : d) {
            if (Math.abs(x) > FLOAT_EPS) {
                return false;
            }
        }
        return true;
    }

    /** True when every coefficient is zero (g is a constant). */
    public boolean isConstant() {
        for (int i = 0; i < k; i++) {
            if (num != null ? num[i] != 0 : big != null ? big[i].signum() != 0 : Math.abs(d[i]) > FLOAT_EPS) {
                return false;
            }
        }
        return true;
    }

    int scaledSign(int i) {
        return num != null ? Long.signum(num[i]) : big[i].signum();
    }

    Rational scaled(int i) {
        return num != null ? Rational.of(num[i]) : Rational.of(big[i]);
    }

    BigInteger scaledBig(int i) {
        return num != null ? BigInteger.valueOf(num[i]) : big[i];
    }

    // ------------------------------------------------------------------ evaluation

    /** g(u), exactly. */
    public Rational valueAt(Rational[] u) {
        return scaledValueAt(u).divide(num != null ? Rational.of(den) : Rational.of(bden));
    }

    /** The numerator-scale value Σ n_i u_i + n_k: g(u) times the (positive) common denominator. */
    Rational scaledValueAt(Rational[] u) {
        Rational s = scaled(k);
        for (int i = 0; i < k; i++) {
            if (scaledSign(i) != 0) {
                s = s.add(scaled(i).multiply(u[i]));
            }
        }
        return s;
    }

    /** The exact sign of g at p (filtered; see the class comment). */
    public int signAt(Point p) {
        if (d != null && p.d != null) {
            double s = d[k];
            double m = Math.abs(s);
            for (int i = 0; i < k; i++) {
                double t = d[i] * p.d[i];
                s += t;
                m += Math.abs(t);
            }
            if (!isExact()) {
                return s > FLOAT_EPS * (1 + m) ? 1 : s < -FLOAT_EPS * (1 + m) ? -1 : 0;
            }
            if (m > 0x1p-900 && m < 0x1p1000) {
                double err = m * (k + 8) * FILTER_UNIT;
                if (s > err) {
                    return 1;
                }
                if (s < -err) {
                    return -1;
                }
            }
        }
        if (!isExact() || !p.isExact()) {
            throw new IllegalStateException("float64 form or point without doubles");
        }
        return scaledValueAt(p.q).signum();
    }

    /** The exact sign of g at u (rational arithmetic only). */
    public int signAt(Rational[] u) {
        return scaledValueAt(u).signum();
    }

    // ------------------------------------------------------------------ algebra

    public Form negate() {
        if (num != null) {
            long[] n = new long[num.length];
            boolean ok = true;
            for (int i = 0; i < n.length; i++) {
                if (num[i] == Long.MIN_VALUE) {
                    ok = false;
                    break;
                }
                n[i] = -num[i];
            }
            if (ok) {
                double[] nd = d == null ? null : negated(d);
                return new Form(k, n, den, null, null, nd);
            }
        }
        if (!isExact()) {
            return ofDoubles(negated(d));
        }
        BigInteger[] n = new BigInteger[k + 1];
        for (int i = 0; i <= k; i++) {
            n[i] = scaledBig(i).negate();
        }
        return ofBig(n, denBig());
    }

    private static double[] negated(double[] d) {
        double[] o = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            o[i] = -d[i];
        }
        return o;
    }

    BigInteger denBig() {
        return num != null ? BigInteger.valueOf(den) : bden;
    }

    /** this − o. */
    public Form minus(Form o) {
        return combine(o, -1);
    }

    /** this + o. */
    public Form plus(Form o) {
        return combine(o, 1);
    }

    private Form combine(Form o, int sign) {
        if (o.k != k) {
            throw new IllegalArgumentException("forms over " + k + " and " + o.k + " variables");
        }
        if (!isExact() || !o.isExact()) {
            double[] r = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                r[i] = approx(i) + sign * o.approx(i);
            }
            return ofDoubles(r);
        }
        if (num != null && o.num != null) {
            try {
                long[] n = new long[k + 1];
                long dd;
                if (den == o.den) {
                    for (int i = 0; i <= k; i++) {
                        n[i] = sign > 0 ? Math.addExact(num[i], o.num[i]) : Math.subtractExact(num[i], o.num[i]);
                    }
                    dd = den;
                } else {
                    for (int i = 0; i <= k; i++) {
                        long a = Math.multiplyExact(num[i], o.den);
                        long b = Math.multiplyExact(o.num[i], den);
                        n[i] = sign > 0 ? Math.addExact(a, b) : Math.subtractExact(a, b);
                    }
                    dd = Math.multiplyExact(den, o.den);
                }
                return reduced(n, dd);
            } catch (ArithmeticException overflow) {
                // fall through to BigInteger
            }
        }
        BigInteger d1 = denBig();
        BigInteger d2 = o.denBig();
        BigInteger[] n = new BigInteger[k + 1];
        for (int i = 0; i <= k; i++) {
            BigInteger a = scaledBig(i).multiply(d2);
            BigInteger b = o.scaledBig(i).multiply(d1);
            n[i] = sign > 0 ? a.add(b) : a.subtract(b);
        }
        return ofBig(n, d1.multiply(d2));
    }

    private static Form reduced(long[] n, long dd) {
        long g = dd;
        for (long x : n) {
            if (g == 1) {
                break;
            }
            g = gcd(g, Math.abs(x));
        }
        if (g > 1) {
            for (int i = 0; i < n.length; i++) {
                n[i] /= g;
            }
            dd /= g;
        }
        return new Form(n.length - 1, n, dd, null, null, doubles(n, dd));
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * The hyperplane {g = 0} in a canonical form: the primitive integer vector of g's
     * coefficients and constant with its first non-zero entry positive. Two forms have equal keys
     * iff they define the same hyperplane (for non-constant forms).
     */
    public Hyperplane hyperplane() {
        if (!isExact()) {
            throw new IllegalStateException("a float64 form has no exact hyperplane");
        }
        BigInteger g = BigInteger.ZERO;
        int first = 0;
        for (int i = 0; i <= k; i++) {
            g = g.gcd(scaledBig(i));
        }
        while (first <= k && scaledSign(first) == 0) {
            first++;
        }
        if (first > k) {
            return new Hyperplane(new BigInteger[k + 1]);
        }
        BigInteger f = scaledSign(first) < 0 ? g.negate() : g;
        BigInteger[] v = new BigInteger[k + 1];
        for (int i = 0; i <= k; i++) {
            v[i] = scaledBig(i).divide(f);
        }
        return new Hyperplane(v);
    }

    /** +1 when g is a positive multiple of its {@link #hyperplane()} vector, −1 when negative. */
    public int orientation() {
        for (int i = 0; i <= k; i++) {
            int s = isExact() ? scaledSign(i) : (int) Math.signum(d[i]);
            if (s != 0) {
                return s;
            }
        }
        return 0;
    }

    /** A canonical hyperplane: a primitive integer vector (coefficients, then constant). */
    public record Hyperplane(BigInteger[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Hyperplane h && Arrays.equals(h.v, v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }

        @Override
        public String toString() {
            return Arrays.toString(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Form f) || f.k != k || !isExact() || !f.isExact()) {
            return false;
        }
        for (int i = 0; i <= k; i++) {
            if (!value(i).equals(f.value(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = k;
        for (int i = 0; i <= k; i++) {
            h = 31 * h + (isExact() ? value(i).hashCode() : Double.hashCode(d[i]));
        }
        return h;
    }

    /** {@code 1/2*u1 - 3*u2 + 1} style text. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= k; i++) {
            String v = isExact() ? value(i).toString() : Double.toString(d[i]);
            if (v.equals("0") || v.equals("0.0")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : " + ").append(v).append(i < k ? "*u" + (i + 1) : "");
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
