package org.netgeom.symbolic.regions;

import org.netgeom.ir.Model;
import org.netgeom.symbolic.SymbolicError;
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
        if (inputMap.variables() != domain.dimension()) {
            throw SymbolicError.BAD_INPUT.error("the domain has " + domain.dimension() + " coordinates, the input "
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
        if (inputMap.variables() != domain.dimension()) {
            throw SymbolicError.BAD_INPUT.error("the domain has " + domain.dimension() + " coordinates, the input "
                    + inputMap.variables());
        }
        NetworkProgram program = NetworkProgram.forModel(model, inputMap, options.arithmetic() == Options.Arithmetic.FLOAT64);
        long[] n = {0};
        return CellEnumerator.enumerate(domain, program, options,
                (Cell<NetworkProgram.Outputs> c) -> sink.accept(new Region((int) n[0]++, c, inputMap)));
    }
}
