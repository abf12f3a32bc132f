package org.netgeom.proofs;

import java.util.List;

/**
 * A theorem of the catalog: data (id, statement in text and LaTeX, citation, parameters) plus a
 * checker that decides it on concrete instances, and a false variant (the same statement with
 * one deliberate error) that the checker must report as {@link Verdict#VIOLATED} with a
 * counterexample. A checker that cannot tell the two apart is a defect; the test suite runs
 * both on every entry.
 */
public interface Theorem {
    /** A stable id, e.g. {@code telgarsky-tent}. */
    String id();

    /** A short title. */
    String title();

    /** The statement in words, as checked (with its normalisation constants). */
    String statement();

    /** The statement in LaTeX. */
    String latex();

    Citation citation();

    /** The deliberate error of the false variant, in words. */
    String falseVariant();

    /** Parameters with defaults. */
    List<Param> params();

    /** True when the theorem speaks about a given network and accepts {@code --model}. */
    default boolean acceptsModel() {
        return false;
    }

    /** Checks the statement (or its false variant, per {@code ctx}) on instances. */
    CheckResult check(CheckContext ctx);
}
