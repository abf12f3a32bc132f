package org.netgeom.symbolic.verify;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.List;

/**
 * A piecewise-linear network compiled into straight-line code over numbered buffers, the one
 * representation that the relaxations ({@link Relaxation}) and the exact leaves
 * ({@link ExactPattern}) of the verifier interpret. Buffer 0 is the (flattened) input. Every
 * affine op (dense, batchnorm, conv2d, avgpool2d) is one sparse affine map with exact rational
 * entries and their nearest doubles; the relu family is one block of sign units (slope
 * {@code neg} for z &lt; 0, {@code pos} for z &gt; 0); max pooling one block of argmax units;
 * residual and concat a sum or concatenation of two earlier buffers; identity and flatten cost
 * nothing. Units are numbered in the evaluation order of {@code ExactForward} (a residual's
 * body, then its shortcut), so a unit's number is its position in that class's pattern string.
 */
public final class Graph {

    /** One instruction. */
    public sealed interface Op permits Aff, Act, Max, Sum, Cat {
        int dst();
    }

    /**
     * {@code dst_i = bias_i + Σ_k val[i][k]·src[col[i][k]]}: exact entries and their nearest
     * doubles ({@code dval}, {@code dbias}).
     */
    public record Aff(int src, int dst, int[][] col, Rational[][] val, double[][] dval, Rational[] bias, double[] dbias)
            implements Op {
    }

    /** Sign units {@code first .. first+n-1}: dst_i = pos·src_i if src_i &gt; 0 else neg·src_i. */
    public record Act(int src, int dst, Rational neg, Rational pos, int first) implements Op {
    }

    /** Argmax units {@code first ..}: dst_i = max over src[windows[i][e]]. */
    public record Max(int src, int dst, int[][] windows, int first) implements Op {
    }

    /** dst = a + b elementwise (a residual). */
    public record Sum(int a, int b, int dst) implements Op {
    }

    /** dst = [a ; b] (a concat). */
    public record Cat(int a, int b, int dst) implements Op {
    }

    /** Where a unit lives: its op, its row in the op's output, the layer path. */
    public record UnitRef(int op, int row, String layer) {
    }

    private final List<Op> ops;
    private final int[] sizes;
    private final int output;
    private final List<UnitRef> units;

    private Graph(List<Op> ops, int[] sizes, int output, List<UnitRef> units) {
        this.ops = List.copyOf(ops);
        this.sizes = sizes;
        this.output = output;
        this.units = List.copyOf(units);
    }

    /** Compiles a model without free symbols; refuses smooth ops and square with NOT_PIECEWISE_LINEAR. */
    public static Graph of(Model m) {
        Binder.requireNoSymbols(m);
        Compiler c = new Compiler(m.input());
        c.all(m.layers(), "layers");
        int[] sizes = new int[c.sizes.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = c.sizes.get(i);
        }
        return new Graph(c.ops, sizes, c.cur, c.units);
    }

    public List<Op> ops() {
        return ops;
    }

    /** The number of buffers. */
    public int buffers() {
        return sizes.length;
    }

    public int size(int buffer) {
        return sizes[buffer];
    }

    public int inputs() {
        return sizes[0];
    }

    /** The buffer holding the network's output. */
    public int output() {
        return output;
    }

    public int outputs() {
        return sizes[output];
    }

    /** The number of piecewise-linear units (sign units and argmax units). */
    public int units() {
        return units.size();
    }

    public UnitRef unit(int u) {
        return units.get(u);
    }

    /** The number of choices of unit u: 2 for a sign unit, the window size for an argmax unit. */
    public int choices(int u) {
        Op op = ops.get(units.get(u).op());
        return op instanceof Max mx ? mx.windows()[units.get(u).row()].length : 2;
    }

    /** The forward pass in float64 (nearest doubles, no rounding control: a guide, never a bound). */
    public double[] evalDouble(double[] x) {
        double[][] buf = new double[sizes.length][];
        buf[0] = x;
        for (Op op : ops) {
            if (op instanceof Aff a) {
                double[] src = buf[a.src()];
                double[] out = new double[a.col().length];
                for (int i = 0; i < out.length; i++) {
                    double s = a.dbias()[i];
                    for (int k = 0; k < a.col()[i].length; k++) {
                        s += a.dval()[i][k] * src[a.col()[i][k]];
                    }
                    out[i] = s;
                }
                buf[a.dst()] = out;
            } else if (op instanceof Act a) {
                double[] src = buf[a.src()];
                double[] out = new double[src.length];
                double pos = a.pos().doubleValue();
                double neg = a.neg().doubleValue();
                for (int i = 0; i < out.length; i++) {
                    out[i] = src[i] > 0 ? pos * src[i] : neg * src[i];
                }
                buf[a.dst()] = out;
            } else if (op instanceof Max m) {
                double[] src = buf[m.src()];
                double[] out = new double[m.windows().length];
                for (int o = 0; o < out.length; o++) {
                    double b = Double.NEGATIVE_INFINITY;
                    for (int idx : m.windows()[o]) {
                        b = Math.max(b, src[idx]);
                    }
                    out[o] = b;
                }
                buf[m.dst()] = out;
            } else if (op instanceof Sum s) {
                double[] out = new double[sizes[s.dst()]];
                for (int i = 0; i < out.length; i++) {
                    out[i] = buf[s.a()][i] + buf[s.b()][i];
                }
                buf[s.dst()] = out;
            } else if (op instanceof Cat c) {
                double[] a = buf[c.a()];
                double[] b = buf[c.b()];
                double[] out = new double[a.length + b.length];
                System.arraycopy(a, 0, out, 0, a.length);
                System.arraycopy(b, 0, out, a.length, b.length);
                buf[c.dst()] = out;
            }
        }
        return buf[output];
    }

    private static final class Compiler implements LayerVisitor<Void> {
        final List<Op> ops = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        final List<UnitRef> units = new ArrayList<>();
        int cur;
        Shape shape;
        String path = "";

        Compiler(Shape input) {
            sizes.add(input.size());
            cur = 0;
            shape = input;
        }

        int buffer(int n) {
            sizes.add(n);
            return sizes.size() - 1;
        }

        void all(List<Layer> ls, String list) {
            String outer = path;
            try {
                for (int i = 0; i < ls.size(); i++) {
                    path = list + "[" + i + "]";
                    try {
                        ls.get(i).accept(this);
                    } catch (NetgeomException e) {
                        throw e.path() == null ? e.withPathPrefix(path) : e;
                    }
                }
            } finally {
                path = outer;
            }
        }

        void affine(int[][] col, Rational[][] val, Rational[] bias, Shape out) {
            double[][] dv = new double[val.length][];
            double[] db = new double[bias.length];
            for (int i = 0; i < val.length; i++) {
                dv[i] = new double[val[i].length];
                for (int k = 0; k < val[i].length; k++) {
                    dv[i][k] = val[i][k].doubleValue();
                }
                db[i] = bias[i].doubleValue();
            }
            int dst = buffer(val.length);
            ops.add(new Aff(cur, dst, col, val, dv, bias, db));
            cur = dst;
            shape = out;
        }

        @Override
        public Void visit(Layer.Dense l) {
            int out = l.out();
            int in = l.in();
            int[][] col = new int[out][];
            Rational[][] val = new Rational[out][];
            Rational[] bias = new Rational[out];
            for (int i = 0; i < out; i++) {
                List<Integer> cs = new ArrayList<>();
                List<Rational> vs = new ArrayList<>();
                for (int j = 0; j < in; j++) {
                    Rational w = l.weight().rational(i * in + j);
                    if (!w.isZero()) {
                        cs.add(j);
                        vs.add(w);
                    }
                }
                col[i] = cs.stream().mapToInt(Integer::intValue).toArray();
                val[i] = vs.toArray(new Rational[0]);
                bias[i] = l.bias() == null ? Rational.ZERO : l.bias().rational(i);
            }
            affine(col, val, bias, Shape.of(out));
            return null;
        }

        @Override
        public Void visit(Layer.AbRelu l) {
            int n = sizes.get(cur);
            int dst = buffer(n);
            int first = units.size();
            ops.add(new Act(cur, dst, l.neg().rational(), l.pos().rational(), first));
            for (int i = 0; i < n; i++) {
                units.add(new UnitRef(ops.size() - 1, i, path));
            }
            cur = dst;
            return null;
        }

        @Override
        public Void visit(Layer.Identity l) {
            return null;
        }

        @Override
        public Void visit(Layer.Square l) {
            throw notPl(l);
        }

        @Override
        public Void visit(Layer.Smooth l) {
            throw notPl(l);
        }

        private NetgeomException notPl(Layer l) {
            return SymbolicError.NOT_PIECEWISE_LINEAR.error(l.op() + " is not piecewise linear; exact ranges and "
                    + "verification need dense, relu/leaky_relu/abs/abrelu, identity, residual, concat, batchnorm, conv2d, "
                    + "pooling and flatten only");
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
            int dst = buffer(sizes.get(body));
            ops.add(new Sum(body, cur, dst));
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
            int dst = buffer(sizes.get(x) + sizes.get(body));
            ops.add(new Cat(x, body, dst));
            cur = dst;
            shape = Shape.of(d);
            return null;
        }

        @Override
        public Void visit(Layer.BatchNorm l) {
            int c = l.features();
            int n = sizes.get(cur);
            int per = n / c;
            Rational eps = l.eps().rational();
            int[][] col = new int[n][];
            Rational[][] val = new Rational[n][];
            Rational[] bias = new Rational[n];
            for (int ch = 0; ch < c; ch++) {
                Rational var = l.var().rational(ch).add(eps);
                Rational sd = var.sqrtExact();
                if (sd == null || sd.isZero()) {
                    throw SymbolicError.NOT_EXACT.error("batchnorm channel " + ch + ": √(var + eps) = √(" + var
                            + ") is not a positive rational, so exact ranges cannot use it");
                }
                Rational g = (l.weight() == null ? Rational.ONE : l.weight().rational(ch)).divide(sd);
                Rational b = (l.bias() == null ? Rational.ZERO : l.bias().rational(ch)).subtract(g.multiply(l.mean().rational(ch)));
                for (int k = 0; k < per; k++) {
                    int i = ch * per + k;
                    col[i] = new int[]{i};
                    val[i] = new Rational[]{g};
                    bias[i] = b;
                }
            }
            affine(col, val, bias, shape);
            return null;
        }

        @Override
        public Void visit(Layer.Conv2d l) {
            int[][][] taps = LayerIndex.convTaps(l, shape);
            Shape out = LayerIndex.convOut(l, shape);
            int per = out.dim(1) * out.dim(2);
            int[][] col = new int[taps.length][];
            Rational[][] val = new Rational[taps.length][];
            Rational[] bias = new Rational[taps.length];
            for (int o = 0; o < taps.length; o++) {
                col[o] = new int[taps[o].length];
                val[o] = new Rational[taps[o].length];
                for (int k = 0; k < taps[o].length; k++) {
                    col[o][k] = taps[o][k][0];
                    val[o][k] = l.weight().rational(taps[o][k][1]);
                }
                bias[o] = l.bias() == null ? Rational.ZERO : l.bias().rational(o / per);
            }
            affine(col, val, bias, out);
            return null;
        }

        @Override
        public Void visit(Layer.MaxPool2d l) {
            int[][] win = LayerIndex.windows(l.kernel(), l.stride(), shape);
            int dst = buffer(win.length);
            int first = units.size();
            ops.add(new Max(cur, dst, win, first));
            for (int i = 0; i < win.length; i++) {
                units.add(new UnitRef(ops.size() - 1, i, path));
            }
            cur = dst;
            shape = LayerIndex.poolOut(l.kernel(), l.stride(), shape);
            return null;
        }

        @Override
        public Void visit(Layer.AvgPool2d l) {
            int[][] win = LayerIndex.windows(l.kernel(), l.stride(), shape);
            Rational area = Rational.of(l.kernel().h() * (long) l.kernel().w()).reciprocal();
            int[][] col = new int[win.length][];
            Rational[][] val = new Rational[win.length][];
            Rational[] bias = new Rational[win.length];
            for (int o = 0; o < win.length; o++) {
                col[o] = win[o].clone();
                val[o] = new Rational[win[o].length];
                java.util.Arrays.fill(val[o], area);
                bias[o] = Rational.ZERO;
            }
            affine(col, val, bias, LayerIndex.poolOut(l.kernel(), l.stride(), shape));
            return null;
        }

        @Override
        public Void visit(Layer.Flatten l) {
            shape = Shape.of(sizes.get(cur));
            return null;
        }
    }
}
