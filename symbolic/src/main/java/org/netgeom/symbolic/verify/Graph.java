package org.netgeom.symbolic.verify;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
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
    public record Aff(int src, int dst, int[][] col, Rational[][] val, double[][] dval, Rational[] bias, double[] dbias,
                      boolean dense) implements Op {
        /** True when every row reads every one of the n entries of its source in order (col[i] = 0, 1, …, n−1). */
        static boolean isDense(int[][] col, int n) {
            for (int[] c : col) {
                if (c.length != n) {
                    return false;
                }
                for (int q = 0; q < n; q++) {
                    if (c[q] != q) {
                        return false;
                    }
                }
            }
            return true;
        }
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
        Compiler c = new Compiler(m.input().size());
        int out = Interpreter.of(m).run(c, 0);
        int[] sizes = new int[c.sizes.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = c.sizes.get(i);
        }
        return new Graph(c.ops, sizes, out, c.units);
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

    /**
     * The compiler: a domain of the {@link Interpreter} whose value is the index of the buffer that
     * holds it; each op appends the instruction that fills a new buffer (the walk, shapes, paths,
     * conv taps and pool windows are the interpreter's).
     */
    private static final class Compiler implements Domain<Integer> {
        final List<Op> ops = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        final List<UnitRef> units = new ArrayList<>();
        String path = "";

        Compiler(int inputs) {
            sizes.add(inputs);
        }

        int buffer(int n) {
            sizes.add(n);
            return sizes.size() - 1;
        }

        @Override
        public void enter(Layer l, String p) {
            path = p;
        }

        @Override
        public int size(Integer x) {
            return sizes.get(x);
        }

        /**
         * Dense, conv2d, avgpool2d and (lowered here) batchnorm: one sparse affine map. A dense
         * row keeps its nonzero weights only; the other maps keep every tap, zero or not.
         */
        @Override
        public Integer linear(Linear a, Integer x) {
            boolean sparse = a.dense() != null;
            int out = a.out();
            int[][] col = new int[out][];
            Rational[][] val = new Rational[out][];
            Rational[] bias = new Rational[out];
            for (int o = 0; o < out; o++) {
                int[] cs = a.cols(o);
                int n = 0;
                int[] c = new int[cs.length];
                Rational[] v = new Rational[cs.length];
                for (int k = 0; k < cs.length; k++) {
                    Rational w = a.weightRational(o, k);
                    if (!sparse || !w.isZero()) {
                        c[n] = cs[k];
                        v[n++] = w;
                    }
                }
                col[o] = n == cs.length ? c : java.util.Arrays.copyOf(c, n);
                val[o] = n == cs.length ? v : java.util.Arrays.copyOf(v, n);
                bias[o] = a.biasRational(o);
            }
            return aff(x, col, val, bias);
        }

        private int aff(int x, int[][] col, Rational[][] val, Rational[] bias) {
            int out = col.length;
            double[][] dv = new double[out][];
            double[] db = new double[out];
            for (int i = 0; i < out; i++) {
                dv[i] = new double[val[i].length];
                for (int k = 0; k < val[i].length; k++) {
                    dv[i][k] = val[i][k].doubleValue();
                }
                db[i] = bias[i].doubleValue();
            }
            int dst = buffer(out);
            ops.add(new Aff(x, dst, col, val, dv, bias, db, Aff.isDense(col, sizes.get(x))));
            return dst;
        }

        @Override
        public Integer twoSlope(Layer.AbRelu l, Integer x) {
            int n = sizes.get(x);
            int dst = buffer(n);
            ops.add(new Act(x, dst, l.neg().rational(), l.pos().rational(), units.size()));
            for (int i = 0; i < n; i++) {
                units.add(new UnitRef(ops.size() - 1, i, path));
            }
            return dst;
        }

        /**
         * hardtanh as min + relu(z − min) − relu(z − max): rows z − min, z − max interleaved, two
         * relu units per unit (the layer's path), then their difference (as the regions compiler).
         */
        @Override
        public Integer clamp(Layer.HardTanh l, Integer x) {
            int n = sizes.get(x);
            int[][] upCol = new int[2 * n][];
            Rational[][] upVal = new Rational[2 * n][];
            Rational[] upBias = new Rational[2 * n];
            int[][] downCol = new int[n][];
            Rational[][] downVal = new Rational[n][];
            Rational[] downBias = new Rational[n];
            for (int i = 0; i < n; i++) {
                upCol[2 * i] = new int[]{i};
                upCol[2 * i + 1] = new int[]{i};
                upVal[2 * i] = new Rational[]{Rational.ONE};
                upVal[2 * i + 1] = new Rational[]{Rational.ONE};
                upBias[2 * i] = l.min().negate();
                upBias[2 * i + 1] = l.max().negate();
                downCol[i] = new int[]{2 * i, 2 * i + 1};
                downVal[i] = new Rational[]{Rational.ONE, Rational.MINUS_ONE};
                downBias[i] = l.min();
            }
            int up = aff(x, upCol, upVal, upBias);
            int r = buffer(2 * n);
            ops.add(new Act(up, r, Rational.ZERO, Rational.ONE, units.size()));
            for (int i = 0; i < 2 * n; i++) {
                units.add(new UnitRef(ops.size() - 1, i, path));
            }
            return aff(r, downCol, downVal, downBias);
        }

        @Override
        public Integer square(Layer.Square l, Integer x) {
            throw notPl(l);
        }

        @Override
        public Integer smooth(Layer.Smooth l, Integer x) {
            throw notPl(l);
        }

        private NetgeomException notPl(Layer l) {
            return SymbolicError.NOT_PIECEWISE_LINEAR.at(path, l.op() + " is not piecewise linear; exact ranges and "
                    + "verification need dense, relu/leaky_relu/abs/abrelu, hardtanh, identity, residual, concat, batchnorm, conv2d, "
                    + "pooling and flatten only");
        }

        @Override
        public Integer normalise(Layer.BatchNorm l, int perChannel, Integer x) {
            return linear(Linear.of(l, perChannel, (ch, var) -> SymbolicError.NOT_EXACT.at(path, "batchnorm channel " + ch
                    + ": √(var + eps) = √(" + var + ") is not a positive rational, so exact ranges cannot use it")), x);
        }

        @Override
        public Integer windowMax(Layer l, int[][] win, Integer x) {
            int dst = buffer(win.length);
            ops.add(new Max(x, dst, win, units.size()));
            for (int i = 0; i < win.length; i++) {
                units.add(new UnitRef(ops.size() - 1, i, path));
            }
            return dst;
        }

        @Override
        public Integer add(Integer a, Integer b) {
            int dst = buffer(sizes.get(a));
            ops.add(new Sum(a, b, dst));
            return dst;
        }

        @Override
        public Integer concat(Integer a, Integer b) {
            int dst = buffer(sizes.get(a) + sizes.get(b));
            ops.add(new Cat(a, b, dst));
            return dst;
        }
    }
}
