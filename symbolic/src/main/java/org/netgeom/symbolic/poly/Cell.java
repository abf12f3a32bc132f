package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.List;

/**
 * One cell found by {@link CellEnumerator}: a non-empty open convex polytope of the domain's
 * interior on which every unit of the program has a fixed option. Exact: the witness is a
 * rational point strictly inside, re-checked against every inequality of the cell before the
 * cell was emitted; vertices and facets (vertex modes) are the exact closure.
 *
 * @param <L> the program's per-cell data (see {@link SplitProgram#leaf()})
 */
public final class Cell<L> {
    private final String pattern;
    private final Point witness;
    private final List<Point> vertices;
    private final List<Facet> facets;
    private final L data;

    /**
     * A facet of the closure: {@code form} ≥ 0 on the cell and = 0 on the facet. {@code label}
     * is the position in the pattern of the unit whose hyperplane it lies on (≥ 0), or
     * −(1 + i) for the domain's constraint i, or {@link #BOUNDING_BOX} for a side of the box
     * that bounds a polytope domain. {@code vertices} index {@link #vertices()}.
     */
    public record Facet(Form form, int label, int[] vertices) {
    }

    /** The label of a facet on the bounding box of a polytope domain. */
    public static final int BOUNDING_BOX = Integer.MIN_VALUE;

    Cell(String pattern, Point witness, List<Point> vertices, List<Facet> facets, L data) {
        this.pattern = pattern;
        this.witness = witness;
        this.vertices = vertices;
        this.facets = facets;
        this.data = data;
    }

    /**
     * A cell found by another search (the edge subdivision of {@code regions}): the caller has
     * re-checked the witness exactly against every inequality of the cell and of the domain, and
     * the vertices and facets (or nulls) are exact.
     */
    public static <L> Cell<L> of(String pattern, Point witness, List<Point> vertices, List<Facet> facets, L data) {
        return new Cell<>(pattern, witness, vertices, facets, data);
    }

    /**
     * The options taken, one character per unit in program order: '1'/'0' for sign units,
     * the winner's index (0-9, then a-z) for argmax units.
     */
    public String pattern() {
        return pattern;
    }

    /** A rational point strictly inside the cell (null in float64 mode). */
    public Rational[] witness() {
        return witness.coordinates();
    }

    /** The witness as doubles (the only form in float64 mode). */
    public double[] witnessApprox() {
        return witness.approx();
    }

    /** The witness as a point. */
    public Point witnessPoint() {
        return witness;
    }

    /** The exact vertices of the closure (2-D: counter-clockwise), or null in LP mode. */
    public List<Rational[]> vertices() {
        if (vertices == null) {
            return null;
        }
        List<Rational[]> out = new ArrayList<>(vertices.size());
        for (Point p : vertices) {
            out.add(p.coordinates());
        }
        return out;
    }

    /** The vertices as points, or null in LP mode. */
    public List<Point> vertexPoints() {
        return vertices;
    }

    /** The facets of the closure, or null in LP mode. */
    public List<Facet> facets() {
        return facets;
    }

    /**
     * A cell assembled from known parts rather than found by the search: a region of a split
     * enumeration merged from its pieces in several sub-domains (no facets: consumers treat it as
     * an LP-mode cell). The caller has checked the witness.
     */
    public static <L> Cell<L> assembled(String pattern, Rational[] witness, List<Rational[]> vertices, L data) {
        List<Point> vs = null;
        if (vertices != null) {
            vs = new ArrayList<>(vertices.size());
            for (Rational[] v : vertices) {
                vs.add(new Point(v));
            }
        }
        return new Cell<>(pattern, new Point(witness), vs, null, data);
    }

    /** The program's data for this cell. */
    public L data() {
        return data;
    }

    @Override
    public String toString() {
        return "Cell(" + pattern + ", witness " + witness + ")";
    }
}
