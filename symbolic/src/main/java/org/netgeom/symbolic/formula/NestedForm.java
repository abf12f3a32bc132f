package org.netgeom.symbolic.formula;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.symbolic.cas.Cas;

import java.util.List;

/**
 * The network as nested Symja input text, layer by layer: dense and conv layers as sums of
 * products, relu as Max(0, z), abs as Abs(z), leaky_relu (slope s in [0, 1]) as Max(z, s z), any
 * other abrelu as neg·z + (pos − neg)·Max(0, z) (valid for symbolic slopes too), max pooling as
 * Max over its window, batchnorm with Sqrt(var + eps) (exact, possibly irrational), and the smooth
 * activations by their definitions (sigmoid 1/(1 + e^−z), softplus log(1 + e^z), gelu
 * z/2·(1 + erf(z/√2))). Weights that are IR symbols become Symja symbols through
 * {@link Cas#symbol}.
 *
 * <p>A domain of the {@link Interpreter}: a value is a layer's units as Symja input text; after
 * each top-level layer the values are simplified and their total length is checked.
 */
final class NestedForm implements Domain<String[]> {
    private final int maxChars;
    private final String[] inputs;
    private final Shape shape;

    NestedForm(String[] inputs, Shape shape, int maxChars) {
        this.inputs = inputs;
        this.shape = shape;
        this.maxChars = maxChars;
    }

    String[] run(List<Layer> layers) {
        return Interpreter.of(layers, shape, "layers").run(this, inputs.clone());
    }

    /**
     * After each top-level layer: simplify each value before it is nested further (Symja leaves
     * Max unevaluated when its arguments are unsimplified sums), then check the total length.
     */
    @Override
    public String[] leave(Layer l, String path, String[] v) {
        if (path.indexOf('.') >= 0) {
            return v;
        }
        String[] y = new String[v.length];
        long total = 0;
        for (int i = 0; i < v.length; i++) {
            y[i] = Cas.get().evalLine(v[i]);
            total += y[i].length();
        }
        if (total > maxChars) {
            throw IrError.BAD_INPUT.error("the nested closed form grows past " + maxChars + " characters at layer "
                    + l.op() + "; use the piecewise form over a domain (--box), or a smaller network");
        }
        return y;
    }

    static String scalar(Scalar s) {
        if (s instanceof Symbol y) {
            return Cas.get().symbol(y.name());
        }
        return Cas.of((Rational) s);
    }

    private static boolean isZero(Scalar s) {
        return s instanceof Rational q && q.isZero();
    }

    private static boolean isOne(Scalar s) {
        return s instanceof Rational q && q.isOne();
    }

    /** Σ w_j·x_j + b with zero terms left out. */
    private static String sum(Scalar[] w, String[] x, Scalar b) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < w.length; j++) {
            if (isZero(w[j])) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "+").append(isOne(w[j]) ? "" : scalar(w[j]) + "*").append("(").append(x[j]).append(")");
        }
        if (b != null && !isZero(b)) {
            sb.append(sb.length() == 0 ? "" : "+").append(scalar(b));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    @Override
    public int size(String[] v) {
        return v.length;
    }

    /** Dense and conv2d as sums of products; average pooling as its window's sum over its size. */
    @Override
    public String[] linear(Linear a, String[] v) {
        String[] y = new String[a.out()];
        for (int o = 0; o < y.length; o++) {
            int[] cols = a.cols(o);
            if (a.layer() instanceof Layer.AvgPool2d) {
                StringBuilder sb = new StringBuilder("(");
                for (int e = 0; e < cols.length; e++) {
                    sb.append(e == 0 ? "" : "+").append("(").append(v[cols[e]]).append(")");
                }
                y[o] = sb.append(")").append("/" + cols.length).toString();
                continue;
            }
            Scalar[] ws = new Scalar[cols.length];
            String[] xs = new String[cols.length];
            for (int k = 0; k < ws.length; k++) {
                ws[k] = a.weight(o, k);
                xs[k] = v[cols[k]];
            }
            y[o] = sum(ws, xs, a.bias(o));
        }
        return y;
    }

    @Override
    public String[] twoSlope(Layer.AbRelu l, String[] v) {
        String[] y = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            String z = v[i];
            if (isZero(l.neg()) && isOne(l.pos())) {
                y[i] = "Max(0," + z + ")";
            } else if (l.neg() instanceof Rational n && n.equals(Rational.MINUS_ONE) && isOne(l.pos())) {
                y[i] = "Abs(" + z + ")";
            } else if (l.neg() instanceof Rational n && isOne(l.pos()) && n.signum() >= 0 && n.compareTo(Rational.ONE) <= 0) {
                y[i] = "Max(" + z + "," + Cas.of(n) + "*(" + z + "))";
            } else {
                y[i] = scalar(l.neg()) + "*(" + z + ")+(" + scalar(l.pos()) + "-" + scalar(l.neg()) + ")*Max(0," + z + ")";
            }
        }
        return y;
    }

    @Override
    public String[] clamp(Layer.HardTanh l, String[] v) {
        String[] y = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = "Min(" + Cas.of(l.max()) + ",Max(" + Cas.of(l.min()) + "," + v[i] + "))";
        }
        return y;
    }

    @Override
    public String[] square(Layer.Square l, String[] v) {
        String[] y = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = "(" + v[i] + ")^2";
        }
        return y;
    }

    @Override
    public String[] smooth(Layer.Smooth l, String[] v) {
        String[] y = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            String z = v[i];
            y[i] = switch (l.fn()) {
                case TANH -> "Tanh(" + z + ")";
                case SIGMOID -> "1/(1+Exp(-(" + z + ")))";
                case ERF -> "Erf(" + z + ")";
                case SOFTPLUS -> "Log(1+Exp(" + z + "))";
                case GELU -> "(" + z + ")/2*(1+Erf((" + z + ")/Sqrt(2)))";
            };
        }
        return y;
    }

    @Override
    public String[] add(String[] body, String[] shortcut) {
        String[] y = new String[body.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = "(" + body[i] + ")+(" + shortcut[i] + ")";
        }
        return y;
    }

    @Override
    public String[] concat(String[] a, String[] b) {
        String[] y = new String[a.length + b.length];
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }

    @Override
    public String[] normalise(Layer.BatchNorm l, int per, String[] v) {
        int c = l.features();
        String[] y = new String[v.length];
        for (int ch = 0; ch < c; ch++) {
            String sd;
            if (l.var().get(ch) instanceof Rational var && l.eps() instanceof Rational eps && var.add(eps).sqrtExact() != null) {
                sd = Cas.of(var.add(eps).sqrtExact());
            } else {
                sd = "Sqrt(" + scalar(l.var().get(ch)) + "+" + scalar(l.eps()) + ")";
            }
            String g = l.weight() == null ? "1" : scalar(l.weight().get(ch));
            String b = l.bias() == null || isZero(l.bias().get(ch)) ? "" : "+" + scalar(l.bias().get(ch));
            String mean = isZero(l.mean().get(ch)) ? "" : "-" + scalar(l.mean().get(ch));
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                y[i] = g + "*((" + v[i] + ")" + mean + ")/" + sd + b;
            }
        }
        return y;
    }

    /** Max pooling as Max over its window; maxout as Max over its group (a group of one as itself). */
    @Override
    public String[] windowMax(Layer l, int[][] win, String[] v) {
        boolean one = l instanceof Layer.Maxout m && m.k() == 1;
        String[] y = new String[win.length];
        for (int o = 0; o < win.length; o++) {
            StringBuilder sb = new StringBuilder(one ? "(" : "Max(");
            for (int e = 0; e < win[o].length; e++) {
                sb.append(e == 0 ? "" : ",").append("(").append(v[win[o][e]]).append(")");
            }
            y[o] = sb.append(")").toString();
        }
        return y;
    }
}
