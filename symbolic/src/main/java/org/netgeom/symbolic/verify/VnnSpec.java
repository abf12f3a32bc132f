package org.netgeom.symbolic.verify;

import org.netgeom.ir.Rational;

import java.util.List;

/**
 * A VNN-LIB property in disjunctive normal form, as {@link VnnLib} reads it. As in VNN-COMP the
 * assertions describe a <em>violation</em>: the property is {@code sat} when some term has an
 * input x in its box whose output y = f(x) satisfies every one of the term's output constraints,
 * and {@code unsat} otherwise.
 *
 * @param inputs    the model's number of inputs (X_0 … X_{n−1}, the flattened input)
 * @param outputs   the model's number of outputs (Y_0 … Y_{k−1})
 * @param terms     the disjuncts, each an input box and a conjunction of output constraints
 * @param boxes     the distinct boxes of the terms (a term's {@link Term#box()} indexes this list)
 * @param dropped   terms left out because they are false whatever the network (an empty box, or a
 *                  constant constraint such as {@code (<= 1 0)}); they cannot make the property sat
 */
public record VnnSpec(int inputs, int outputs, List<Term> terms, List<Box> boxes, int dropped) {

    /** An input box lo ≤ x ≤ hi (exact rationals, lo ≤ hi). */
    public record Box(Rational[] lo, Rational[] hi) {
    }

    /** One disjunct: the box (an index into {@link VnnSpec#boxes()}) and the output constraints. */
    public record Term(int box, List<Constraint> constraints) {
    }

    /**
     * The output constraint a·y + b ≥ 0 (the assertion's {@code (<= s t)} becomes t − s ≥ 0),
     * with where it was written.
     */
    public record Constraint(Rational[] a, Rational b, int line, int column) {
        /** a·y + b, exactly. */
        public Rational value(Rational[] y) {
            Rational s = b;
            for (int j = 0; j < a.length; j++) {
                if (!a[j].isZero()) {
                    s = s.add(a[j].multiply(y[j]));
                }
            }
            return s;
        }

        /** The constraint as text, e.g. {@code Y_0 - Y_1 + 1/2 >= 0}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < a.length; j++) {
                if (a[j].isZero()) {
                    continue;
                }
                Rational c = a[j];
                if (sb.length() > 0) {
                    sb.append(c.signum() < 0 ? " - " : " + ");
                    c = c.abs();
                } else if (c.signum() < 0) {
                    sb.append("-");
                    c = c.abs();
                }
                if (!c.isOne()) {
                    sb.append(c).append("*");
                }
                sb.append("Y_").append(j);
            }
            if (!b.isZero() || sb.length() == 0) {
                if (sb.length() > 0) {
                    sb.append(b.signum() < 0 ? " - " : " + ").append(b.abs());
                } else {
                    sb.append(b);
                }
            }
            return sb.append(" >= 0").toString();
        }
    }
}
