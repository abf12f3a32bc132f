package org.netgeom.symbolic.kernels;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The elementary functions the closed-form kernels need, in arbitrary precision on
 * {@link BigDecimal}: π (Machin's formula π = 16 atan(1/5) − 4 atan(1/239)), √ (the JDK's
 * {@link BigDecimal#sqrt}), atan (argument halving atan x = 2 atan(x / (1 + √(1 + x²))) down to
 * |x| &lt; 1/20, then the alternating Taylor series) and atan2 on the closed upper half plane.
 *
 * <p>Each function works internally with guard digits and rounds to the caller's
 * {@link MathContext}; the result's error is a few units in its last place. Callers never trust
 * one evaluation: {@link Kernels} evaluates at two precisions and compares (see its Javadoc).
 */
final class BigMath {
    private static final int GUARD = 8;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal SMALL = new BigDecimal("0.05");
    private static BigDecimal piCache = BigDecimal.ZERO;
    private static int piCacheDigits;

    private BigMath() {
    }

    /** π to {@code mc}'s precision. */
    static BigDecimal pi(MathContext mc) {
        synchronized (BigMath.class) {
            if (piCacheDigits < mc.getPrecision() + GUARD) {
                int p = Math.max(2 * mc.getPrecision(), 64) + GUARD;
                MathContext w = new MathContext(p, RoundingMode.HALF_EVEN);
                BigDecimal a = atanInverse(5, w).multiply(BigDecimal.valueOf(16), w);
                BigDecimal b = atanInverse(239, w).multiply(BigDecimal.valueOf(4), w);
                piCache = a.subtract(b, w);
                piCacheDigits = p;
            }
            return piCache.round(mc);
        }
    }

    /** atan(1/k) by its Taylor series (k ≥ 5, so each term shrinks by at least 25). */
    private static BigDecimal atanInverse(int k, MathContext w) {
        BigDecimal kk = BigDecimal.valueOf((long) k * k);
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(k), w);   // 1/k^(2i+1)
        BigDecimal sum = power;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(w.getPrecision() + 2);
        for (int i = 1; ; i++) {
            power = power.divide(kk, w);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * i + 1), w);
            sum = (i % 2 == 1) ? sum.subtract(term, w) : sum.add(term, w);
            if (term.compareTo(eps) < 0) {
                return sum;
            }
        }
    }

    /** √x for x ≥ 0 (a negative x that is rounding noise must be clamped by the caller). */
    static BigDecimal sqrt(BigDecimal x, MathContext mc) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return x.sqrt(mc);
    }

    /** atan x for any real x. */
    static BigDecimal atan(BigDecimal x, MathContext mc) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (x.signum() < 0) {
            return atan(x.negate(), mc).negate();
        }
        MathContext w = new MathContext(mc.getPrecision() + GUARD, RoundingMode.HALF_EVEN);
        if (x.compareTo(BigDecimal.ONE) > 0) {           // atan x = π/2 − atan(1/x)
            BigDecimal inv = BigDecimal.ONE.divide(x, w);
            return pi(w).divide(TWO, w).subtract(atanSmall(inv, w), w).round(mc);
        }
        return atanSmall(x, w).round(mc);
    }

    /** atan x for 0 ≤ x ≤ 1 at working precision {@code w}. */
    private static BigDecimal atanSmall(BigDecimal x, MathContext w) {
        int halvings = 0;
        while (x.compareTo(SMALL) > 0) {
            BigDecimal r = BigDecimal.ONE.add(x.multiply(x, w), w).sqrt(w);
            x = x.divide(BigDecimal.ONE.add(r, w), w);
            halvings++;
        }
        BigDecimal x2 = x.multiply(x, w);
        BigDecimal power = x;
        BigDecimal sum = x;
        BigDecimal eps = x.abs().movePointLeft(w.getPrecision() + 2);
        for (int i = 1; ; i++) {
            power = power.multiply(x2, w);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * i + 1), w);
            sum = (i % 2 == 1) ? sum.subtract(term, w) : sum.add(term, w);
            if (term.compareTo(eps) < 0) {
                break;
            }
        }
        return halvings == 0 ? sum : sum.multiply(BigDecimal.valueOf(1L << halvings), w);
    }

    /**
     * The angle of the point (x, y), in (−π, π]: atan2(y, x). atan2(0, x) is 0 for x &gt; 0 and π
     * for x &lt; 0; atan2(y, 0) = ±π/2.
     */
    static BigDecimal atan2(BigDecimal y, BigDecimal x, MathContext mc) {
        MathContext w = new MathContext(mc.getPrecision() + GUARD, RoundingMode.HALF_EVEN);
        if (y.signum() < 0) {
            return atan2(y.negate(), x, mc).negate();
        }
        if (y.signum() == 0) {
            return x.signum() < 0 ? pi(mc) : BigDecimal.ZERO;
        }
        if (x.signum() == 0) {
            return pi(w).divide(TWO, w).round(mc);
        }
        if (x.signum() < 0) {                               // angle in (π/2, π)
            return pi(w).subtract(atan2(y, x.negate(), w), w).round(mc);
        }
        if (y.compareTo(x) <= 0) {
            return atanSmall(y.divide(x, w), w).round(mc);
        }
        return pi(w).divide(TWO, w).subtract(atanSmall(x.divide(y, w), w), w).round(mc);
    }

    /** 1 − e^{−y} for y ≥ 0, without cancellation for small y (series below 1/2). */
    static BigDecimal oneMinusExpNeg(BigDecimal y, MathContext mc) {
        if (y.signum() == 0) {
            return BigDecimal.ZERO;
        }
        MathContext w = new MathContext(mc.getPrecision() + GUARD, RoundingMode.HALF_EVEN);
        if (y.compareTo(new BigDecimal("0.5")) >= 0) {
            return BigDecimal.ONE.subtract(expNeg(y, w), w).round(mc);
        }
        BigDecimal term = y;
        BigDecimal sum = y;
        BigDecimal eps = y.movePointLeft(w.getPrecision() + 2);
        for (int k = 2; ; k++) {
            term = term.multiply(y, w).divide(BigDecimal.valueOf(-k), w);
            sum = sum.add(term, w);
            if (term.abs().compareTo(eps) < 0) {
                return sum.round(mc);
            }
        }
    }

    /** e^{−y} for y ≥ 0: e^{−y/2^k} by its Taylor series, then k squarings. */
    static BigDecimal expNeg(BigDecimal y, MathContext mc) {
        if (y.signum() == 0) {
            return BigDecimal.ONE;
        }
        int k = 0;
        BigDecimal r = y;
        while (r.compareTo(new BigDecimal("0.25")) > 0) {
            r = r.divide(TWO);                       // exact: halving a decimal
            k++;
        }
        MathContext w = new MathContext(mc.getPrecision() + GUARD + k / 3 + 1, RoundingMode.HALF_EVEN);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(w.getPrecision() + 2);
        for (int i = 1; ; i++) {
            term = term.multiply(r, w).divide(BigDecimal.valueOf(-i), w);
            sum = sum.add(term, w);
            if (term.abs().compareTo(eps) < 0) {
                break;
            }
        }
        for (int i = 0; i < k; i++) {
            sum = sum.multiply(sum, w);
        }
        return sum.round(mc);
    }
}
