package org.netgeom.symbolic.exact;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact derivatives of a network's outputs with respect to its input and to all of its
 * parameters, in rational arithmetic, by reverse-mode differentiation over the IR's ops (one
 * backward pass per output).
 *
 * <p>Parameters are ordered as PyTorch's {@code model.parameters()} for the module the IR
 * describes: layers in order, each layer's weight then bias; a residual's layers, then its
 * shortcut's; batchnorm's weight then bias (when present). {@link #parameters(Model)} lists them.
 *
 * <p>Kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0, abrelu'(0) = neg;
 * max pooling routes the gradient to the first maximal element of its window (row-major).
 * Smooth activations are refused ({@link SymbolicError#NOT_EXACT}).
 */
public final class ExactJacobian {
    /** One parameter tensor: its path ({@code layers[0].weight}), shape and offset in the flat vector. */
    public record Param(String path, Shape shape, int offset) {
    }

    /** f(x), ∂f/∂x ([outputs][inputs]) and ∂f/∂θ ([outputs][parameters]). */
    public record Result(Rational[] output, Rational[][] wrtInput, Rational[][] wrtParams) {
    }

    private ExactJacobian() {
    }

    /** The parameters in PyTorch's order. */
    public static List<Param> parameters(Model m) {
        List<Param> out = new ArrayList<>();
        int[] off = {0};
        m.walk(s -> {
            String p = s.path().toString();
            if (s.layer() instanceof Layer.Dense d) {
                add(out, off, p + ".weight", d.weight());
                add(out, off, p + ".bias", d.bias());
            } else if (s.layer() instanceof Layer.Conv2d c) {
                add(out, off, p + ".weight", c.weight());
                add(out, off, p + ".bias", c.bias());
            } else if (s.layer() instanceof Layer.BatchNorm b) {
                add(out, off, p + ".weight", b.weight());
                add(out, off, p + ".bias", b.bias());
            }
        });
        return out;
    }

    private static void add(List<Param> out, int[] off, String path, Tensor t) {
        if (t != null) {
            out.add(new Param(path, t.shape(), off[0]));
            off[0] += t.size();
        }
    }

    /** The output and both Jacobians at x (a model without free symbols). */
    public static Result at(Model m, Rational[] x) {
        Binder.requireNoSymbols(m);
        if (x.length != m.input().size()) {
            throw SymbolicError.BAD_INPUT.error("the model takes " + m.input().size() + " input values, " + x.length + " were given");
        }
        Tape tape = new Tape();
        Rational[] y = tape.forward(m.layers(), x.clone(), m.input());
        Rational[][] dx = new Rational[y.length][];
        Rational[][] dp = new Rational[y.length][];
        for (int k = 0; k < y.length; k++) {
            Rational[] g = zeros(y.length);
            g[k] = Rational.ONE;
            Rational[] grad = zeros(tape.parameterCount());
            dx[k] = tape.backward(g, grad);
            dp[k] = grad;
        }
        return new Result(y, dx, dp);
    }

    /**
     * One backward pass seeded with {@code seed} (a vector over the outputs): seedᵀ ∂f/∂θ at x, the
     * gradient of seedᵀ f with respect to every parameter (in {@link #parameters} order). With seed
     * r = f(x) − y this is the backpropagated gradient of ½‖f(x) − y‖².
     */
    public static Rational[] vjp(Model m, Rational[] x, Rational[] seed) {
        Binder.requireNoSymbols(m);
        if (x.length != m.input().size()) {
            throw SymbolicError.BAD_INPUT.error("the model takes " + m.input().size() + " input values, " + x.length + " were given");
        }
        Tape tape = new Tape();
        Rational[] y = tape.forward(m.layers(), x.clone(), m.input());
        if (seed.length != y.length) {
            throw SymbolicError.BAD_INPUT.error("the seed has " + seed.length + " values, the model " + y.length + " outputs");
        }
        Rational[] grad = zeros(tape.parameterCount());
        tape.backward(seed.clone(), grad);
        return grad;
    }

    static Rational[] zeros(int n) {
        Rational[] z = new Rational[n];
        Arrays.fill(z, Rational.ZERO);
        return z;
    }

    /** The forward pass, recording each layer's input and shape for the backward pass. */
    private static final class Tape {
        /** A layer's input, shapes, inner entries, and the offset of its parameters in the flat vector. */
        private record Entry(Layer layer, Rational[] in, Shape inShape, Shape outShape, List<Entry> body, List<Entry> shortcut,
                             int paramOffset) {
        }

        private List<Entry> entries;
        private int parameters;

        Rational[] forward(List<Layer> layers, Rational[] x, Shape s) {
            entries = new ArrayList<>();
            Fwd f = new Fwd(x, s);
            for (Layer l : layers) {
                f.run(l, entries);
            }
            parameters = f.params;
            return f.v;
        }

        int parameterCount() {
            return parameters;
        }

        Rational[] backward(Rational[] g, Rational[] grad) {
            return new Bwd(grad).all(entries, g);
        }

        /** Forward interpreter that records entries. */
        private static final class Fwd {
            Rational[] v;
            Shape shape;
            int params;             // parameters seen so far, in PyTorch's order (the walk order)

            Fwd(Rational[] v, Shape s) {
                this.v = v;
                this.shape = s;
            }

            void run(Layer l, List<Entry> into) {
                Rational[] in = v;
                Shape inShape = shape;
                int offset = params;
                params += ownParameters(l);
                List<Entry> body = new ArrayList<>();
                List<Entry> shortcut = new ArrayList<>();
                if (l instanceof Layer.Residual r) {
                    for (Layer c : r.layers()) {
                        run(c, body);
                    }
                    Rational[] b = v;
                    v = in;
                    shape = inShape;
                    if (r.shortcut() != null) {
                        for (Layer c : r.shortcut()) {
                            run(c, shortcut);
                        }
                    }
                    Rational[] out = new Rational[b.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = b[i].add(v[i]);
                    }
                    v = out;
                } else if (l instanceof Layer.Concat c) {
                    for (Layer k : c.layers()) {
                        run(k, body);
                    }
                    Rational[] out = new Rational[in.length + v.length];
                    System.arraycopy(in, 0, out, 0, in.length);
                    System.arraycopy(v, 0, out, in.length, v.length);
                    int[] d = inShape.dims();
                    d[0] += shape.dim(0);
                    v = out;
                    shape = Shape.of(d);
                } else {
                    Model one = new Model(null, inShape, List.of(l));
                    v = ExactForward.eval(one, in);
                    shape = one.output();
                }
                into.add(new Entry(l, in, inShape, shape, body, shortcut, offset));
            }

            private static int ownParameters(Layer l) {
                if (l instanceof Layer.Dense d) {
                    return d.weight().size() + (d.bias() == null ? 0 : d.bias().size());
                }
                if (l instanceof Layer.Conv2d c) {
                    return c.weight().size() + (c.bias() == null ? 0 : c.bias().size());
                }
                if (l instanceof Layer.BatchNorm b) {
                    return (b.weight() == null ? 0 : b.weight().size()) + (b.bias() == null ? 0 : b.bias().size());
                }
                return 0;
            }
        }

        /** Backward interpreter: accumulates parameter gradients, returns the input gradient. */
        private static final class Bwd implements LayerVisitor<Rational[]> {
            private final Rational[] grad;
            private Entry e;
            private Rational[] g;

            Bwd(Rational[] grad) {
                this.grad = grad;
            }

            Rational[] all(List<Entry> es, Rational[] gOut) {
                Rational[] cur = gOut;
                for (int i = es.size() - 1; i >= 0; i--) {
                    e = es.get(i);
                    g = cur;
                    cur = e.layer().accept(this);
                }
                return cur;
            }

            private void acc(int i, Rational v) {
                grad[i] = grad[i].add(v);
            }

            @Override
            public Rational[] visit(Layer.Dense l) {
                int out = l.out();
                int in = l.in();
                int off = e.paramOffset();
                Rational[] gx = zeros(in);
                for (int i = 0; i < out; i++) {
                    if (g[i].isZero()) {
                        continue;
                    }
                    for (int j = 0; j < in; j++) {
                        acc(off + i * in + j, g[i].multiply(e.in()[j]));
                        gx[j] = gx[j].add(g[i].multiply(l.weight().rational(i * in + j)));
                    }
                    if (l.bias() != null) {
                        acc(off + out * in + i, g[i]);
                    }
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.AbRelu l) {
                Rational neg = l.neg().rational();
                Rational pos = l.pos().rational();
                Rational atZero = Layer.AbRelu.slopeAtZero(l.op(), neg, Rational.ZERO);
                Rational[] gx = new Rational[g.length];
                for (int i = 0; i < g.length; i++) {
                    int s = e.in()[i].signum();
                    gx[i] = g[i].multiply(s > 0 ? pos : s < 0 ? neg : atZero);
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.Identity l) {
                return g;
            }

            /** PyTorch's hardtanh_backward: the gradient passes only where min &lt; z &lt; max (0 at both kinks). */
            @Override
            public Rational[] visit(Layer.HardTanh l) {
                Rational[] gx = new Rational[g.length];
                for (int i = 0; i < g.length; i++) {
                    gx[i] = l.passes(e.in()[i]) ? g[i] : Rational.ZERO;
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.Square l) {
                Rational[] gx = new Rational[g.length];
                for (int i = 0; i < g.length; i++) {
                    gx[i] = g[i].multiply(e.in()[i]).multiply(Rational.TWO);
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.Smooth l) {
                throw SymbolicError.NOT_EXACT.error(l.op() + " has no exact rational derivatives");
            }

            @Override
            public Rational[] visit(Layer.Residual l) {
                Entry self = e;
                Rational[] gOut = g;
                Rational[] gb = all(self.body(), gOut);
                Rational[] gs = self.shortcut().isEmpty() ? gOut : all(self.shortcut(), gOut);
                Rational[] gx = new Rational[gb.length];
                for (int i = 0; i < gx.length; i++) {
                    gx[i] = gb[i].add(gs[i]);
                }
                e = self;
                return gx;
            }

            @Override
            public Rational[] visit(Layer.Concat l) {
                Entry self = e;
                int n = self.in().length;
                Rational[] head = Arrays.copyOfRange(g, 0, n);
                Rational[] tail = Arrays.copyOfRange(g, n, g.length);
                Rational[] gb = all(self.body(), tail);
                for (int i = 0; i < n; i++) {
                    head[i] = head[i].add(gb[i]);
                }
                e = self;
                return head;
            }

            @Override
            public Rational[] visit(Layer.BatchNorm l) {
                int c = l.features();
                int per = g.length / c;
                int off = e.paramOffset();
                Rational eps = l.eps().rational();
                Rational[] gx = new Rational[g.length];
                int bOff = off + (l.weight() == null ? 0 : c);
                for (int ch = 0; ch < c; ch++) {
                    Rational sd = l.var().rational(ch).add(eps).sqrtExact();
                    if (sd == null || sd.isZero()) {
                        throw SymbolicError.NOT_EXACT.error("batchnorm channel " + ch + ": √(var + eps) is not a positive rational");
                    }
                    Rational w = l.weight() == null ? Rational.ONE : l.weight().rational(ch);
                    Rational mean = l.mean().rational(ch);
                    for (int k = 0; k < per; k++) {
                        int i = ch * per + k;
                        gx[i] = g[i].multiply(w).divide(sd);
                        if (l.weight() != null) {
                            acc(off + ch, g[i].multiply(e.in()[i].subtract(mean)).divide(sd));
                        }
                        if (l.bias() != null) {
                            acc(bOff + ch, g[i]);
                        }
                    }
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.Conv2d l) {
                int[][][] taps = LayerIndex.convTaps(l, e.inShape());
                int per = e.outShape().dim(1) * e.outShape().dim(2);
                int off = e.paramOffset();
                int wsize = l.weight().size();
                Rational[] gx = zeros(e.in().length);
                for (int o = 0; o < taps.length; o++) {
                    Rational go = g[o];
                    if (go.isZero()) {
                        continue;
                    }
                    if (l.bias() != null) {
                        acc(off + wsize + o / per, go);
                    }
                    for (int[] t : taps[o]) {
                        acc(off + t[1], go.multiply(e.in()[t[0]]));
                        gx[t[0]] = gx[t[0]].add(go.multiply(l.weight().rational(t[1])));
                    }
                }
                return gx;
            }

            private Rational[] pool(Layer.Hw k, Layer.Hw st, boolean max) {
                int[][] win = LayerIndex.windows(k, st, e.inShape());
                Rational area = Rational.of(k.h() * (long) k.w()).reciprocal();
                Rational[] gx = zeros(e.in().length);
                for (int o = 0; o < win.length; o++) {
                    if (max) {
                        int best = win[o][0];
                        for (int xi : win[o]) {
                            if (e.in()[xi].compareTo(e.in()[best]) > 0) {
                                best = xi;
                            }
                        }
                        gx[best] = gx[best].add(g[o]);
                    } else {
                        for (int xi : win[o]) {
                            gx[xi] = gx[xi].add(g[o].multiply(area));
                        }
                    }
                }
                return gx;
            }

            /** Maxout: the gradient goes to the first maximum of each group (as torch.max's index). */
            @Override
            public Rational[] visit(Layer.Maxout l) {
                int[][] groups = LayerIndex.groups(e.in().length, l.k());
                Rational[] gx = zeros(e.in().length);
                for (int o = 0; o < groups.length; o++) {
                    int best = groups[o][0];
                    for (int xi : groups[o]) {
                        if (e.in()[xi].compareTo(e.in()[best]) > 0) {
                            best = xi;
                        }
                    }
                    gx[best] = gx[best].add(g[o]);
                }
                return gx;
            }

            @Override
            public Rational[] visit(Layer.MaxPool2d l) {
                return pool(l.kernel(), l.stride(), true);
            }

            @Override
            public Rational[] visit(Layer.AvgPool2d l) {
                return pool(l.kernel(), l.stride(), false);
            }

            @Override
            public Rational[] visit(Layer.Flatten l) {
                return g;
            }
        }
    }
}
