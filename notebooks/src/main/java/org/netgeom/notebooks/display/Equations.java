package org.netgeom.notebooks.display;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.notebooks.NotebookError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Writes a small network as equations (see {@link Latex#equations(Model)}): an interpreter over
 * the IR's layers whose values are LaTeX expressions. A value that a dense layer (or a block)
 * reuses is named first ({@code h^{(k)}_i = ...}), so that every line stays short and no
 * expression is copied.
 *
 * <p>A domain of the {@link Interpreter}: a value is a layer's units as LaTeX; the lines written
 * so far (the named values) are the domain's state, in evaluation order.
 */
final class Equations implements Domain<List<Equations.Expr>> {
    /** The widest layer written out unit by unit. */
    static final int MAX_UNITS = 16;

    /** One value: its LaTeX and whether it is a bare name or number (usable without naming). */
    record Expr(String tex, boolean atomic) {
    }

    private final List<String> lines = new ArrayList<>();
    private final Deque<Layer.Concat> concats = new ArrayDeque<>();   // the concats being walked, innermost first
    private int named;

    private Equations() {
    }

    static String write(Model m) {
        int d = m.input().size();
        if (d > MAX_UNITS) {
            throw NotebookError.TOO_LARGE.error("the input has " + d + " values; equations are written for at most " + MAX_UNITS);
        }
        Equations e = new Equations();
        List<Expr> in = new ArrayList<>();
        for (int i = 1; i <= d; i++) {
            in.add(new Expr(d == 1 ? "x" : "x_{" + i + "}", true));
        }
        List<Expr> cur = Interpreter.of(m).run(e, in);
        String arg = d == 1 ? "x" : "\\mathbf{x}";
        for (int i = 0; i < cur.size(); i++) {
            String lhs = cur.size() == 1 ? "f(" + arg + ")" : "f_{" + (i + 1) + "}(" + arg + ")";
            e.lines.add(lhs + " &= " + cur.get(i).tex());
        }
        return "\\begin{aligned}\n" + String.join(" \\\\\n", e.lines) + "\n\\end{aligned}";
    }

    /** Names every value that is not atomic yet: {@code h^{(k)}_i = value}. */
    private List<Expr> nameAll(List<Expr> cur) {
        if (cur.stream().allMatch(Expr::atomic)) {
            return cur;
        }
        named++;
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < cur.size(); i++) {
            Expr e = cur.get(i);
            if (e.atomic()) {
                next.add(e);
                continue;
            }
            String name = "h^{(" + named + ")}" + (cur.size() == 1 ? "" : "_{" + (i + 1) + "}");
            lines.add(name + " &= " + e.tex());
            next.add(new Expr(name, true));
        }
        return next;
    }

    private static void requireWidth(int n, String what) {
        if (n > MAX_UNITS) {
            throw NotebookError.TOO_LARGE.error(what + " has " + n + " units; equations are written for layers of at most "
                    + MAX_UNITS);
        }
    }

    /** {@code c v} with the coefficient's sign in front ("-v", "2 v", "\frac{1}{2} v", "\mathit{w} v"). */
    private static String term(Scalar c, String v) {
        if (v.startsWith("-")) {
            v = "\\left(" + v + "\\right)";
        }
        if (c instanceof Rational q) {
            if (q.isOne()) {
                return v;
            }
            if (q.equals(Rational.MINUS_ONE)) {
                return "-" + v;
            }
        }
        return Latex.scalar(c) + " " + v;
    }

    private static boolean isZero(Scalar s) {
        return s instanceof Rational q && q.isZero();
    }

    /** {@code sum_j c_j v_j + b} with zero terms left out. */
    private static Expr affine(List<Scalar> coef, List<Expr> vars, Scalar bias) {
        List<String> terms = new ArrayList<>();
        boolean plainName = false;
        for (int j = 0; j < coef.size(); j++) {
            if (!isZero(coef.get(j))) {
                terms.add(term(coef.get(j), vars.get(j).tex()));
                plainName = coef.get(j) instanceof Rational q && q.isOne();
            }
        }
        if (bias != null && !isZero(bias)) {
            terms.add(Latex.scalar(bias));
        }
        if (terms.isEmpty()) {
            return new Expr("0", true);
        }
        StringBuilder sb = new StringBuilder(terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            String t = terms.get(i);
            sb.append(t.startsWith("-") ? " - " + t.substring(1) : " + " + t);
        }
        boolean constant = coef.stream().allMatch(Equations::isZero);
        return new Expr(sb.toString(), terms.size() == 1 && (plainName || constant));
    }

    private static List<Expr> map(List<Expr> cur, java.util.function.UnaryOperator<String> f) {
        List<Expr> next = new ArrayList<>();
        for (Expr e : cur) {
            next.add(new Expr(f.apply(e.tex()), false));
        }
        return next;
    }

    /** A residual's or concat's input is named before its branches share it. */
    @Override
    public List<Expr> arrive(Layer l, String path, List<Expr> x) {
        if (l instanceof Layer.Concat c) {
            concats.push(c);
        }
        return l instanceof Layer.Residual || l instanceof Layer.Concat ? nameAll(x) : x;
    }

    @Override
    public int size(List<Expr> x) {
        return x.size();
    }

    /** Dense layers as sums; conv2d and avgpool2d are refused (too many units for equations). */
    @Override
    public List<Expr> linear(Linear a, List<Expr> x) {
        if (a.layer() instanceof Layer.Conv2d) {
            throw refuse().error("conv2d is not written out as equations (too many units); show the model as a table instead");
        }
        if (a.layer() instanceof Layer.AvgPool2d) {
            throw refuse().error("avgpool2d is not written out as equations; show the model as a table instead");
        }
        Layer l = a.layer();
        requireWidth(a.out(), "dense layer" + (l.name() == null ? "" : " '" + l.name() + "'"));
        List<Expr> cur = nameAll(x);
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < a.out(); i++) {
            int[] cols = a.cols(i);
            List<Scalar> row = new ArrayList<>();
            List<Expr> vars = new ArrayList<>();
            for (int k = 0; k < cols.length; k++) {
                row.add(a.weight(i, k));
                vars.add(cur.get(cols[k]));
            }
            next.add(affine(row, vars, a.bias(i)));
        }
        return next;
    }

    @Override
    public List<Expr> twoSlope(Layer.AbRelu l, List<Expr> x) {
        String f = switch (l.op()) {
            case "relu" -> "\\operatorname{relu}";
            case "leaky_relu" -> "\\operatorname{leaky}_{" + Latex.scalar(l.neg()) + "}";
            case "abs" -> null;
            default -> "\\operatorname{abrelu}_{" + Latex.scalar(l.neg()) + ",\\," + Latex.scalar(l.pos()) + "}";
        };
        return map(x, e -> f == null ? "\\left|" + e + "\\right|" : f + "\\left(" + e + "\\right)");
    }

    /** Maxout as a max over each group (a group of one as itself); max pooling is refused. */
    @Override
    public List<Expr> windowMax(Layer l, int[][] groups, List<Expr> cur) {
        if (!(l instanceof Layer.Maxout)) {
            throw refuse().error("maxpool2d is not written out as equations; show the model as a table instead");
        }
        List<Expr> next = new ArrayList<>();
        for (int[] g : groups) {
            StringBuilder sb = new StringBuilder("\\max\\left(");
            for (int j = 0; j < g.length; j++) {
                sb.append(j == 0 ? "" : ",\\, ").append(cur.get(g[j]).tex());
            }
            next.add(new Expr(g.length == 1 ? cur.get(g[0]).tex() : sb.append("\\right)").toString(),
                    g.length == 1 && cur.get(g[0]).atomic()));
        }
        return next;
    }

    @Override
    public List<Expr> clamp(Layer.HardTanh l, List<Expr> x) {
        String f = "\\operatorname{hardtanh}_{" + Latex.scalar(l.min()) + ",\\," + Latex.scalar(l.max()) + "}";
        return map(x, e -> f + "\\left(" + e + "\\right)");
    }

    @Override
    public List<Expr> square(Layer.Square l, List<Expr> cur) {
        List<Expr> next = new ArrayList<>();
        for (Expr e : cur) {
            next.add(new Expr(e.atomic() ? e.tex() + "^{2}" : "\\left(" + e.tex() + "\\right)^{2}", false));
        }
        return next;
    }

    @Override
    public List<Expr> smooth(Layer.Smooth l, List<Expr> x) {
        String f = switch (l.fn()) {
            case TANH -> "\\tanh";
            case SIGMOID -> "\\sigma";
            case ERF -> "\\operatorname{erf}";
            case SOFTPLUS -> "\\operatorname{softplus}";
            case GELU -> "\\operatorname{gelu}";
        };
        return map(x, e -> f + "\\left(" + e + "\\right)");
    }

    @Override
    public List<Expr> normalise(Layer.BatchNorm l, int perChannel, List<Expr> x) {
        if (l.features() != x.size()) {
            throw NotebookError.NOT_SUPPORTED.error("batchnorm over " + x.size() + " values in " + l.features()
                    + " channels (an image) is not written out; equations cover batchnorm on vectors");
        }
        List<Expr> cur = nameAll(x);
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < cur.size(); i++) {
            Scalar g = l.weight() == null ? Rational.ONE : l.weight().get(i);
            Scalar b = l.bias() == null ? Rational.ZERO : l.bias().get(i);
            Scalar mu = l.mean().get(i);
            Scalar var = l.var().get(i);
            Rational sd = null;
            if (var instanceof Rational v && l.eps() instanceof Rational eps) {
                sd = v.add(eps).sqrtExact();
            }
            if (sd != null && !sd.isZero() && g instanceof Rational gq && mu instanceof Rational mq && b instanceof Rational bq) {
                Rational k = gq.divide(sd);         // g (e - mu) / sd + b = k e + (b - k mu)
                next.add(affine(List.of(k), List.of(cur.get(i)), bq.subtract(k.multiply(mq))));
            } else {
                String e = cur.get(i).tex();
                String centred = isZero(mu) ? e : e + " - " + Latex.scalar(mu);
                String root = "\\sqrt{" + Latex.scalar(var) + " + " + Latex.scalar(l.eps()) + "}";
                String s = "\\frac{" + term(g, "\\left(" + centred + "\\right)") + "}{" + root + "}";
                next.add(new Expr(isZero(b) ? s : s + " + " + Latex.scalar(b), false));
            }
        }
        return next;
    }

    @Override
    public List<Expr> add(List<Expr> body, List<Expr> shortcut) {
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            String s = shortcut.get(i).tex();
            next.add(new Expr(body.get(i).tex() + (s.startsWith("-") ? " - " + s.substring(1) : " + " + s), false));
        }
        return next;
    }

    @Override
    public List<Expr> concat(List<Expr> input, List<Expr> branch) {
        Layer.Concat l = concats.pop();
        List<Expr> next = new ArrayList<>(input);
        next.addAll(branch);
        requireWidth(next.size(), "concat" + (l.name() == null ? "" : " '" + l.name() + "'"));
        return next;
    }

    private static NotebookError refuse() {
        return NotebookError.NOT_SUPPORTED;
    }
}
