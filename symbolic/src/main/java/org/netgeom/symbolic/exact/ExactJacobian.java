package org.netgeom.symbolic.exact;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
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
            throw IrError.BAD_INPUT.error("the model takes " + m.input().size() + " input values, " + x.length + " were given");
        }
        Tape tape = new Tape();
        Rational[] y = tape.forward(m, x.clone());
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
            throw IrError.BAD_INPUT.error("the model takes " + m.input().size() + " input values, " + x.length + " were given");
        }
        Tape tape = new Tape();
        Rational[] y = tape.forward(m, x.clone());
        if (seed.length != y.length) {
            throw IrError.BAD_INPUT.error("the seed has " + seed.length + " values, the model " + y.length + " outputs");
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

    /**
     * The forward pass as a domain of the {@link Interpreter}: the values are {@link ExactForward}'s
     * (its arithmetic and refusals), each op recording its backward step on a tape; the backward
     * pass runs the tape in reverse, accumulating each value's gradient (a value used twice, a
     * residual's input, sums the gradients of both uses) and the parameters' gradients.
     */
    private static final class Tape implements Domain<Tape.Node>, Interpreter.Refusals {
        /** A value: its units and its index in the tape's gradients. */
        record Node(Rational[] val, int id) {
        }

        /** One op's backward step: reads the output's gradient, adds to its inputs' and the parameters'. */
        @FunctionalInterface
        private interface Step {
            void back(Rational[][] grads, Rational[] params);
        }

        private final ExactForward fwd = ExactForward.domain();
        private final List<Step> steps = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private int parameters;             // parameters seen so far, in PyTorch's order (the walk order)
        private Node input;
        private Node output;

        Rational[] forward(Model m, Rational[] x) {
            input = node(x);
            output = Interpreter.of(m).run(this, input);
            return output.val();
        }

        int parameterCount() {
            return parameters;
        }

        /** The gradient with respect to the input of {@code g}ᵀ f; parameter gradients are added to {@code grad}. */
        Rational[] backward(Rational[] g, Rational[] grad) {
            Rational[][] grads = new Rational[sizes.size()][];
            grads[output.id()] = g;
            for (int k = steps.size() - 1; k >= 0; k--) {
                steps.get(k).back(grads, grad);
            }
            return grads[input.id()] == null ? zeros(input.val().length) : grads[input.id()];
        }

        private Node node(Rational[] v) {
            sizes.add(v.length);
            return new Node(v, sizes.size() - 1);
        }

        /** The gradient of node {@code id}, all zeros when nothing reached it. */
        private static Rational[] g(Rational[][] grads, int id, int n) {
            return grads[id] == null ? zeros(n) : grads[id];
        }

        /** Adds {@code d} to the gradient of node {@code id}. */
        private static void addTo(Rational[][] grads, int id, Rational[] d) {
            if (grads[id] == null) {
                grads[id] = d;
                return;
            }
            Rational[] s = new Rational[d.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = grads[id][i].add(d[i]);
            }
            grads[id] = s;
        }

        /** A unit-by-unit op: the input's gradient is the output's times {@code slope(i)}. */
        private Node pointwise(Node x, Rational[] y, java.util.function.IntFunction<Rational> slope) {
            Node out = node(y);
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), y.length);
                Rational[] gx = new Rational[g.length];
                for (int i = 0; i < g.length; i++) {
                    gx[i] = g[i].multiply(slope.apply(i));
                }
                addTo(grads, x.id(), gx);
            });
            return out;
        }

        @Override
        public NetgeomException refusal(Layer l) {
            return fwd.refusal(l);
        }

        @Override
        public int size(Node x) {
            return x.val().length;
        }

        /** Dense, conv2d (weights and biases are parameters) and avgpool2d (none). */
        @Override
        public Node linear(Linear a, Node x) {
            Node out = node(fwd.linear(a, x.val()));
            Layer l = a.layer();
            int off = parameters;
            parameters += ownParameters(l);
            Rational[] in = x.val();
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), a.out());
                Rational[] gx = zeros(in.length);
                for (int o = 0; o < g.length; o++) {
                    if (g[o].isZero()) {
                        continue;
                    }
                    int[] cols = a.cols(o);
                    for (int k = 0; k < cols.length; k++) {
                        int j = cols[k];
                        if (l instanceof Layer.Dense) {
                            params[off + o * in.length + k] = params[off + o * in.length + k].add(g[o].multiply(in[j]));
                        } else if (a instanceof Linear.OfConv c) {
                            int w = off + c.weightIndex(o, k);
                            params[w] = params[w].add(g[o].multiply(in[j]));
                        }
                        gx[j] = gx[j].add(g[o].multiply(a.weightRational(o, k)));
                    }
                    if (hasBias(l)) {
                        int b = l instanceof Layer.Dense d ? off + d.weight().size() + o
                                : off + ((Layer.Conv2d) l).weight().size() + ((Linear.OfConv) a).channel(o);
                        params[b] = params[b].add(g[o]);
                    }
                }
                addTo(grads, x.id(), gx);
            });
            return out;
        }

        private static boolean hasBias(Layer l) {
            return l instanceof Layer.Dense d ? d.bias() != null : l instanceof Layer.Conv2d c && c.bias() != null;
        }

        /** Kinks as PyTorch: relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0, abrelu'(0) = neg. */
        @Override
        public Node twoSlope(Layer.AbRelu l, Node x) {
            Rational neg = l.neg().rational();
            Rational pos = l.pos().rational();
            Rational atZero = Layer.AbRelu.slopeAtZero(l.op(), neg, Rational.ZERO);
            Rational[] in = x.val();
            return pointwise(x, fwd.twoSlope(l, in), i -> {
                int s = in[i].signum();
                return s > 0 ? pos : s < 0 ? neg : atZero;
            });
        }

        /** PyTorch's hardtanh_backward: the gradient passes only where min &lt; z &lt; max (0 at both kinks). */
        @Override
        public Node clamp(Layer.HardTanh l, Node x) {
            Rational[] in = x.val();
            return pointwise(x, fwd.clamp(l, in), i -> l.passes(in[i]) ? Rational.ONE : Rational.ZERO);
        }

        @Override
        public Node square(Layer.Square l, Node x) {
            Rational[] in = x.val();
            return pointwise(x, fwd.square(l, in), i -> in[i].multiply(Rational.TWO));
        }

        @Override
        public Node smooth(Layer.Smooth l, Node x) {
            throw SymbolicError.NOT_EXACT.error(l.op() + " has no exact rational derivatives");
        }

        @Override
        public Node normalise(Layer.BatchNorm l, int per, Node x) {
            Node out = node(fwd.normalise(l, per, x.val()));
            int off = parameters;
            parameters += ownParameters(l);
            Rational[] in = x.val();
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), in.length);
                int c = l.features();
                Rational eps = l.eps().rational();
                Rational[] gx = new Rational[g.length];
                int bOff = off + (l.weight() == null ? 0 : c);
                for (int ch = 0; ch < c; ch++) {
                    Rational sd = l.var().rational(ch).add(eps).sqrtExact();
                    Rational w = l.weight() == null ? Rational.ONE : l.weight().rational(ch);
                    Rational mean = l.mean().rational(ch);
                    for (int k = 0; k < per; k++) {
                        int i = ch * per + k;
                        gx[i] = g[i].multiply(w).divide(sd);
                        if (l.weight() != null) {
                            params[off + ch] = params[off + ch].add(g[i].multiply(in[i].subtract(mean)).divide(sd));
                        }
                        if (l.bias() != null) {
                            params[bOff + ch] = params[bOff + ch].add(g[i]);
                        }
                    }
                }
                addTo(grads, x.id(), gx);
            });
            return out;
        }

        /** Max pooling and maxout: the gradient goes to the first maximum of each window (as PyTorch's index). */
        @Override
        public Node windowMax(Layer l, int[][] win, Node x) {
            Node out = node(fwd.windowMax(l, win, x.val()));
            Rational[] in = x.val();
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), win.length);
                Rational[] gx = zeros(in.length);
                for (int o = 0; o < win.length; o++) {
                    int best = win[o][0];
                    for (int xi : win[o]) {
                        if (in[xi].compareTo(in[best]) > 0) {
                            best = xi;
                        }
                    }
                    gx[best] = gx[best].add(g[o]);
                }
                addTo(grads, x.id(), gx);
            });
            return out;
        }

        @Override
        public Node add(Node a, Node b) {
            Node out = node(fwd.add(a.val(), b.val()));
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), out.val().length);
                addTo(grads, a.id(), g);
                addTo(grads, b.id(), g);
            });
            return out;
        }

        @Override
        public Node concat(Node a, Node b) {
            Node out = node(fwd.concat(a.val(), b.val()));
            int n = a.val().length;
            steps.add((grads, params) -> {
                Rational[] g = g(grads, out.id(), out.val().length);
                addTo(grads, a.id(), Arrays.copyOfRange(g, 0, n));
                addTo(grads, b.id(), Arrays.copyOfRange(g, n, g.length));
            });
            return out;
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
}
