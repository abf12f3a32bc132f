package org.netgeom.numeric.exact;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exact reference for the tests, written independently of the engine: the MSE loss of a
 * vector net with rational weights (dense, the relu family, identity, square, residual, concat,
 * inference batchnorm with a rational √(var + eps), flatten), its gradient by rational
 * backpropagation, and its Hessian by forward-mode hyper-dual numbers (a + b·ε₁ + c·ε₂ + d·ε₁ε₂,
 * ε₁² = ε₂² = 0: seeding θᵢ with ε₁ and θⱼ with ε₂ gives ∂²L/∂θᵢ∂θⱼ as the ε₁ε₂ part; Fike and
 * Alonso 2011). Kinks: the derivative at 0 is 0 for relu and abs, the negative slope otherwise.
 * Parameters are numbered in PyTorch's parameters() order (walk the layers, a residual's body
 * before its shortcut, weight before bias).
 */
public final class ExactNet {
    /** A parameter tensor: its layer path and key, offset and size. */
    public record Param(String name, int offset, int size) {
    }

    private final Model model;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, int[]> offsets = new java.util.HashMap<>();
    private final Rational[] theta;

    public ExactNet(Model m) {
        this.model = m;
        List<Rational> t = new ArrayList<>();
        number(m.layers(), "layers", t);
        theta = t.toArray(new Rational[0]);
    }

    private void number(List<Layer> ls, String prefix, List<Rational> t) {
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            String p = prefix + "." + i;
            if (l instanceof Layer.Dense d) {
                offsets.put(p, new int[]{add(p + ".weight", d.weight(), t), add(p + ".bias", d.bias(), t)});
            } else if (l instanceof Layer.BatchNorm b) {
                offsets.put(p, new int[]{add(p + ".weight", b.weight(), t), add(p + ".bias", b.bias(), t)});
            } else if (l instanceof Layer.Residual r) {
                number(r.layers(), p + ".layers", t);
                if (r.shortcut() != null) {
                    number(r.shortcut(), p + ".shortcut", t);
                }
            } else if (l instanceof Layer.Concat c) {
                number(c.layers(), p + ".layers", t);
            } else if (l instanceof Layer.Conv2d || l instanceof Layer.Smooth || l instanceof Layer.MaxPool2d
                    || l instanceof Layer.AvgPool2d) {
                throw new IllegalArgumentException("the exact reference handles vector nets of piecewise-linear ops and square: " + l.op());
            }
        }
    }

    private int add(String name, Tensor tensor, List<Rational> t) {
        if (tensor == null) {
            return -1;
        }
        params.add(new Param(name, t.size(), tensor.size()));
        for (int i = 0; i < tensor.size(); i++) {
            t.add(tensor.rational(i));
        }
        return t.size() - tensor.size();
    }

    public List<Param> params() {
        return params;
    }

    public int size() {
        return theta.length;
    }

    // ------------------------------------------------------------------ rational backprop

    /** The gradient of L = Σ(f(x) − y)²/(N·k) by backpropagation in rationals. */
    public Rational[] gradient(Rational[][] x, Rational[][] y) {
        Rational[] g = new Rational[theta.length];
        java.util.Arrays.fill(g, Rational.ZERO);
        Rational nk = Rational.of((long) x.length * y[0].length);
        for (int s = 0; s < x.length; s++) {
            List<Back> tape = new ArrayList<>();
            Rational[] out = fwd(model.layers(), "layers", x[s], tape);
            Rational[] gy = new Rational[out.length];
            for (int i = 0; i < out.length; i++) {
                gy[i] = Rational.TWO.multiply(out[i].subtract(y[s][i])).divide(nk);
            }
            for (int i = tape.size() - 1; i >= 0; i--) {
                gy = tape.get(i).back(gy, g);
            }
        }
        return g;
    }

    /** A layer's backward step: returns dL/dx, adds parameter gradients to g. */
    private interface Back {
        Rational[] back(Rational[] gy, Rational[] g);
    }

    private Rational[] fwd(List<Layer> ls, String prefix, Rational[] x, List<Back> tape) {
        Rational[] h = x;
        for (int i = 0; i < ls.size(); i++) {
            h = fwd(ls.get(i), prefix + "." + i, h, tape);
        }
        return h;
    }

    private Rational[] fwd(Layer l, String path, Rational[] x, List<Back> tape) {
        if (l instanceof Layer.Dense d) {
            int[] o = offsets.get(path);
            int out = d.out();
            int in = d.in();
            Rational[] y = new Rational[out];
            for (int i = 0; i < out; i++) {
                Rational s = o[1] < 0 ? Rational.ZERO : theta[o[1] + i];
                for (int j = 0; j < in; j++) {
                    s = s.add(theta[o[0] + i * in + j].multiply(x[j]));
                }
                y[i] = s;
            }
            tape.add((gy, g) -> {
                Rational[] gx = new Rational[in];
                java.util.Arrays.fill(gx, Rational.ZERO);
                for (int i = 0; i < out; i++) {
                    if (o[1] >= 0) {
                        g[o[1] + i] = g[o[1] + i].add(gy[i]);
                    }
                    for (int j = 0; j < in; j++) {
                        g[o[0] + i * in + j] = g[o[0] + i * in + j].add(gy[i].multiply(x[j]));
                        gx[j] = gx[j].add(theta[o[0] + i * in + j].multiply(gy[i]));
                    }
                }
                return gx;
            });
            return y;
        }
        if (l instanceof Layer.AbRelu a) {
            Rational neg = a.neg().rational();
            Rational pos = a.pos().rational();
            Rational zero = a.op().equals("abs") || a.op().equals("relu") ? Rational.ZERO : neg;
            Rational[] y = new Rational[x.length];
            Rational[] d = new Rational[x.length];
            for (int i = 0; i < x.length; i++) {
                int s = x[i].signum();
                y[i] = (s > 0 ? pos : neg).multiply(x[i]);
                d[i] = s > 0 ? pos : s < 0 ? neg : zero;
            }
            tape.add((gy, g) -> mul(d, gy));
            return y;
        }
        if (l instanceof Layer.Square) {
            Rational[] y = mul(x, x);
            Rational[] d = new Rational[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = Rational.TWO.multiply(x[i]);
            }
            tape.add((gy, g) -> mul(d, gy));
            return y;
        }
        if (l instanceof Layer.Identity || l instanceof Layer.Flatten) {
            return x;
        }
        if (l instanceof Layer.Residual r) {
            List<Back> body = new ArrayList<>();
            List<Back> sc = new ArrayList<>();
            Rational[] b = fwd(r.layers(), path + ".layers", x, body);
            Rational[] s = r.shortcut() == null ? x : fwd(r.shortcut(), path + ".shortcut", x, sc);
            tape.add((gy, g) -> {
                Rational[] gb = gy;
                for (int i = body.size() - 1; i >= 0; i--) {
                    gb = body.get(i).back(gb, g);
                }
                Rational[] gs = gy;
                for (int i = sc.size() - 1; i >= 0; i--) {
                    gs = sc.get(i).back(gs, g);
                }
                return addv(gb, gs);
            });
            return addv(b, s);
        }
        if (l instanceof Layer.Concat c) {
            List<Back> body = new ArrayList<>();
            Rational[] b = fwd(c.layers(), path + ".layers", x, body);
            Rational[] y = new Rational[x.length + b.length];
            System.arraycopy(x, 0, y, 0, x.length);
            System.arraycopy(b, 0, y, x.length, b.length);
            tape.add((gy, g) -> {
                Rational[] gb = java.util.Arrays.copyOfRange(gy, x.length, gy.length);
                for (int i = body.size() - 1; i >= 0; i--) {
                    gb = body.get(i).back(gb, g);
                }
                return addv(java.util.Arrays.copyOf(gy, x.length), gb);
            });
            return y;
        }
        if (l instanceof Layer.BatchNorm bn) {
            int[] o = offsets.get(path);
            int c = bn.features();
            Rational[] y = new Rational[x.length];
            Rational[] xhat = new Rational[x.length];
            Rational[] inv = new Rational[c];
            for (int ch = 0; ch < c; ch++) {
                Rational sd = bn.var().rational(ch).add(bn.eps().rational()).sqrtExact();
                if (sd == null) {
                    throw new IllegalArgumentException("var + eps must be a rational square");
                }
                inv[ch] = sd.reciprocal();
            }
            int per = x.length / c;
            for (int i = 0; i < x.length; i++) {
                int ch = i / per;
                xhat[i] = x[i].subtract(bn.mean().rational(ch)).multiply(inv[ch]);
                Rational w = o[0] < 0 ? Rational.ONE : theta[o[0] + ch];
                Rational b = o[1] < 0 ? Rational.ZERO : theta[o[1] + ch];
                y[i] = xhat[i].multiply(w).add(b);
            }
            tape.add((gy, g) -> {
                Rational[] gx = new Rational[x.length];
                for (int i = 0; i < x.length; i++) {
                    int ch = i / per;
                    Rational w = o[0] < 0 ? Rational.ONE : theta[o[0] + ch];
                    if (o[0] >= 0) {
                        g[o[0] + ch] = g[o[0] + ch].add(gy[i].multiply(xhat[i]));
                    }
                    if (o[1] >= 0) {
                        g[o[1] + ch] = g[o[1] + ch].add(gy[i]);
                    }
                    gx[i] = gy[i].multiply(w).multiply(inv[ch]);
                }
                return gx;
            });
            return y;
        }
        throw new IllegalArgumentException("no exact rule for " + l.op());
    }

    private static Rational[] mul(Rational[] a, Rational[] b) {
        Rational[] c = new Rational[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].multiply(b[i]);
        }
        return c;
    }

    private static Rational[] addv(Rational[] a, Rational[] b) {
        Rational[] c = new Rational[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].add(b[i]);
        }
        return c;
    }

    // ------------------------------------------------------------------ hyper-dual forward mode

    /** a + b·ε₁ + c·ε₂ + d·ε₁ε₂ with rational parts. */
    record HD(Rational a, Rational b, Rational c, Rational d) {
        static final HD ZERO = of(Rational.ZERO);

        static HD of(Rational a) {
            return new HD(a, Rational.ZERO, Rational.ZERO, Rational.ZERO);
        }

        HD add(HD o) {
            return new HD(a.add(o.a), b.add(o.b), c.add(o.c), d.add(o.d));
        }

        HD sub(HD o) {
            return new HD(a.subtract(o.a), b.subtract(o.b), c.subtract(o.c), d.subtract(o.d));
        }

        HD mul(HD o) {
            return new HD(a.multiply(o.a), a.multiply(o.b).add(b.multiply(o.a)), a.multiply(o.c).add(c.multiply(o.a)),
                    a.multiply(o.d).add(b.multiply(o.c)).add(c.multiply(o.b)).add(d.multiply(o.a)));
        }

        HD scale(Rational s) {
            return new HD(a.multiply(s), b.multiply(s), c.multiply(s), d.multiply(s));
        }
    }

    /** The loss with θᵢ seeded by ε₁ and θⱼ by ε₂: its ε₁ε₂ part is H_ij, its ε₁ part ∂L/∂θᵢ. */
    HD lossHD(Rational[][] x, Rational[][] y, int i, int j) {
        HD[] th = new HD[theta.length];
        for (int p = 0; p < th.length; p++) {
            th[p] = new HD(theta[p], p == i ? Rational.ONE : Rational.ZERO, p == j ? Rational.ONE : Rational.ZERO, Rational.ZERO);
        }
        HD sum = HD.ZERO;
        for (int s = 0; s < x.length; s++) {
            HD[] h = new HD[x[s].length];
            for (int q = 0; q < h.length; q++) {
                h[q] = HD.of(x[s][q]);
            }
            HD[] out = hd(model.layers(), "layers", h, th);
            for (int q = 0; q < out.length; q++) {
                HD e = out[q].sub(HD.of(y[s][q]));
                sum = sum.add(e.mul(e));
            }
        }
        return sum.scale(Rational.ONE.divide(Rational.of((long) x.length * y[0].length)));
    }

    /** The exact Hessian of the MSE loss, P×P. */
    public Rational[][] hessian(Rational[][] x, Rational[][] y) {
        int n = theta.length;
        Rational[][] h = new Rational[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                h[i][j] = lossHD(x, y, i, j).d();
                h[j][i] = h[i][j];
            }
        }
        return h;
    }

    /** The gradient by forward mode (the ε₁ parts), a second exact route to it. */
    public Rational[] gradientForward(Rational[][] x, Rational[][] y) {
        Rational[] g = new Rational[theta.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = lossHD(x, y, i, -1).b();
        }
        return g;
    }

    private HD[] hd(List<Layer> ls, String prefix, HD[] x, HD[] th) {
        HD[] h = x;
        for (int i = 0; i < ls.size(); i++) {
            h = hd(ls.get(i), prefix + "." + i, h, th);
        }
        return h;
    }

    private HD[] hd(Layer l, String path, HD[] x, HD[] th) {
        if (l instanceof Layer.Dense d) {
            int[] o = offsets.get(path);
            HD[] y = new HD[d.out()];
            for (int i = 0; i < y.length; i++) {
                HD s = o[1] < 0 ? HD.ZERO : th[o[1] + i];
                for (int j = 0; j < d.in(); j++) {
                    s = s.add(th[o[0] + i * d.in() + j].mul(x[j]));
                }
                y[i] = s;
            }
            return y;
        }
        if (l instanceof Layer.AbRelu a) {
            Rational zero = a.op().equals("abs") || a.op().equals("relu") ? Rational.ZERO : a.neg().rational();
            HD[] y = new HD[x.length];
            for (int i = 0; i < x.length; i++) {
                int s = x[i].a().signum();
                Rational slope = s > 0 ? a.pos().rational() : s < 0 ? a.neg().rational() : zero;
                y[i] = s == 0 ? new HD(Rational.ZERO, x[i].b().multiply(slope), x[i].c().multiply(slope), x[i].d().multiply(slope))
                        : x[i].scale(slope);
            }
            return y;
        }
        if (l instanceof Layer.Square) {
            HD[] y = new HD[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i].mul(x[i]);
            }
            return y;
        }
        if (l instanceof Layer.Identity || l instanceof Layer.Flatten) {
            return x;
        }
        if (l instanceof Layer.Residual r) {
            HD[] b = hd(r.layers(), path + ".layers", x, th);
            HD[] s = r.shortcut() == null ? x : hd(r.shortcut(), path + ".shortcut", x, th);
            HD[] y = new HD[b.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = b[i].add(s[i]);
            }
            return y;
        }
        if (l instanceof Layer.Concat c) {
            HD[] b = hd(c.layers(), path + ".layers", x, th);
            HD[] y = new HD[x.length + b.length];
            System.arraycopy(x, 0, y, 0, x.length);
            System.arraycopy(b, 0, y, x.length, b.length);
            return y;
        }
        if (l instanceof Layer.BatchNorm bn) {
            int[] o = offsets.get(path);
            int per = x.length / bn.features();
            HD[] y = new HD[x.length];
            for (int i = 0; i < x.length; i++) {
                int ch = i / per;
                Rational inv = bn.var().rational(ch).add(bn.eps().rational()).sqrtExact().reciprocal();
                HD xhat = x[i].sub(HD.of(bn.mean().rational(ch))).scale(inv);
                HD w = o[0] < 0 ? HD.of(Rational.ONE) : th[o[0] + ch];
                HD b = o[1] < 0 ? HD.ZERO : th[o[1] + ch];
                y[i] = xhat.mul(w).add(b);
            }
            return y;
        }
        throw new IllegalArgumentException("no exact rule for " + l.op());
    }

    /** Names by offset, for messages. */
    public Map<Integer, String> names() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (Param p : params) {
            m.put(p.offset(), p.name());
        }
        return m;
    }
}
