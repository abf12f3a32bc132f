package org.netgeom.symbolic.regions;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.poly.SplitProgram;
import org.netgeom.symbolic.poly.Unit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@link SplitProgram} of piecewise-linear networks: one or more <em>tracks</em>, each an
 * exact affine map from the variables u ∈ Q^k to a tensor followed by layers. Along a track the
 * values are exact affine forms in u; every relu-family unit is a sign unit and every max-pooling
 * window an argmax unit, in evaluation order, track after track. At a leaf the output of each
 * track is an exact affine map of u.
 *
 * <ul>
 *   <li>Input space: one track, the model's layers after u ↦ u (or a slice u ↦ o + Σ u_j d_j),
 *       see {@link #forModel}.</li>
 *   <li>Parameter space (the loss-surface use): with θ = θ0 + a·d1 + b·d2 varying only layer L's
 *       parameters and the data fixed, each data point x gives one track: its pre-activations
 *       after layer L are affine in u = (a, b) (layer L's output at x), followed by the layers
 *       after L. Its cells are those of the parameter plane on which every data point has a fixed
 *       activation pattern, and its leaf outputs are each point's network output as an affine
 *       function of u.</li>
 * </ul>
 *
 * <p>Arithmetic: integer numerators over a common denominator per buffer (long, BigInteger on
 * overflow), so that forms are exact without a gcd per operation; or doubles in float64 mode.
 */
public final class NetworkProgram implements SplitProgram<NetworkProgram.Outputs> {

    /**
     * One track: {@code input} maps u ∈ Q^k to the tensor (flattened row-major) of shape
     * {@code shape} that {@code layers} take; {@code path} prefixes layer paths in errors
     * ("layers" for a model's own list).
     */
    public record Track(String name, AffineMap input, Shape shape, List<Layer> layers, String path) {
        public Track {
            layers = List.copyOf(layers);
            if (input.outputs() != shape.size()) {
                throw IrError.BAD_INPUT.error("track " + name + ": the input map has " + input.outputs()
                        + " outputs, the shape " + shape + " needs " + shape.size());
            }
        }
    }

    /** A block of consecutive units (one activation or pooling layer of one track). */
    public record UnitBlock(int track, String path, String op, int start, int count) {
    }

    /** The exact output maps of one cell, one per track (kept compactly, converted on demand). */
    public static final class Outputs {
        private final Rows.Snapshot[] snaps;

        Outputs(Rows.Snapshot[] snaps) {
            this.snaps = snaps;
        }

        public int tracks() {
            return snaps.length;
        }

        /** Track t's output on the cell as an exact affine map of u (A is [outputs][k]). */
        public AffineMap map(int t) {
            return snaps[t].toMap();
        }
    }

    private final int k;
    private final boolean float64;
    private final NetworkCompiler.Ins[] ins;
    private final Rows[] buf;
    private final int[] outputs;
    private final List<UnitBlock> blocks;
    private final int units;
    // depth-first state
    private int pc;
    private int unit;
    private int[] stackPc = new int[64];
    private int[] stackUnit = new int[64];
    private int depth;

    private NetworkProgram(int k, boolean float64, List<NetworkCompiler.Ins> ins, List<Rows> buf, int[] outputs,
                           List<UnitBlock> blocks, int units) {
        this.k = k;
        this.float64 = float64;
        this.ins = ins.toArray(new NetworkCompiler.Ins[0]);
        this.buf = buf.toArray(new Rows[0]);
        this.outputs = outputs;
        this.blocks = Collections.unmodifiableList(blocks);
        this.units = units;
    }

    /**
     * A program over k variables from tracks (all layers must be free of symbols).
     *
     * @param float64 plain doubles instead of exact arithmetic (only for timing the same search)
     */
    public static NetworkProgram of(int k, List<Track> tracks, boolean float64) {
        List<NetworkCompiler.Ins> ins = new ArrayList<>();
        List<Rows> buf = new ArrayList<>();
        List<UnitBlock> blocks = new ArrayList<>();
        int[] outs = new int[tracks.size()];
        int units = 0;
        for (int t = 0; t < tracks.size(); t++) {
            Track tr = tracks.get(t);
            if (tr.input().variables() != k) {
                throw IrError.BAD_INPUT.error("track " + tr.name() + ": the input map takes " + tr.input().variables()
                        + " variables, the program " + k);
            }
            NetworkCompiler c = new NetworkCompiler(ins, buf, blocks, units, float64, k, t);
            outs[t] = c.track(tr.input(), tr.shape(), tr.layers(), tr.path());
            units = c.units;
        }
        return new NetworkProgram(k, float64, ins, buf, outs, blocks, units);
    }

    /** The program of a model's input space through {@code input} (identity, or a slice). */
    public static NetworkProgram forModel(Model model, AffineMap input, boolean float64) {
        Binder.requireNoSymbols(model);
        if (input.outputs() != model.input().size()) {
            throw IrError.BAD_INPUT.error("the model takes " + model.input().size() + " input values (shape "
                    + model.input() + "), the input map gives " + input.outputs());
        }
        return of(input.variables(), List.of(new Track("input", input, model.input(), model.layers(), "layers")), float64);
    }

    @Override
    public int variables() {
        return k;
    }

    /** The total number of units (the length of every pattern). */
    public int units() {
        return units;
    }

    /** The unit blocks in order (which layer each pattern position belongs to). */
    public List<UnitBlock> blocks() {
        return blocks;
    }

    /** The number of units of track t (its share of every pattern). */
    public int trackUnits(int t) {
        int n = 0;
        for (UnitBlock b : blocks) {
            if (b.track() == t) {
                n += b.count();
            }
        }
        return n;
    }

    /** Track t's part of a cell's pattern (tracks' units come one track after another). */
    public String trackPattern(String pattern, int t) {
        int start = 0;
        for (int i = 0; i < t; i++) {
            start += trackUnits(i);
        }
        return pattern.substring(start, start + trackUnits(t));
    }

    /** The compiled instructions (for the float and exact point evaluators of the edge search). */
    NetworkCompiler.Ins[] instructions() {
        return ins;
    }

    /** The size of buffer i. */
    int bufferSize(int i) {
        return buf[i].n;
    }

    /** The buffer that holds track t's output. */
    int outputBuffer(int t) {
        return outputs[t];
    }

    /** True for the float64 program. */
    public boolean isFloat64() {
        return float64;
    }

    @Override
    public Unit next() {
        while (pc < ins.length) {
            NetworkCompiler.Ins in = ins[pc];
            if (in instanceof NetworkCompiler.Act a) {
                return new Unit.Sign(buf[a.src()].form(unit));
            }
            if (in instanceof NetworkCompiler.Pool p) {
                int[] win = p.windows()[unit];
                Form[] z = new Form[win.length];
                for (int i = 0; i < win.length; i++) {
                    z[i] = buf[p.src()].form(win[i]);
                }
                return new Unit.Argmax(z);
            }
            execute(in);
            pc++;
            unit = 0;
        }
        return null;
    }

    private void execute(NetworkCompiler.Ins in) {
        if (in instanceof NetworkCompiler.Lin l) {
            Rows.linear(l.m(), buf[l.src()], buf[l.dst()]);
        } else if (in instanceof NetworkCompiler.Add a) {
            Rows.combine(buf[a.a()], buf[a.b()], buf[a.dst()], a.concat());
        }
        // In: the buffer was set at compile time
    }

    @Override
    public void decide(int choice) {
        if (depth == stackPc.length) {
            stackPc = java.util.Arrays.copyOf(stackPc, 2 * depth);
            stackUnit = java.util.Arrays.copyOf(stackUnit, 2 * depth);
        }
        stackPc[depth] = pc;
        stackUnit[depth] = unit;
        depth++;
        NetworkCompiler.Ins in = ins[pc];
        int count;
        if (in instanceof NetworkCompiler.Act a) {
            Rows src = buf[a.src()];
            Rows dst = buf[a.dst()];
            if (unit == 0) {
                Rows.scaleStart(src, dst, a.maxSlope(), a.q());
            }
            boolean on = choice == 1;
            Rows.scaleRow(src, dst, unit, on ? a.posN() : a.negN(), on ? a.posB() : a.negB(), on ? a.posD() : a.negD());
            count = src.n;
        } else if (in instanceof NetworkCompiler.Pool p) {
            Rows src = buf[p.src()];
            Rows dst = buf[p.dst()];
            if (unit == 0) {
                Rows.copyStart(src, dst);
            }
            Rows.copyRow(src, p.windows()[unit][choice], dst, unit);
            count = p.windows().length;
        } else {
            throw new IllegalStateException("decide() without a unit");
        }
        unit++;
        if (unit == count) {
            pc++;
            unit = 0;
        }
    }

    @Override
    public void undo() {
        depth--;
        pc = stackPc[depth];
        unit = stackUnit[depth];
    }

    @Override
    public Outputs leaf() {
        Rows.Snapshot[] s = new Rows.Snapshot[outputs.length];
        for (int t = 0; t < outputs.length; t++) {
            s[t] = buf[outputs[t]].snapshot();
        }
        return new Outputs(s);
    }
}
