package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** A closed interval [lo, hi] with exact rational endpoints, lo ≤ hi: a certified enclosure. */
public record Interval(Rational lo, Rational hi) {
    public Interval {
        if (lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException("empty interval [" + lo + ", " + hi + "]");
        }
    }

    /** The degenerate interval [q, q]. */
    public static Interval point(Rational q) {
        return new Interval(q, q);
    }

    public Rational width() {
        return hi.subtract(lo);
    }

    public boolean contains(Rational q) {
        return lo.compareTo(q) <= 0 && q.compareTo(hi) <= 0;
    }

    /** True when 0 lies in the interval. */
    public boolean containsZero() {
        return lo.signum() <= 0 && hi.signum() >= 0;
    }

    public Interval add(Interval o) {
        return new Interval(lo.add(o.lo), hi.add(o.hi));
    }

    public Interval negate() {
        return new Interval(hi.negate(), lo.negate());
    }

    public Interval subtract(Interval o) {
        return add(o.negate());
    }

    public Interval multiply(Interval o) {
        Rational a = lo.multiply(o.lo);
        Rational b = lo.multiply(o.hi);
        Rational c = hi.multiply(o.lo);
        Rational d = hi.multiply(o.hi);
        return new Interval(a.min(b).min(c).min(d), a.max(b).max(c).max(d));
    }

    /** The quotient; the divisor must not contain 0. */
    public Interval divide(Interval o) {
        if (o.containsZero()) {
            throw new ArithmeticException("interval division by an interval containing 0");
        }
        return multiply(new Interval(o.hi.reciprocal(), o.lo.reciprocal()));
    }

    /** |x| over the interval. */
    public Interval abs() {
        if (lo.signum() >= 0) {
            return this;
        }
        if (hi.signum() <= 0) {
            return negate();
        }
        return new Interval(Rational.ZERO, lo.negate().max(hi));
    }

    /** The lower end rounded down to {@code digits} significant digits, as a decimal string. */
    public String loDecimal(int digits) {
        return directed(lo, digits, RoundingMode.FLOOR);
    }

    /** The upper end rounded up to {@code digits} significant digits, as a decimal string. */
    public String hiDecimal(int digits) {
        return directed(hi, digits, RoundingMode.CEILING);
    }

    static String directed(Rational q, int digits, RoundingMode mode) {
        if (q.isZero()) {
            return "0";
        }
        BigDecimal d = new BigDecimal(q.numerator()).divide(new BigDecimal(q.denominator()), new MathContext(digits, mode));
        return d.toString();
    }

    @Override
    public String toString() {
        return "[" + lo + ", " + hi + "]";
    }
}
