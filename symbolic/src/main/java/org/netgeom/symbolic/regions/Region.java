package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Cell;

import java.util.List;

/**
 * An activation region (IR.md, issue "Exact affine pieces"): a non-empty open subset of the
 * domain's interior on which every piecewise-linear unit has a fixed strict sign or choice. On
 * it the network is the exact affine map {@link #map()}: f(u) = A u + b, with u the input (or
 * the slice coordinates). Its witness is a rational point strictly inside, checked exactly.
 */
public final class Region {
    private final int index;
    private final Cell<NetworkProgram.Outputs> cell;
    private final AffineMap inputMap;
    private AffineMap map;
    int piece = -1;

    Region(int index, Cell<NetworkProgram.Outputs> cell, AffineMap inputMap) {
        this.index = index;
        this.cell = cell;
        this.inputMap = inputMap;
    }

    /** A region whose exact map is known already (a merged region of a split enumeration). */
    Region(int index, Cell<NetworkProgram.Outputs> cell, AffineMap inputMap, AffineMap map) {
        this(index, cell, inputMap);
        this.map = map;
    }

    /** Its position in {@link RegionSet#regions()}. */
    public int index() {
        return index;
    }

    /**
     * One character per unit in evaluation order (a residual's body, then its shortcut): '1'
     * positive, '0' negative or identically zero; for a max-pooling window the winner's index
     * (0-9, a-z) in its window, row-major.
     */
    public String pattern() {
        return cell.pattern();
    }

    /** A rational point strictly inside, in the enumeration's variables (input or slice coordinates). */
    public Rational[] witness() {
        return cell.witness();
    }

    /** The witness as a model input (the same as {@link #witness()} without a slice). */
    public Rational[] inputWitness() {
        return inputMap.apply(cell.witness());
    }

    /** The exact affine map of the network on this region, in the enumeration's variables. */
    public AffineMap map() {
        if (map == null) {
            map = cell.data().map(0);
        }
        return map;
    }

    /** The index of the affine piece this region belongs to, or −1 when pieces were not computed. */
    public int piece() {
        return piece;
    }

    /** The exact vertices of the closure (2-D: counter-clockwise; 1-D: the two ends), or null in LP mode. */
    public List<Rational[]> vertices() {
        return cell.vertices();
    }

    /** The facets of the closure, or null in LP mode. */
    public List<Cell.Facet> facets() {
        return cell.facets();
    }

    /** The underlying cell. */
    public Cell<NetworkProgram.Outputs> cell() {
        return cell;
    }

    @Override
    public String toString() {
        return "Region " + index + " (" + pattern() + ")";
    }
}
