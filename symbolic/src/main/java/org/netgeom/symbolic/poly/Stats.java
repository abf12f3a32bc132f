package org.netgeom.symbolic.poly;

/**
 * Counters of one enumeration: search nodes, splits, how empty candidates were proven empty and
 * how often the floating-point filter had to defer to rational arithmetic.
 */
public final class Stats {
    /** Cells emitted (leaves). */
    public long cells;
    /** Unit decisions examined (search nodes). */
    public long nodes;
    /** Units whose hyperplane cut a cell in two non-empty parts. */
    public long splits;
    /** Empty candidates proven empty by the signs of the exact vertices of the closure. */
    public long vertexProofs;
    /** Empty candidates proven empty by a checked Farkas certificate (LP mode). */
    public long farkasProofs;
    /** LP decisions (LP mode): float-guided, exactly checked, exact simplex when a check fails. */
    public long lpCalls;
    /** Those of them decided by the exact simplex (the float64 guess did not pass its exact check). */
    public long exactSimplex;
    /** Witnesses re-checked exactly against all of their cell's inequalities. */
    public long witnessChecks;
    /** Inequality evaluations in those checks. */
    public long inequalityChecks;

    @Override
    public String toString() {
        return "cells " + cells + ", nodes " + nodes + ", splits " + splits + ", vertex proofs " + vertexProofs
                + ", Farkas proofs " + farkasProofs + ", LP decisions " + lpCalls + " (" + exactSimplex + " by exact simplex)" + ", witness checks " + witnessChecks
                + " (" + inequalityChecks + " inequalities)";
    }
}
