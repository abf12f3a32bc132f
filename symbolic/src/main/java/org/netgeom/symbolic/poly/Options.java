package org.netgeom.symbolic.poly;

import org.netgeom.ir.Progress;

/**
 * Options of {@link CellEnumerator}.
 *
 * @param budget        the most cells to find; one more stops the search with BUDGET_EXCEEDED
 * @param progress      where long searches report (cells found)
 * @param mode          how cells are represented ({@link Mode#AUTO}: vertices up to
 *                      {@link #VERTEX_MODE_MAX_DIMENSION} variables, LP above)
 * @param arithmetic    exact (filtered or purely rational) or the uncertified float64 run
 * @param niceWitnesses prefer witnesses with small dyadic denominators (each still checked exactly)
 * @param ownCoverage   the edge search's own exact 2-D coverage check (exact areas summing to the
 *                      domain's; on by default); off only where the caller has the result certified
 *                      by netgeom-certify, which proves coverage itself (exact volumes)
 */
public record Options(long budget, Progress progress, Mode mode, Arithmetic arithmetic, boolean niceWitnesses, boolean ownCoverage) {
    /** The default budget, 10^6 cells. */
    public static final long DEFAULT_BUDGET = 1_000_000;
    /** AUTO uses vertex representations up to this many variables. */
    public static final int VERTEX_MODE_MAX_DIMENSION = 5;

    /** How cells are represented. */
    public enum Mode {
        /** Vertices for k ≤ 5 (a polygon for k = 2), LP above. */
        AUTO,
        /** Exact vertices and facets (double description; a polygon for k = 2). */
        VERTEX,
        /** Constraints, a witness and exact LP decisions with Farkas certificates. */
        LP
    }

    /** The arithmetic of predicates and constructions. */
    public enum Arithmetic {
        /** Exact: rational constructions, exact predicates with a floating-point filter. */
        EXACT,
        /** Exact with every predicate in rational arithmetic (no filter): slower, for cross-checks. */
        EXACT_RATIONAL,
        /** Plain float64 with a tolerance, no certificates: only to time the same search in floats. */
        FLOAT64
    }

    public static Options defaults() {
        return new Options(DEFAULT_BUDGET, Progress.NONE, Mode.AUTO, Arithmetic.EXACT, true, true);
    }

    public Options withBudget(long b) {
        return new Options(b, progress, mode, arithmetic, niceWitnesses, ownCoverage);
    }

    public Options withProgress(Progress p) {
        return new Options(budget, p == null ? Progress.NONE : p, mode, arithmetic, niceWitnesses, ownCoverage);
    }

    public Options withMode(Mode m) {
        return new Options(budget, progress, m, arithmetic, niceWitnesses, ownCoverage);
    }

    public Options withArithmetic(Arithmetic a) {
        return new Options(budget, progress, mode, a, niceWitnesses, ownCoverage);
    }

    /** See {@code ownCoverage}: only for callers that certify the result independently. */
    public Options withOwnCoverage(boolean c) {
        return new Options(budget, progress, mode, arithmetic, niceWitnesses, c);
    }

    public Options withNiceWitnesses(boolean n) {
        return new Options(budget, progress, mode, arithmetic, n, ownCoverage);
    }

    /** The representation used for k variables. */
    public Mode resolved(int k) {
        if (mode != Mode.AUTO) {
            return mode;
        }
        return k <= VERTEX_MODE_MAX_DIMENSION ? Mode.VERTEX : Mode.LP;
    }
}
