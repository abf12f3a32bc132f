package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A certified real number: it can enclose itself in a rational interval as narrow as asked, and
 * knows its exact rational value when it has one. Decimals are derived from enclosures only
 * (never from floating point): {@link #decimal(int)} refines until both ends of the enclosure
 * round to the same digits, so every printed digit is certified.
 *
 * <p>Leaves are rationals, {@link RealRoot}s and square roots; sums, products and quotients
 * combine enclosures by interval arithmetic.
 */
public abstract class CReal {
    /** How far {@link #decimal} refines before it settles for the enclosure's midpoint. */
    private static final int MAX_EXTRA_BITS = 4096;

    /**
     * An interval containing the value, of width at most 2^-bits (absolute) where the value allows
     * it; sums and products try and may return wider intervals, which callers refine by asking
     * for more bits.
     */
    public abstract Interval enclose(int bits);

    /** The exact value when it is known to be rational, else null. */
    public Rational exact() {
        return null;
    }

    /** The rational q. */
    public static CReal of(Rational q) {
        return new Exact(q);
    }

    /** √x for x ≥ 0. */
    public static CReal sqrt(CReal x) {
        return new Sqrt(x);
    }

    public CReal add(CReal o) {
        return new Op('+', this, o);
    }

    public CReal subtract(CReal o) {
        return new Op('-', this, o);
    }

    public CReal multiply(CReal o) {
        return new Op('*', this, o);
    }

    /** The quotient (the divisor must be non-zero). */
    public CReal divide(CReal o) {
        return new Op('/', this, o);
    }

    /**
     * The sign, decided by refinement; a value that is exactly zero but not known to be rational
     * is reported as 0 once its enclosure is narrower than 2^-maxBits (callers that need an
     * exact decision use the algebraic tests in {@link Spectra}).
     */
    public int signum(int maxBits) {
        Rational q = exact();
        if (q != null) {
            return q.signum();
        }
        for (int bits = 32; ; bits *= 2) {
            Interval iv = enclose(bits);
            if (iv.lo().signum() > 0) {
                return 1;
            }
            if (iv.hi().signum() < 0) {
                return -1;
            }
            if (bits >= maxBits) {
                return 0;
            }
        }
    }

    /** The value to {@code digits} significant digits (half-even), every digit certified. */
    public String decimal(int digits) {
        Rational q = exact();
        if (q != null) {
            return q.toDecimalString(digits);
        }
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        int bits = (int) Math.ceil(digits * 3.33) + 16;
        Interval iv = enclose(bits);
        for (int extra = 0; extra <= MAX_EXTRA_BITS; extra += 32) {
            iv = enclose(bits + extra + magnitudeBits(iv));
            if (!iv.containsZero()) {
                BigDecimal a = iv.lo().toBigDecimal(mc);
                BigDecimal b = iv.hi().toBigDecimal(mc);
                if (a.compareTo(b) == 0) {
                    return a.toString();
                }
            } else if (iv.lo().isZero() && iv.hi().isZero()) {
                return "0";
            }
        }
        Rational mid = iv.lo().add(iv.hi()).multiply(Rational.HALF);
        return mid.isZero() ? "0" : mid.toDecimalString(digits);
    }

    /** An enclosure narrow enough that its ends agree to about {@code digits} significant digits. */
    public Interval enclosure(int digits) {
        Rational q = exact();
        if (q != null) {
            return Interval.point(q);
        }
        int bits = (int) Math.ceil(digits * 3.33) + 8;
        Interval iv = enclose(bits);
        return enclose(bits + magnitudeBits(iv));
    }

    /** Extra bits needed for relative precision when the value is small (0 for |x| ≥ 1). */
    private static int magnitudeBits(Interval iv) {
        Rational m = iv.lo().abs().max(iv.hi().abs());
        if (m.isZero() || m.compareTo(Rational.ONE) >= 0) {
            return 0;
        }
        return Math.min(m.denominator().bitLength() - m.numerator().bitLength() + 2, MAX_EXTRA_BITS);
    }

    static Rational pow2(int bits) {
        return bits >= 0 ? Rational.of(BigInteger.ONE, BigInteger.ONE.shiftLeft(bits))
                : Rational.of(BigInteger.ONE.shiftLeft(-bits));
    }

    /** A rational number. */
    static final class Exact extends CReal {
        private final Rational q;

        Exact(Rational q) {
            this.q = q;
        }

        @Override
        public Interval enclose(int bits) {
            return Interval.point(q);
        }

        @Override
        public Rational exact() {
            return q;
        }
    }

    /** √x. */
    static final class Sqrt extends CReal {
        private final CReal x;

        Sqrt(CReal x) {
            this.x = x;
        }

        @Override
        public Rational exact() {
            Rational q = x.exact();
            return q == null ? null : q.sqrtExact();
        }

        @Override
        public Interval enclose(int bits) {
            Rational e = exact();
            if (e != null) {
                return Interval.point(e);
            }
            Interval iv = x.enclose(2 * bits + 4);
            Rational lo = iv.lo().signum() <= 0 ? Rational.ZERO : sqrtFloor(iv.lo(), bits + 2);
            Rational hi = sqrtCeil(iv.hi().max(Rational.ZERO), bits + 2);
            return new Interval(lo, hi);
        }
    }

    /** ⌊√q · 2^k⌋ / 2^k ≤ √q. */
    static Rational sqrtFloor(Rational q, int k) {
        BigInteger n = q.numerator().shiftLeft(2 * k).divide(q.denominator());
        return Rational.of(n.sqrt(), BigInteger.ONE.shiftLeft(k));
    }

    /** A rational ≥ √q within 2^-k of it. */
    static Rational sqrtCeil(Rational q, int k) {
        Rational e = q.sqrtExact();
        if (e != null) {
            return e;
        }
        BigInteger n = q.numerator().shiftLeft(2 * k).divide(q.denominator());
        return Rational.of(n.sqrt().add(BigInteger.ONE), BigInteger.ONE.shiftLeft(k));
    }

    /** A sum, difference, product or quotient. */
    static final class Op extends CReal {
        private final char op;
        private final CReal a;
        private final CReal b;

        Op(char op, CReal a, CReal b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public Rational exact() {
            Rational x = a.exact();
            Rational y = b.exact();
            if (x == null || y == null) {
                return null;
            }
            return switch (op) {
                case '+' -> x.add(y);
                case '-' -> x.subtract(y);
                case '*' -> x.multiply(y);
                default -> x.divide(y);
            };
        }

        @Override
        public Interval enclose(int bits) {
            Rational e = exact();
            if (e != null) {
                return Interval.point(e);
            }
            Rational w = pow2(bits);
            Interval r = null;
            for (int k = bits + 4; k <= bits + 4 + MAX_EXTRA_BITS; k += 16) {
                Interval x = a.enclose(k);
                Interval y = b.enclose(k);
                if (op == '/' && y.containsZero()) {
                    continue;
                }
                r = switch (op) {
                    case '+' -> x.add(y);
                    case '-' -> x.subtract(y);
                    case '*' -> x.multiply(y);
                    default -> x.divide(y);
                };
                if (r.width().compareTo(w) <= 0) {
                    return r;
                }
            }
            if (r == null) {
                throw new ArithmeticException("division by a number that is zero or too close to zero to certify");
            }
            return r;
        }
    }
}
