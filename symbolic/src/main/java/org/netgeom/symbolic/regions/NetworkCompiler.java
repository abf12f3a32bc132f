package org.netgeom.symbolic.regions;

import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.SymbolicError;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles layers into the straight-line instructions of a {@link NetworkProgram}: every affine
 * op (dense, batchnorm, conv2d, avgpool2d) becomes one sparse linear map, the relu family one
 * block of sign units, max pooling one block of argmax units, residual and concat an addition
 * or concatenation of two earlier buffers; identity and flatten cost nothing. Units come in the
 * evaluation order of {@code ExactForward} (a residual's body, then its shortcut). Smooth ops and
 * square are refused with {@code NOT_PIECEWISE_LINEAR}.
 */
final class NetworkCompiler implements LayerVisitor<Void> {

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
    private int cur;
    private Shape shape;
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
        cur = b;
        shape = inShape;
        all(layers, pathPrefix);
        return cur;
    }

    private int buffer(int n) {
        buffers.add(new Rows(n, w, float64));
        return buffers.size() - 1;
    }

    private void all(List<Layer> layers, String prefix) {
        for (int i = 0; i < layers.size(); i++) {
            String saved = path;
            path = prefix + "[" + i + "]";
            try {
                layers.get(i).accept(this);
            } catch (NetgeomException e) {
                throw e.path() == null ? new NetgeomException(e.code(), e.getMessage(), path).with("layer", path) : e;
            }
            path = saved;
        }
    }

    private void linear(List<List<IntMatrix.Entry>> rows, Rational[] bias, Shape out) {
        int dst = buffer(rows.size());
        ins.add(new Lin(cur, dst, new IntMatrix(buffers.get(cur).n, rows, bias)));
        cur = dst;
        shape = out;
    }

    @Override
    public Void visit(Layer.Dense l) {
        int out = l.out();
        int in = l.in();
        List<List<IntMatrix.Entry>> rows = new ArrayList<>(out);
        Rational[] bias = new Rational[out];
        for (int i = 0; i < out; i++) {
            List<IntMatrix.Entry> r = new ArrayList<>(in);
            for (int j = 0; j < in; j++) {
                r.add(new IntMatrix.Entry(j, l.weight().rational(i * in + j)));
            }
            rows.add(r);
            bias[i] = l.bias() == null ? Rational.ZERO : l.bias().rational(i);
        }
        linear(rows, bias, Shape.of(out));
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
        Rational neg = l.neg().rational();
        Rational pos = l.pos().rational();
        BigInteger q = neg.denominator().divide(neg.denominator().gcd(pos.denominator())).multiply(pos.denominator());
        BigInteger nb = neg.numerator().multiply(q.divide(neg.denominator()));
        BigInteger pb = pos.numerator().multiply(q.divide(pos.denominator()));
        boolean fits = nb.bitLength() < 62 && pb.bitLength() < 62;
        long max = fits ? Math.max(Math.abs(nb.longValue()), Math.abs(pb.longValue())) : Long.MAX_VALUE;
        int n = buffers.get(cur).n;
        int dst = buffer(n);
        ins.add(new Act(cur, dst, fits ? nb.longValue() : 0, fits ? pb.longValue() : 0, nb, pb, q,
                neg.doubleValue(), pos.doubleValue(), max));
        blocks.add(new NetworkProgram.UnitBlock(track, path, l.op(), units, n));
        units += n;
        cur = dst;
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        throw notPiecewiseLinear(l);
    }

    @Override
    public Void visit(Layer.Smooth l) {
        throw notPiecewiseLinear(l);
    }

    private NetgeomException notPiecewiseLinear(Layer l) {
        return SymbolicError.NOT_PIECEWISE_LINEAR.at(path, l.op() + " is not piecewise linear, so the network has no "
                + "finite set of affine pieces (regions need dense, relu/leaky_relu/abs/abrelu, identity, residual, concat, "
                + "batchnorm, conv2d, pooling and flatten only)");
    }

    @Override
    public Void visit(Layer.Residual l) {
        int x = cur;
        Shape s = shape;
        String p = path;
        all(l.layers(), p + ".layers");
        int body = cur;
        Shape out = shape;
        cur = x;
        shape = s;
        if (l.shortcut() != null) {
            all(l.shortcut(), p + ".shortcut");
        }
        int dst = buffer(buffers.get(body).n);
        ins.add(new Add(body, cur, dst, false));
        cur = dst;
        shape = out;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        int x = cur;
        Shape s = shape;
        all(l.layers(), path + ".layers");
        int body = cur;
        int[] d = s.dims();
        d[0] += shape.dim(0);
        int dst = buffer(buffers.get(x).n + buffers.get(body).n);
        ins.add(new Add(x, body, dst, true));
        cur = dst;
        shape = Shape.of(d);
        return null;
    }

    @Override
    public Void visit(Layer.BatchNorm l) {
        int c = l.features();
        int n = buffers.get(cur).n;
        int per = n / c;
        Rational eps = l.eps().rational();
        List<List<IntMatrix.Entry>> rows = new ArrayList<>(n);
        Rational[] bias = new Rational[n];
        for (int ch = 0; ch < c; ch++) {
            Rational var = l.var().rational(ch).add(eps);
            Rational sd = var.sqrtExact();
            if (sd == null || sd.isZero()) {
                throw SymbolicError.NOT_EXACT.at(path, "batchnorm channel " + ch + ": sqrt(var + eps) = sqrt(" + var
                        + ") is not a positive rational, so its pieces are not exact (choose var so that var + eps is a square)");
            }
            Rational g = (l.weight() == null ? Rational.ONE : l.weight().rational(ch)).divide(sd);
            Rational b = (l.bias() == null ? Rational.ZERO : l.bias().rational(ch)).subtract(g.multiply(l.mean().rational(ch)));
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                rows.add(List.of(new IntMatrix.Entry(i, g)));
                bias[i] = b;
            }
        }
        linear(rows, bias, shape);
        return null;
    }

    @Override
    public Void visit(Layer.Conv2d l) {
        int[][][] taps = LayerIndex.convTaps(l, shape);
        Shape out = LayerIndex.convOut(l, shape);
        int per = out.dim(1) * out.dim(2);
        List<List<IntMatrix.Entry>> rows = new ArrayList<>(taps.length);
        Rational[] bias = new Rational[taps.length];
        for (int o = 0; o < taps.length; o++) {
            List<IntMatrix.Entry> r = new ArrayList<>(taps[o].length);
            for (int[] t : taps[o]) {
                r.add(new IntMatrix.Entry(t[0], l.weight().rational(t[1])));
            }
            rows.add(r);
            bias[o] = l.bias() == null ? Rational.ZERO : l.bias().rational(o / per);
        }
        linear(rows, bias, out);
        return null;
    }

    @Override
    public Void visit(Layer.MaxPool2d l) {
        Shape[] out = {LayerIndex.poolOut(l.kernel(), l.stride(), shape)};
        int[][] win = LayerIndex.windows(l.kernel(), l.stride(), shape);
        int dst = buffer(win.length);
        ins.add(new Pool(cur, dst, win));
        blocks.add(new NetworkProgram.UnitBlock(track, path, l.op(), units, win.length));
        units += win.length;
        cur = dst;
        shape = out[0];
        return null;
    }

    @Override
    public Void visit(Layer.AvgPool2d l) {
        Shape[] out = {LayerIndex.poolOut(l.kernel(), l.stride(), shape)};
        int[][] win = LayerIndex.windows(l.kernel(), l.stride(), shape);
        Rational inv = Rational.of(1, (long) l.kernel().h() * l.kernel().w());
        List<List<IntMatrix.Entry>> rows = new ArrayList<>(win.length);
        Rational[] bias = new Rational[win.length];
        for (int i = 0; i < win.length; i++) {
            List<IntMatrix.Entry> r = new ArrayList<>();
            for (int idx : win[i]) {
                r.add(new IntMatrix.Entry(idx, inv));
            }
            rows.add(r);
            bias[i] = Rational.ZERO;
        }
        linear(rows, bias, out[0]);
        return null;
    }

    @Override
    public Void visit(Layer.Flatten l) {
        shape = Shape.of(shape.size());
        return null;
    }
}
