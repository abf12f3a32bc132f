package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The result of {@link Regions#enumerate}: every activation region of the domain, exactly, and
 * the affine pieces they form (maximal sets of regions with the same affine map connected through
 * shared (k−1)-dimensional facets).
 */
public final class RegionSet {
    private final List<Region> regions;
    private final List<Piece> pieces;
    private final Domain domain;
    private final AffineMap inputMap;
    private final NetworkProgram program;
    private final Stats stats;

    /** An affine piece: its regions (indices) and its map. */
    public record Piece(int index, AffineMap map, List<Integer> regions) {
    }

    /** A 1-D affine piece as an interval [lo, hi] of the variable. */
    public record Interval(Rational lo, Rational hi, Piece piece) {
    }

    RegionSet(List<Region> regions, List<Piece> pieces, Domain domain, AffineMap inputMap, NetworkProgram program, Stats stats) {
        this.regions = Collections.unmodifiableList(regions);
        this.pieces = pieces == null ? null : Collections.unmodifiableList(pieces);
        this.domain = domain;
        this.inputMap = inputMap;
        this.program = program;
        this.stats = stats;
    }

    public int activationRegions() {
        return regions.size();
    }

    /** The number of affine pieces (−1 in float64 mode, where none are computed). */
    public int affinePieces() {
        return pieces == null ? -1 : pieces.size();
    }

    public List<Region> regions() {
        return regions;
    }

    /** The affine pieces (null in float64 mode). */
    public List<Piece> pieces() {
        return pieces;
    }

    public Domain domain() {
        return domain;
    }

    /** The map from the enumeration's variables to the model input (identity, or the slice). */
    public AffineMap inputMap() {
        return inputMap;
    }

    /** The number of variables (1, 2, ...). */
    public int dimension() {
        return domain.dimension();
    }

    public Stats stats() {
        return stats;
    }

    /** The program (to replay a region's inequalities, or to map pattern positions to layers). */
    public NetworkProgram program() {
        return program;
    }

    /** All inequalities g(u) &gt; 0 of a region, exact (units' only; the domain adds its own). */
    public List<CellEnumerator.Inequality> inequalities(Region r) {
        return CellEnumerator.inequalities(program, r.pattern());
    }

    /** In one variable: the affine pieces as intervals, left to right. */
    public List<Interval> intervals() {
        if (dimension() != 1 || pieces == null) {
            throw new IllegalStateException("intervals exist for exact enumerations in one variable");
        }
        List<Interval> out = new ArrayList<>();
        for (Piece p : pieces) {
            Rational lo = null;
            Rational hi = null;
            for (int i : p.regions()) {
                for (Rational[] v : regions.get(i).vertices()) {
                    lo = lo == null ? v[0] : lo.min(v[0]);
                    hi = hi == null ? v[0] : hi.max(v[0]);
                }
            }
            out.add(new Interval(lo, hi, p));
        }
        out.sort(Comparator.comparing(Interval::lo));
        return out;
    }

    /** In one variable: the points inside the domain where the affine piece changes, ascending. */
    public List<Rational> breakpoints() {
        List<Interval> iv = intervals();
        List<Rational> out = new ArrayList<>();
        for (int i = 1; i < iv.size(); i++) {
            out.add(iv.get(i).lo());
        }
        return out;
    }
}
