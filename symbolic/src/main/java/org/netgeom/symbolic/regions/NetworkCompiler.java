package org.netgeom.symbolic.regions;

import org.netgeom.ir.Layer;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.symbolic.SymbolicError;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles layers into the straight-line instructions of a {@link NetworkProgram}: every affine
 * op (dense, batchnorm, conv2d, avgpool2d) becomes one sparse linear map, the relu family one
 * block of sign units, hardtanh two sign units per unit between two linear maps, max pooling and maxout one block of argmax units, residual and concat an addition
 * or concatenation of two earlier buffers; identity and flatten cost nothing. Units come in the
 * evaluation order of {@code ExactForward} (a residual's body, then its shortcut). Smooth ops and
 * square are refused with {@code NOT_PIECEWISE_LINEAR}.
 *
 * <p>A domain of the {@link Interpreter}: a value is the index of the buffer that holds it, and
 * each op appends the instruction that fills a new buffer; the walk, shapes, paths, conv taps and
 * pool windows are the interpreter's.
 */
final class NetworkCompiler implements Domain<Integer> {

    sealed interface Ins permits In, Lin, Act, Pool, Add {
    }

    /** A buffer set once (a track's input map). */
    record In(int dst) implements Ins {
    }

    record Lin(int src, int dst, IntMatrix m) implements Ins {
    }

    /** Sign units: row i of src takes slope pos (option 1) or neg (option 0), integers over q. */
    record Act(int src, int dst, long negN, long posN, BigInteger negB, BigInteger posB, BigInteger q,
               double negD, double posD, long maxSlope) implements Ins {
    }

    /** Argmax units: output row i is the winner among src rows windows[i]. */
    record Pool(int src, int dst, int[][] windows) implements Ins {
    }

    /** dst = a + b, or the rows of a then those of b ({@code concat}). */
    record Add(int a, int b, int dst, boolean concat) implements Ins {
    }

    final List<Ins> ins;
    final List<Rows> buffers;
    final List<NetworkProgram.UnitBlock> blocks;
    private final boolean float64;
    private final int w;
    private final int track;
    private String path;
    int units;

    NetworkCompiler(List<Ins> ins, List<Rows> buffers, List<NetworkProgram.UnitBlock> blocks, int units, boolean float64,
                    int k, int track) {
        this.ins = ins;
        this.buffers = buffers;
        this.blocks = blocks;
        this.units = units;
        this.float64 = float64;
        this.w = k + 1;
        this.track = track;
    }

    /** Compiles one track; returns the index of its output buffer. */
    int track(AffineMap input, Shape inShape, List<Layer> layers, String pathPrefix) {
        int b = buffer(inShape.size());
        buffers.get(b).set(input);
        ins.add(new In(b));
        return Interpreter.of(layers, inShape, pathPrefix).run(this, b);
    }

    private int buffer(int n) {
        buffers.add(new Rows(n, w, float64));
        return buffers.size() - 1;
    }

    @Override
    public void enter(Layer l, String p) {
        path = p;
    }

    @Override
    public int size(Integer x) {
        return buffers.get(x).n;
    }

    /** Dense, conv2d, avgpool2d and (lowered here) batchnorm: one sparse linear map. */
    @Override
    public Integer linear(Linear a, Integer x) {
        int out = a.out();
        List<List<IntMatrix.Entry>> rows = new ArrayList<>(out);
        Rational[] bias = new Rational[out];
        for (int o = 0; o < out; o++) {
            int[] cols = a.cols(o);
            List<IntMatrix.Entry> r = new ArrayList<>(cols.length);
            for (int k = 0; k < cols.length; k++) {
                r.add(new IntMatrix.Entry(cols[k], a.weightRational(o, k)));
            }
            rows.add(r);
            bias[o] = a.biasRational(o);
        }
        int dst = buffer(out);
        ins.add(new Lin(x, dst, new IntMatrix(size(x), rows, bias)));
        return dst;
    }

    @Override
    public Integer twoSlope(Layer.AbRelu l, Integer x) {
        return signUnits(l.neg().rational(), l.pos().rational(), l.op(), x);
    }

    /**
     * hardtanh as two sign units per unit: rows z_i − min and z_i − max (interleaved), relu, then
     * y_i = min + relu(z_i − min) − relu(z_i − max); the pattern "01" (z &lt; min and z &gt; max)
     * is empty and pruned like any infeasible sign choice. One block of 2n units, op "hardtanh".
     */
    @Override
    public Integer clamp(Layer.HardTanh l, Integer x) {
        int n = size(x);
        List<List<IntMatrix.Entry>> up = new ArrayList<>(2 * n);
        Rational[] upBias = new Rational[2 * n];
        List<List<IntMatrix.Entry>> down = new ArrayList<>(n);
        Rational[] downBias = new Rational[n];
        for (int i = 0; i < n; i++) {
            up.add(List.of(new IntMatrix.Entry(i, Rational.ONE)));
            up.add(List.of(new IntMatrix.Entry(i, Rational.ONE)));
            upBias[2 * i] = l.min().negate();
            upBias[2 * i + 1] = l.max().negate();
            down.add(List.of(new IntMatrix.Entry(2 * i, Rational.ONE), new IntMatrix.Entry(2 * i + 1, Rational.MINUS_ONE)));
            downBias[i] = l.min();
        }
        int shifted = buffer(2 * n);
        ins.add(new Lin(x, shifted, new IntMatrix(n, up, upBias)));
        int r = signUnits(Rational.ZERO, Rational.ONE, l.op(), shifted);
        int dst = buffer(n);
        ins.add(new Lin(r, dst, new IntMatrix(2 * n, down, downBias)));
        return dst;
    }

    private int signUnits(Rational neg, Rational pos, String op, int x) {
        BigInteger q = neg.denominator().divide(neg.denominator().gcd(pos.denominator())).multiply(pos.denominator());
        BigInteger nb = neg.numerator().multiply(q.divide(neg.denominator()));
        BigInteger pb = pos.numerator().multiply(q.divide(pos.denominator()));
        boolean fits = nb.bitLength() < 62 && pb.bitLength() < 62;
        long max = fits ? Math.max(Math.abs(nb.longValue()), Math.abs(pb.longValue())) : Long.MAX_VALUE;
        int n = size(x);
        int dst = buffer(n);
        ins.add(new Act(x, dst, fits ? nb.longValue() : 0, fits ? pb.longValue() : 0, nb, pb, q,
                neg.doubleValue(), pos.doubleValue(), max));
        blocks.add(new NetworkProgram.UnitBlock(track, path, op, units, n));
        units += n;
        return dst;
    }

    @Override
    public Integer square(Layer.Square l, Integer x) {
        throw notPiecewiseLinear(l);
    }

    @Override
    public Integer smooth(Layer.Smooth l, Integer x) {
        throw notPiecewiseLinear(l);
    }

    private NetgeomException notPiecewiseLinear(Layer l) {
        return SymbolicError.NOT_PIECEWISE_LINEAR.at(path, l.op() + " is not piecewise linear, so the network has no "
                + "finite set of affine pieces (regions need dense, relu/leaky_relu/abs/abrelu, hardtanh, identity, residual, concat, "
                + "batchnorm, conv2d, pooling and flatten only)");
    }

    @Override
    public Integer normalise(Layer.BatchNorm l, int perChannel, Integer x) {
        return linear(Linear.of(l, perChannel, (ch, var) -> SymbolicError.NOT_EXACT.at(path, "batchnorm channel " + ch
                + ": sqrt(var + eps) = sqrt(" + var + ") is not a positive rational, so its pieces are not exact (choose var "
                + "so that var + eps is a square)")), x);
    }

    @Override
    public Integer windowMax(Layer l, int[][] win, Integer x) {
        int dst = buffer(win.length);
        ins.add(new Pool(x, dst, win));
        blocks.add(new NetworkProgram.UnitBlock(track, path, l.op(), units, win.length));
        units += win.length;
        return dst;
    }

    @Override
    public Integer add(Integer a, Integer b) {
        int dst = buffer(size(a));
        ins.add(new Add(a, b, dst, false));
        return dst;
    }

    @Override
    public Integer concat(Integer a, Integer b) {
        int dst = buffer(size(a) + size(b));
        ins.add(new Add(a, b, dst, true));
        return dst;
    }
}
