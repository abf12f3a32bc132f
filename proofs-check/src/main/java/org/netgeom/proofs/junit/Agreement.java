package org.netgeom.proofs.junit;

import org.netgeom.ir.Rational;
import org.opentest4j.AssertionFailedError;

/**
 * Numeric-vs-exact assertions: a float quantity must equal an exact one within a stated
 * tolerance, |numeric − exact| ≤ abs + rel·|exact| (the exact value is converted to the nearest
 * double only for the comparison). A failure message names the quantity, both values and the
 * instance, with its model as IR so the failure can be reproduced with {@code netgeom}.
 */
public final class Agreement {
    private Agreement() {
    }

    /** A tolerance: absolute plus relative to the exact value. */
    public record Tolerance(double abs, double rel) {
        public static Tolerance relative(double rel) {
            return new Tolerance(0, rel);
        }

        public static Tolerance of(double abs, double rel) {
            return new Tolerance(abs, rel);
        }

        boolean accepts(double numeric, double exact) {
            return Math.abs(numeric - exact) <= abs + rel * Math.abs(exact);
        }
    }

    /** Asserts that a float value agrees with an exact one on an instance. */
    public static void assertAgrees(String quantity, double numeric, Rational exact, Tolerance tol, NetInstance instance) {
        double e = exact.doubleValue();
        if (!Double.isFinite(numeric) || !tol.accepts(numeric, e)) {
            throw new AssertionFailedError(message(quantity, numeric, exact, tol, instance), exact.toString(), numeric);
        }
    }

    /** Element-wise {@link #assertAgrees(String, double, Rational, Tolerance, NetInstance)}. */
    public static void assertAgrees(String quantity, double[] numeric, Rational[] exact, Tolerance tol, NetInstance instance) {
        if (numeric.length != exact.length) {
            throw new AssertionFailedError(quantity + ": " + numeric.length + " numeric values, " + exact.length + " exact ones"
                    + counterexample(instance));
        }
        for (int i = 0; i < exact.length; i++) {
            assertAgrees(quantity + "[" + i + "]", numeric[i], exact[i], tol, instance);
        }
    }

    static String message(String quantity, double numeric, Rational exact, Tolerance tol, NetInstance instance) {
        return quantity + ": numeric " + numeric + " vs exact " + exact + " (= " + exact.doubleValue() + "), off by "
                + Math.abs(numeric - exact.doubleValue()) + ", tolerance abs " + tol.abs() + " + rel " + tol.rel()
                + counterexample(instance);
    }

    static String counterexample(NetInstance instance) {
        if (instance == null) {
            return "";
        }
        return "\ncounterexample: " + instance + " at x = " + instance.pointText() + "\nmodel (IR):\n" + instance.toIr();
    }
}
