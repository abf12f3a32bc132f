package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.cas.Cas;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The arithmetic the kernel recursion ({@link Recursion}) runs on: arbitrary-precision decimals
 * ({@link Decimals}) or exact Symja expressions ({@link Exprs}). One recursion, two readings.
 */
interface Arith<T> {
    T of(Rational q);

    T add(T a, T b);

    T sub(T a, T b);

    T mul(T a, T b);

    T div(T a, T b);

    T pi();

    /** √max(a, 0) (a negative a is rounding noise of a zero). */
    T sqrt(T a);

    /** arccos(s/√p) ∈ [0, π] for p &gt; 0, given sq = √(p − s²). */
    T arccos(T s, T p, T sq);

    /** arcsin(y/√h) for h &gt; y², given r = √(h − y²). */
    T arcsin(T y, T h, T r);

    /** Called on each kernel entry at the end of a layer (Symja simplifies there). */
    T settle(T a);

    /** A new n×n matrix of this arithmetic's values. */
    T[][] matrix(int n);

    /** Small rational constants (σ's, slopes) as decimals, per precision. */
    java.util.Map<java.util.List<Object>, BigDecimal> CONSTANTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Decimals to a fixed number of significant digits. */
    record Decimals(MathContext mc) implements Arith<BigDecimal> {
        Decimals(int digits) {
            this(new MathContext(digits, RoundingMode.HALF_EVEN));
        }

        public BigDecimal of(Rational q) {
            if (q.isInteger()) {
                return new BigDecimal(q.numerator()).round(mc);
            }
            if (q.denominator().bitLength() > 62 || q.numerator().bitLength() > 62) {
                return q.toBigDecimal(mc);
            }
            return CONSTANTS.computeIfAbsent(java.util.List.of(q, mc.getPrecision()), k -> q.toBigDecimal(mc));
        }

        public BigDecimal add(BigDecimal a, BigDecimal b) {
            return a.add(b, mc);
        }

        public BigDecimal sub(BigDecimal a, BigDecimal b) {
            return a.subtract(b, mc);
        }

        public BigDecimal mul(BigDecimal a, BigDecimal b) {
            return a.multiply(b, mc);
        }

        public BigDecimal div(BigDecimal a, BigDecimal b) {
            return a.divide(b, mc);
        }

        public BigDecimal pi() {
            return BigMath.pi(mc);
        }

        public BigDecimal sqrt(BigDecimal a) {
            return a.signum() <= 0 ? BigDecimal.ZERO : BigMath.sqrt(a, mc);
        }

        public BigDecimal arccos(BigDecimal s, BigDecimal p, BigDecimal sq) {
            return BigMath.atan2(sq, s, mc);          // well conditioned where s/√p is near ±1
        }

        public BigDecimal arcsin(BigDecimal y, BigDecimal h, BigDecimal r) {
            return BigMath.atan2(y, r, mc);
        }

        public BigDecimal settle(BigDecimal a) {
            return a;
        }

        public BigDecimal[][] matrix(int n) {
            return new BigDecimal[n][n];
        }
    }

    /**
     * Exact rationals, for the kernels that never leave them (identity and square activations, no
     * hidden layer); π, √ and the inverse cosines are refused.
     */
    record Exact() implements Arith<Rational> {
        public Rational of(Rational q) {
            return q;
        }

        public Rational add(Rational a, Rational b) {
            return a.add(b);
        }

        public Rational sub(Rational a, Rational b) {
            return a.subtract(b);
        }

        public Rational mul(Rational a, Rational b) {
            return a.multiply(b);
        }

        public Rational div(Rational a, Rational b) {
            return a.divide(b);
        }

        public Rational pi() {
            throw new IllegalStateException("π is not rational");
        }

        public Rational sqrt(Rational a) {
            throw new IllegalStateException("no exact square root");
        }

        public Rational arccos(Rational s, Rational p, Rational sq) {
            throw new IllegalStateException("arccos is not rational");
        }

        public Rational arcsin(Rational y, Rational h, Rational r) {
            throw new IllegalStateException("arcsin is not rational");
        }

        public Rational settle(Rational a) {
            return a;
        }

        public Rational[][] matrix(int n) {
            return new Rational[n][n];
        }
    }

    /** Symja input text; {@link #settle} lets Symja simplify each entry, within a size budget. */
    record Exprs(int maxChars) implements Arith<String> {
        public String of(Rational q) {
            return Cas.of(q);
        }

        public String add(String a, String b) {
            return "(" + a + ")+(" + b + ")";
        }

        public String sub(String a, String b) {
            return "(" + a + ")-(" + b + ")";
        }

        public String mul(String a, String b) {
            return "(" + a + ")*(" + b + ")";
        }

        public String div(String a, String b) {
            return "(" + a + ")/(" + b + ")";
        }

        public String pi() {
            return "Pi";
        }

        public String sqrt(String a) {
            return "Sqrt(" + a + ")";
        }

        public String arccos(String s, String p, String sq) {
            return "ArcCos((" + s + ")/Sqrt(" + p + "))";
        }

        public String arcsin(String y, String h, String r) {
            return "ArcSin((" + y + ")/Sqrt(" + h + "))";
        }

        public String settle(String a) {
            String r = Cas.get().eval("Expand(" + a + ")").replace("\n", "");
            if (r.length() > maxChars) {
                throw SymbolicError.BUDGET_EXCEEDED.error("a closed-form kernel entry grew past " + maxChars
                        + " characters; use fewer layers or drop --closed-form").with("found", r.length());
            }
            return r;
        }

        public String[][] matrix(int n) {
            return new String[n][n];
        }
    }
}
