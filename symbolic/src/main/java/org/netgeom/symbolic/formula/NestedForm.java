package org.netgeom.symbolic.formula;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.ir.LayerIndex;

import java.util.List;

/**
 * The network as nested Symja input text, layer by layer: dense and conv layers as sums of
 * products, relu as Max(0, z), abs as Abs(z), leaky_relu (slope s in [0, 1]) as Max(z, s z), any
 * other abrelu as neg·z + (pos − neg)·Max(0, z) (valid for symbolic slopes too), max pooling as
 * Max over its window, batchnorm with Sqrt(var + eps) (exact, possibly irrational), and the smooth
 * activations by their definitions (sigmoid 1/(1 + e^−z), softplus log(1 + e^z), gelu
 * z/2·(1 + erf(z/√2))). Weights that are IR symbols become Symja symbols through
 * {@link Cas#symbol}.
 */
final class NestedForm implements LayerVisitor<Void> {
    private final int maxChars;
    private String[] v;
    private Shape shape;

    NestedForm(String[] inputs, Shape shape, int maxChars) {
        this.v = inputs;
        this.shape = shape;
        this.maxChars = maxChars;
    }

    String[] run(List<Layer> layers) {
        for (Layer l : layers) {
            l.accept(this);
            // simplify each value before it is nested further (Symja leaves Max unevaluated
            // when its arguments are unsimplified sums)
            for (int i = 0; i < v.length; i++) {
                v[i] = Cas.get().evalLine(v[i]);
            }
            long total = 0;
            for (String s : v) {
                total += s.length();
            }
            if (total > maxChars) {
                throw SymbolicError.BAD_INPUT.error("the nested closed form grows past " + maxChars + " characters at layer "
                        + l.op() + "; use the piecewise form over a domain (--box), or a smaller network");
            }
        }
        return v;
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
    public Void visit(Layer.Dense l) {
        String[] y = new String[l.out()];
        for (int i = 0; i < l.out(); i++) {
            Scalar[] w = new Scalar[l.in()];
            for (int j = 0; j < l.in(); j++) {
                w[j] = l.weight().get(i * l.in() + j);
            }
            y[i] = sum(w, v, l.bias() == null ? null : l.bias().get(i));
        }
        v = y;
        shape = Shape.of(l.out());
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
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
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.HardTanh l) {
        for (int i = 0; i < v.length; i++) {
            v[i] = "Min(" + Cas.of(l.max()) + ",Max(" + Cas.of(l.min()) + "," + v[i] + "))";
        }
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        for (int i = 0; i < v.length; i++) {
            v[i] = "(" + v[i] + ")^2";
        }
        return null;
    }

    @Override
    public Void visit(Layer.Smooth l) {
        for (int i = 0; i < v.length; i++) {
            String z = v[i];
            v[i] = switch (l.fn()) {
                case TANH -> "Tanh(" + z + ")";
                case SIGMOID -> "1/(1+Exp(-(" + z + ")))";
                case ERF -> "Erf(" + z + ")";
                case SOFTPLUS -> "Log(1+Exp(" + z + "))";
                case GELU -> "(" + z + ")/2*(1+Erf((" + z + ")/Sqrt(2)))";
            };
        }
        return null;
    }

    @Override
    public Void visit(Layer.Residual l) {
        String[] x = v;
        Shape s = shape;
        for (Layer b : l.layers()) {
            b.accept(this);
        }
        String[] body = v;
        Shape out = shape;
        v = x;
        shape = s;
        if (l.shortcut() != null) {
            for (Layer b : l.shortcut()) {
                b.accept(this);
            }
        }
        String[] y = new String[body.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = "(" + body[i] + ")+(" + v[i] + ")";
        }
        v = y;
        shape = out;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        String[] x = v;
        Shape s = shape;
        for (Layer b : l.layers()) {
            b.accept(this);
        }
        String[] y = new String[x.length + v.length];
        System.arraycopy(x, 0, y, 0, x.length);
        System.arraycopy(v, 0, y, x.length, v.length);
        int[] d = s.dims();
        d[0] += shape.dim(0);
        v = y;
        shape = Shape.of(d);
        return null;
    }

    @Override
    public Void visit(Layer.BatchNorm l) {
        int c = l.features();
        int per = v.length / c;
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
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Conv2d l) {
        int[][][] taps = LayerIndex.convTaps(l, shape);
        Shape out = LayerIndex.convOut(l, shape);
        int per = out.dim(1) * out.dim(2);
        String[] y = new String[taps.length];
        for (int o = 0; o < taps.length; o++) {
            Scalar[] ws = new Scalar[taps[o].length];
            String[] xs = new String[taps[o].length];
            for (int t = 0; t < ws.length; t++) {
                ws[t] = l.weight().get(taps[o][t][1]);
                xs[t] = v[taps[o][t][0]];
            }
            y[o] = sum(ws, xs, l.bias() == null ? null : l.bias().get(o / per));
        }
        v = y;
        shape = out;
        return null;
    }

    private void pool(Layer.Hw k, Layer.Hw st, boolean max) {
        int[][] win = LayerIndex.windows(k, st, shape);
        String[] y = new String[win.length];
        for (int o = 0; o < win.length; o++) {
            StringBuilder sb = new StringBuilder(max ? "Max(" : "(");
            for (int e = 0; e < win[o].length; e++) {
                sb.append(e == 0 ? "" : max ? "," : "+").append("(").append(v[win[o][e]]).append(")");
            }
            y[o] = sb.append(")").append(max ? "" : "/" + win[o].length).toString();
        }
        v = y;
        shape = LayerIndex.poolOut(k, st, shape);
    }

    @Override
    public Void visit(Layer.Maxout l) {
        int[][] g = LayerIndex.groups(v.length, l.k());
        String[] y = new String[g.length];
        for (int o = 0; o < g.length; o++) {
            StringBuilder sb = new StringBuilder(l.k() == 1 ? "(" : "Max(");
            for (int e = 0; e < g[o].length; e++) {
                sb.append(e == 0 ? "" : ",").append("(").append(v[g[o][e]]).append(")");
            }
            y[o] = sb.append(")").toString();
        }
        v = y;
        shape = Shape.of(y.length);
        return null;
    }

    @Override
    public Void visit(Layer.MaxPool2d l) {
        pool(l.kernel(), l.stride(), true);
        return null;
    }

    @Override
    public Void visit(Layer.AvgPool2d l) {
        pool(l.kernel(), l.stride(), false);
        return null;
    }

    @Override
    public Void visit(Layer.Flatten l) {
        shape = Shape.of(shape.size());
        return null;
    }
}
