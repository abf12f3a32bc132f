package org.netgeom.symbolic.regions;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Activation regions and affine pieces of a piecewise-linear network over a domain, exactly
 * (docs/regions.md). A network of dense, relu/leaky_relu/abs/abrelu, identity, residual, concat,
 * batchnorm, conv2d, avg/max pooling and flatten layers is a continuous piecewise-affine function;
 * this finds every activation region of a box or polytope of its input space (or of an affine
 * slice u ↦ o + Σ u_j d_j of it), each with a rational witness strictly inside (checked exactly),
 * its exact affine map, and, for vertex modes, its exact vertices and facets; and groups the
 * regions into affine pieces.
 */
public final class Regions {
    private Regions() {
    }

    /** All activation regions of {@code model} on {@code domain} (a domain of the model's input). */
    public static RegionSet enumerate(Model model, Domain domain, Options options) {
        return enumerate(model, AffineMap.identity(model.input().size()), domain, options);
    }

    /**
     * All activation regions of {@code model} composed with {@code inputMap} (u ↦ model input;
     * a slice) on {@code domain}, a domain of u.
     */
    public static RegionSet enumerate(Model model, AffineMap inputMap, Domain domain, Options options) {
        return enumerate(model, inputMap, domain, options, Search.AUTO);
    }

    /**
     * The search strategy. {@link #CELLS}: the exact splitting search ({@code CellEnumerator});
     * {@link #EDGES}: edge subdivision of the polyhedral complex in float64 (Berzins 2023), whose
     * regions are then re-derived and checked exactly ({@link EdgeRegions}), where it applies (a box
     * domain of 2 to 5 variables, sign units only, the default vertex mode and exact arithmetic),
     * falling back to cells when a check of the edge result fails; {@link #AUTO}: cells for now,
     * since the edge search is not yet faster on the bench nets (docs/benchmarks.md), and cells
     * keep the region order and witnesses that the documented outputs show.
     */
    public enum Search {
        AUTO, CELLS, EDGES
    }

    /** The strategy {@code search} resolves to for this model and domain (never AUTO). */
    public static Search resolve(Model model, AffineMap inputMap, Domain domain, Options options, Search search) {
        if (search != Search.EDGES) {
            return Search.CELLS;
        }
        if (options.mode() != Options.Mode.AUTO || options.arithmetic() != Options.Arithmetic.EXACT
                || !EdgeRegions.supports(model, inputMap, domain)) {
            throw IrError.BAD_INPUT.at("--search", "the edge search needs a box domain of 2 to 5 variables, "
                    + "no max pooling, --mode auto and exact arithmetic (use --search cells)");
        }
        return Search.EDGES;
    }

    /** As {@link #enumerate(Model, AffineMap, Domain, Options)} with a chosen search strategy. */
    public static RegionSet enumerate(Model model, AffineMap inputMap, Domain domain, Options options, Search search) {
        if (inputMap.variables() == domain.dimension() && resolve(model, inputMap, domain, options, search) == Search.EDGES) {
            try {
                NetworkProgram program = NetworkProgram.forModel(model, inputMap, false);
                List<Region> regions = new ArrayList<>();
                Stats stats = EdgeRegions.run(model, inputMap, domain, options, regions::add);
                RegionSet partial = new RegionSet(regions, null, domain, inputMap, program, stats);
                List<RegionSet.Piece> pieces = AffinePieces.compute(regions, partial);
                return new RegionSet(regions, pieces, domain, inputMap, program, stats);
            } catch (EdgeRegions.Rejected e) {
                if (search == Search.EDGES) {
                    throw new IllegalStateException("the edge search's result failed its exact check: " + e.getMessage());
                }
                // the float search went wrong somewhere: the exact cell search decides
            }
        }
        return enumerateCells(model, inputMap, domain, options);
    }

    private static RegionSet enumerateCells(Model model, AffineMap inputMap, Domain domain, Options options) {
        if (inputMap.variables() != domain.dimension()) {
            throw IrError.BAD_INPUT.error("the domain has " + domain.dimension() + " coordinates, the input "
                    + inputMap.variables());
        }
        boolean float64 = options.arithmetic() == Options.Arithmetic.FLOAT64;
        NetworkProgram program = NetworkProgram.forModel(model, inputMap, float64);
        List<Region> regions = new ArrayList<>();
        Stats stats = CellEnumerator.enumerate(domain, program, options,
                (Cell<NetworkProgram.Outputs> c) -> regions.add(new Region(regions.size(), c, inputMap)));
        RegionSet partial = new RegionSet(regions, null, domain, inputMap, program, stats);
        if (float64) {
            return partial;
        }
        List<RegionSet.Piece> pieces = AffinePieces.compute(regions, partial);
        return new RegionSet(regions, pieces, domain, inputMap, program, stats);
    }

    /**
     * Streams the activation regions to {@code sink} as they are found, keeping none (no affine
     * pieces are computed): for maximising over all regions, e.g. the operator norm of each
     * region's exact map {@code r.map().a()} for a Lipschitz constant. Returns the counters.
     */
    public static Stats forEach(Model model, AffineMap inputMap, Domain domain, Options options, Consumer<Region> sink) {
        return forEach(model, inputMap, domain, options, Search.AUTO, sink);
    }

    /** As {@link #forEach(Model, AffineMap, Domain, Options, Consumer)} with a chosen search strategy. */
    public static Stats forEach(Model model, AffineMap inputMap, Domain domain, Options options, Search search,
                                Consumer<Region> sink) {
        if (inputMap.variables() == domain.dimension() && resolve(model, inputMap, domain, options, search) == Search.EDGES) {
            try {
                return EdgeRegions.run(model, inputMap, domain, options, sink);
            } catch (EdgeRegions.Rejected e) {
                if (search == Search.EDGES) {
                    throw new IllegalStateException("the edge search's result failed its exact check: " + e.getMessage());
                }
            }
        }
        if (inputMap.variables() != domain.dimension()) {
            throw IrError.BAD_INPUT.error("the domain has " + domain.dimension() + " coordinates, the input "
                    + inputMap.variables());
        }
        NetworkProgram program = NetworkProgram.forModel(model, inputMap, options.arithmetic() == Options.Arithmetic.FLOAT64);
        long[] n = {0};
        return CellEnumerator.enumerate(domain, program, options,
                (Cell<NetworkProgram.Outputs> c) -> sink.accept(new Region((int) n[0]++, c, inputMap)));
    }
}
