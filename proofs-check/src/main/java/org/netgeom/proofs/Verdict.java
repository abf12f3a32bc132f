package org.netgeom.proofs;

import java.util.Locale;

/** The outcome of checking a theorem on instances; the command line exits 0, 3 or 4. */
public enum Verdict {
    /** The statement held on every instance checked (with the evidence to show it). */
    HOLDS(0),
    /** Some instance contradicts the statement; the result carries it as a counterexample. */
    VIOLATED(3),
    /** The check could not decide (a hypothesis not met, a budget exhausted, a tolerance too wide). */
    INCONCLUSIVE(4);

    public final int exitStatus;

    Verdict(int exitStatus) {
        this.exitStatus = exitStatus;
    }

    /** The JSON spelling: {@code holds}, {@code violated}, {@code inconclusive}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two verdicts (violated beats inconclusive beats holds). */
    public Verdict and(Verdict o) {
        if (this == VIOLATED || o == VIOLATED) {
            return VIOLATED;
        }
        return this == INCONCLUSIVE || o == INCONCLUSIVE ? INCONCLUSIVE : HOLDS;
    }
}
