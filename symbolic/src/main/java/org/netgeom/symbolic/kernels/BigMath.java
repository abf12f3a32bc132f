package org.netgeom.symbolic.kernels;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The elementary functions the closed-form kernels need, in arbitrary precision on
 * {@link BigDecimal}: π (Machin's formula π = 16 atan(1/5) − 4 atan(1/239)), √ (the JDK's
 * {@link BigDecimal#sqrt}), atan (reduced by atan x = atan c + atan((x − c)/(1 + xc)) with
 * c = k/32 from a table computed once per precision by argument halving, then the alternating
 * Taylor series in binary fixed point) and atan2 on the closed upper half plane.
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

    /** √x for x ≥ 0 (a negative x that is rounding noise must be clamped by the caller); the JDK's, within one ulp. */
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

    private static final java.util.Map<Integer, BigDecimal[]> TABLES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int STEPS = 32;

    /** atan x for 0 ≤ x ≤ 1 at working precision {@code w}: table reduction, then the series. */
    private static BigDecimal atanSmall(BigDecimal x, MathContext w) {
        BigDecimal[] table = TABLES.computeIfAbsent(w.getPrecision(), p -> {
            MathContext t = new MathContext(p + GUARD, RoundingMode.HALF_EVEN);
            BigDecimal[] a = new BigDecimal[STEPS + 1];
            for (int k = 0; k <= STEPS; k++) {
                a[k] = atanByHalving(BigDecimal.valueOf(k).divide(BigDecimal.valueOf(STEPS)), t);
            }
            return a;
        });
        int k = x.multiply(BigDecimal.valueOf(STEPS)).setScale(0, RoundingMode.HALF_EVEN).intValue();
        k = Math.max(0, Math.min(STEPS, k));
        BigDecimal c = BigDecimal.valueOf(k).divide(BigDecimal.valueOf(STEPS));
        BigDecimal r = k == 0 ? x : x.subtract(c).divide(BigDecimal.ONE.add(x.multiply(c), w), w);
        return table[k].add(atanSeries(r, w), w);
    }

    /** atan r for |r| ≤ 1/32 by its Taylor series in binary fixed point (guard bits included). */
    private static BigDecimal atanSeries(BigDecimal r, MathContext w) {
        if (r.signum() == 0) {
            return BigDecimal.ZERO;
        }
        int bits = (int) Math.ceil((w.getPrecision() + 4) * 3.3219280948873626) + 16;
        java.math.BigInteger one = java.math.BigInteger.ONE.shiftLeft(bits);
        java.math.BigInteger rr = r.abs().multiply(new BigDecimal(one)).setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
        java.math.BigInteger r2 = rr.multiply(rr).shiftRight(bits);
        java.math.BigInteger power = rr;                 // |r|^(2i+1), non-negative, so shifts truncate towards 0
        java.math.BigInteger sum = rr;
        for (long i = 1; power.signum() != 0; i++) {
            power = power.multiply(r2).shiftRight(bits);
            java.math.BigInteger term = power.divide(java.math.BigInteger.valueOf(2 * i + 1));
            sum = (i % 2 == 1) ? sum.subtract(term) : sum.add(term);
        }
        BigDecimal v = new BigDecimal(sum).divide(new BigDecimal(one), w);
        return r.signum() < 0 ? v.negate() : v;
    }

    /** atan x for 0 ≤ x ≤ 1 by argument halving and the series (slow; fills the tables). */
    static BigDecimal atanByHalving(BigDecimal x, MathContext w) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        int halvings = 0;
        while (x.compareTo(SMALL) > 0) {
            BigDecimal r = sqrt(BigDecimal.ONE.add(x.multiply(x, w), w), w);
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
