package org.netgeom.ir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Matcher;

/**
 * An exact rational number p/q in lowest terms with q &gt; 0, immutable.
 *
 * <p>Values whose numerator and denominator fit in a {@code long} are held in two longs and
 * computed with overflow-checked long arithmetic; any overflow falls back to {@link BigInteger}.
 * The representation is canonical (a value that fits is always held small), so {@code equals}
 * is value equality.
 *
 * <p>Conversions are named: {@link #fromDouble(double)} is the exact binary value of the double
 * (0.1d is 3602879701896397/36028797018963968, never 1/10); {@link #doubleValue()} is the nearest
 * double (ties to even); {@link #toBigDecimal(MathContext)} rounds to the given precision.
 */
public final class Rational implements Scalar, Comparable<Rational> {
    public static final Rational ZERO = new Rational(0, 1);
    public static final Rational ONE = new Rational(1, 1);
    public static final Rational MINUS_ONE = new Rational(-1, 1);
    public static final Rational TWO = new Rational(2, 1);
    public static final Rational HALF = new Rational(1, 2);

    /** Largest decimal exponent magnitude accepted when parsing, so that 1e999999999 cannot hang. */
    public static final int MAX_DECIMAL_EXPONENT = 100_000;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final long TWO_53 = 1L << 53;

    // small form: bnum == null, den > 0, gcd(|num|, den) == 1, num != Long.MIN_VALUE
    private final long num;
    private final long den;
    // big form: both non-null, value does not fit the small form
    private final BigInteger bnum;
    private final BigInteger bden;

    private Rational(long num, long den) {
        this.num = num;
        this.den = den;
        this.bnum = null;
        this.bden = null;
    }

    private Rational(BigInteger num, BigInteger den) {
        this.num = 0;
        this.den = 0;
        this.bnum = num;
        this.bden = den;
    }

    // ------------------------------------------------------------------ construction

    public static Rational of(long n) {
        if (n == 0) {
            return ZERO;
        }
        if (n == 1) {
            return ONE;
        }
        return n == Long.MIN_VALUE ? of(BigInteger.valueOf(n), BigInteger.ONE) : new Rational(n, 1);
    }

    /** n/d reduced; throws ArithmeticException when d is 0. */
    public static Rational of(long n, long d) {
        if (d == 0) {
            throw new ArithmeticException("division by zero");
        }
        return small(n, d);
    }

    public static Rational of(BigInteger n) {
        return of(n, BigInteger.ONE);
    }

    /** n/d reduced; throws ArithmeticException when d is 0. */
    public static Rational of(BigInteger n, BigInteger d) {
        int s = d.signum();
        if (s == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (s < 0) {
            n = n.negate();
            d = d.negate();
        }
        BigInteger g = n.gcd(d);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            n = n.divide(g);
            d = d.divide(g);
        }
        if (n.signum() == 0) {
            return ZERO;
        }
        return canonical(n, d);
    }

    private static Rational canonical(BigInteger n, BigInteger d) {
        if (n.bitLength() < 64 && d.bitLength() < 64 && !n.equals(LONG_MIN)) {
            return new Rational(n.longValue(), d.longValue());
        }
        return new Rational(n, d);
    }

    /** Reduces n/d (d != 0) in long arithmetic where possible. */
    private static Rational small(long n, long d) {
        if (n == Long.MIN_VALUE || d == Long.MIN_VALUE) {
            return of(BigInteger.valueOf(n), BigInteger.valueOf(d));
        }
        if (d < 0) {
            n = -n;
            d = -d;
        }
        if (n == 0) {
            return ZERO;
        }
        long g = gcd(Math.abs(n), d);
        if (g != 1) {
            n /= g;
            d /= g;
        }
        return new Rational(n, d);
    }

    /** Binary GCD of two non-negative longs. */
    static long gcd(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        int shift = Long.numberOfTrailingZeros(a | b);
        a >>= Long.numberOfTrailingZeros(a);
        do {
            b >>= Long.numberOfTrailingZeros(b);
            if (a > b) {
                long t = b;
                b = a;
                a = t;
            }
            b -= a;
        } while (b != 0);
        return a << shift;
    }

    /** The exact value of a BigDecimal. */
    public static Rational of(BigDecimal x) {
        int scale = x.scale();
        if (Math.abs((long) scale) > MAX_DECIMAL_EXPONENT + 10_000L) {
            throw new ArithmeticException("decimal exponent out of range: " + x);
        }
        BigInteger u = x.unscaledValue();
        if (scale <= 0) {
            return of(u.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE);
        }
        return of(u, BigInteger.TEN.pow(scale));
    }

    /** The exact binary value of a finite double (never a "nice" nearby rational). */
    public static Rational fromDouble(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw new ArithmeticException("not a finite number: " + x);
        }
        if (x == 0) {
            return ZERO;
        }
        long bits = Double.doubleToRawLongBits(x);
        int exp = (int) ((bits >>> 52) & 0x7ff);
        long mant = bits & ((1L << 52) - 1);
        if (exp == 0) {
            exp = 1;               // subnormal
        } else {
            mant |= 1L << 52;
        }
        exp -= 1075;               // x = mant * 2^exp
        if (bits < 0) {
            mant = -mant;
        }
        if (exp >= 0) {
            if (exp < 10 && Math.abs(mant) < (1L << 53)) {
                return of(mant << exp);
            }
            return of(BigInteger.valueOf(mant).shiftLeft(exp), BigInteger.ONE);
        }
        int tz = Math.min(Long.numberOfTrailingZeros(mant), -exp);
        mant >>= tz;
        exp += tz;
        if (-exp < 62) {
            return new Rational(mant, 1L << -exp);
        }
        return canonical(BigInteger.valueOf(mant), BigInteger.ONE.shiftLeft(-exp));
    }

    /** The exact binary value of a float (floats widen to doubles exactly). */
    public static Rational fromFloat(float x) {
        return fromDouble(x);
    }

    /**
     * Parses {@code "3"}, {@code "-3/7"}, {@code "0.125"}, {@code "1e-3"}, {@code "-.5"}: integers,
     * fractions of integers, and decimals with an optional exponent; exactly.
     *
     * @throws NumberFormatException for other text, a zero denominator or an absurd exponent
     */
    public static Rational parse(String text) {
        if (text.length() > Scalar.MAX_TEXT) {
            throw new NumberFormatException("number text longer than " + Scalar.MAX_TEXT + " characters");
        }
        Matcher m = Scalar.Syntax.RATIONAL.matcher(text);
        if (m.matches()) {
            BigInteger d = new BigInteger(m.group(2));
            if (d.signum() == 0) {
                throw new NumberFormatException("'" + text + "' has a zero denominator");
            }
            return of(new BigInteger(m.group(1)), d);
        }
        if (Scalar.Syntax.DECIMAL.matcher(text).matches()) {
            BigDecimal x = Scalar.Syntax.decimal(text);
            if (Math.abs((long) x.scale()) > MAX_DECIMAL_EXPONENT) {
                throw new NumberFormatException("'" + text + "' has an exponent beyond +-" + MAX_DECIMAL_EXPONENT);
            }
            return of(x);
        }
        throw new NumberFormatException("'" + text + "' is not a number (expected p/q, a decimal or a symbol name)");
    }

    // ------------------------------------------------------------------ accessors

    private boolean isSmall() {
        return bnum == null;
    }

    public BigInteger numerator() {
        return isSmall() ? BigInteger.valueOf(num) : bnum;
    }

    public BigInteger denominator() {
        return isSmall() ? BigInteger.valueOf(den) : bden;
    }

    public int signum() {
        return isSmall() ? Long.signum(num) : bnum.signum();
    }

    public boolean isZero() {
        return isSmall() && num == 0;
    }

    public boolean isOne() {
        return isSmall() && num == 1 && den == 1;
    }

    public boolean isInteger() {
        return isSmall() ? den == 1 : bden.equals(BigInteger.ONE);
    }

    // ------------------------------------------------------------------ arithmetic

    public Rational add(Rational o) {
        if (isSmall() && o.isSmall()) {
            if (num == 0) {
                return o;
            }
            if (o.num == 0) {
                return this;
            }
            try {
                if (den == o.den) {
                    return small(Math.addExact(num, o.num), den);
                }
                long g = gcd(den, o.den);
                long d1 = den / g;
                long d2 = o.den / g;
                long n = Math.addExact(Math.multiplyExact(num, d2), Math.multiplyExact(o.num, d1));
                return small(n, Math.multiplyExact(den, d2));
            } catch (ArithmeticException overflow) {
                // fall through to BigInteger
            }
        }
        BigInteger d1 = denominator();
        BigInteger d2 = o.denominator();
        return of(numerator().multiply(d2).add(o.numerator().multiply(d1)), d1.multiply(d2));
    }

    public Rational subtract(Rational o) {
        return add(o.negate());
    }

    public Rational multiply(Rational o) {
        if (isSmall() && o.isSmall()) {
            if (num == 0 || o.num == 0) {
                return ZERO;
            }
            long g1 = gcd(Math.abs(num), o.den);
            long g2 = gcd(Math.abs(o.num), den);
            try {
                long n = Math.multiplyExact(num / g1, o.num / g2);
                long d = Math.multiplyExact(den / g2, o.den / g1);
                if (n != Long.MIN_VALUE) {
                    return new Rational(n, d);
                }
            } catch (ArithmeticException overflow) {
                // fall through
            }
        }
        return of(numerator().multiply(o.numerator()), denominator().multiply(o.denominator()));
    }

    public Rational multiply(long k) {
        return multiply(of(k));
    }

    /** this / o; throws ArithmeticException when o is zero. */
    public Rational divide(Rational o) {
        return multiply(o.reciprocal());
    }

    public Rational negate() {
        if (isSmall()) {
            return num == 0 ? this : new Rational(-num, den);
        }
        return of(bnum.negate(), bden);
    }

    public Rational abs() {
        return signum() < 0 ? negate() : this;
    }

    /** 1 / this; throws ArithmeticException for zero. */
    public Rational reciprocal() {
        if (isZero()) {
            throw new ArithmeticException("division by zero");
        }
        if (isSmall()) {
            return num > 0 ? new Rational(den, num) : new Rational(-den, -num);
        }
        return of(bden, bnum);
    }

    /** this^k for any integer k (k &lt; 0 needs a non-zero base). */
    public Rational pow(int k) {
        if (k < 0) {
            return reciprocal().pow(-k);
        }
        return of(numerator().pow(k), denominator().pow(k));
    }

    /** The exact square root when this is the square of a rational, otherwise null. */
    public Rational sqrtExact() {
        if (signum() < 0) {
            return null;
        }
        BigInteger n = numerator().sqrt();
        BigInteger d = denominator().sqrt();
        if (n.multiply(n).equals(numerator()) && d.multiply(d).equals(denominator())) {
            return of(n, d);
        }
        return null;
    }

    public Rational min(Rational o) {
        return compareTo(o) <= 0 ? this : o;
    }

    public Rational max(Rational o) {
        return compareTo(o) >= 0 ? this : o;
    }

    /** The largest integer &lt;= this. */
    public BigInteger floor() {
        BigInteger[] qr = numerator().divideAndRemainder(denominator());
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    /** The smallest integer &gt;= this. */
    public BigInteger ceil() {
        BigInteger[] qr = numerator().divideAndRemainder(denominator());
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    @Override
    public int compareTo(Rational o) {
        if (isSmall() && o.isSmall()) {
            if (den == o.den) {
                return Long.compare(num, o.num);
            }
            int s1 = Long.signum(num);
            int s2 = Long.signum(o.num);
            if (s1 != s2) {
                return Integer.compare(s1, s2);
            }
            // compare num*o.den with o.num*den exactly in 128 bits
            long ah = Math.multiplyHigh(num, o.den);
            long al = num * o.den;
            long bh = Math.multiplyHigh(o.num, den);
            long bl = o.num * den;
            if (ah != bh) {
                return Long.compare(ah, bh);
            }
            return Long.compareUnsigned(al, bl);
        }
        int s1 = signum();
        int s2 = o.signum();
        if (s1 != s2) {
            return Integer.compare(s1, s2);
        }
        return numerator().multiply(o.denominator()).compareTo(o.numerator().multiply(denominator()));
    }

    // ------------------------------------------------------------------ conversions

    /** The nearest double, ties to even (exact when this is a dyadic rational that fits). */
    public double doubleValue() {
        if (isSmall() && Math.abs(num) <= TWO_53 && den <= TWO_53) {
            return (double) num / (double) den;   // both exact: one correctly rounded division
        }
        BigInteger a = numerator().abs();
        BigInteger b = denominator();
        int k = 56 - (a.bitLength() - b.bitLength());
        BigInteger q;
        BigInteger r;
        if (k >= 0) {
            BigInteger[] qr = a.shiftLeft(k).divideAndRemainder(b);
            q = qr[0];
            r = qr[1];
        } else {
            BigInteger[] qr = a.divideAndRemainder(b.shiftLeft(-k));
            q = qr[0];
            r = qr[1];
        }
        if (r.signum() != 0) {
            q = q.setBit(0);        // sticky bit below the rounding position (q has 56+ bits)
        }
        double v = Math.scalb(q.doubleValue(), -k);
        return signum() < 0 ? -v : v;
    }

    /** This value rounded to {@code mc} (for printing decimals to a number of digits). */
    public BigDecimal toBigDecimal(MathContext mc) {
        return new BigDecimal(numerator()).divide(new BigDecimal(denominator()), mc);
    }

    /** This value as a decimal string with {@code digits} significant digits, half-even. */
    public String toDecimalString(int digits) {
        if (isZero()) {
            return "0";
        }
        return toBigDecimal(new MathContext(digits, RoundingMode.HALF_EVEN)).toString();
    }

    /** {@code "p/q"} in lowest terms, integers as {@code "p"}: the JSON form of exact numbers. */
    @Override
    public String toString() {
        if (isSmall()) {
            return den == 1 ? Long.toString(num) : num + "/" + den;
        }
        return bden.equals(BigInteger.ONE) ? bnum.toString() : bnum + "/" + bden;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Rational r)) {
            return false;
        }
        if (isSmall() != r.isSmall()) {
            return false;           // canonical forms differ only when the values do
        }
        return isSmall() ? num == r.num && den == r.den : bnum.equals(r.bnum) && bden.equals(r.bden);
    }

    @Override
    public int hashCode() {
        return isSmall() ? Long.hashCode(num) * 31 + Long.hashCode(den) : bnum.hashCode() * 31 + bden.hashCode();
    }
}
