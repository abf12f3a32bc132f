package org.netgeom.notebooks.display;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Tensor;
import org.netgeom.notebooks.NotebookError;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small network as equations (see {@link Latex#equations(Model)}): an interpreter over
 * the IR's layers whose values are LaTeX expressions. A value that a dense layer (or a block)
 * reuses is named first ({@code h^{(k)}_i = ...}), so that every line stays short and no
 * expression is copied.
 */
final class Equations implements LayerVisitor<Void> {
    /** The widest layer written out unit by unit. */
    static final int MAX_UNITS = 16;

    /** One value: its LaTeX and whether it is a bare name or number (usable without naming). */
    private record Expr(String tex, boolean atomic) {
    }

    private List<Expr> cur = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private int named;

    private Equations() {
    }

    static String write(Model m) {
        int d = m.input().size();
        if (d > MAX_UNITS) {
            throw NotebookError.TOO_LARGE.error("the input has " + d + " values; equations are written for at most " + MAX_UNITS);
        }
        Equations e = new Equations();
        for (int i = 1; i <= d; i++) {
            e.cur.add(new Expr(d == 1 ? "x" : "x_{" + i + "}", true));
        }
        for (Layer l : m.layers()) {
            l.accept(e);
        }
        String arg = d == 1 ? "x" : "\\mathbf{x}";
        for (int i = 0; i < e.cur.size(); i++) {
            String lhs = e.cur.size() == 1 ? "f(" + arg + ")" : "f_{" + (i + 1) + "}(" + arg + ")";
            e.lines.add(lhs + " &= " + e.cur.get(i).tex());
        }
        return "\\begin{aligned}\n" + String.join(" \\\\\n", e.lines) + "\n\\end{aligned}";
    }

    /** Names every value that is not atomic yet: {@code h^{(k)}_i = value}. */
    private void nameAll() {
        if (cur.stream().allMatch(Expr::atomic)) {
            return;
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
        cur = next;
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

    private void map(java.util.function.UnaryOperator<String> f) {
        List<Expr> next = new ArrayList<>();
        for (Expr e : cur) {
            next.add(new Expr(f.apply(e.tex()), false));
        }
        cur = next;
    }

    @Override
    public Void visit(Layer.Dense l) {
        requireWidth(l.out(), "dense layer" + (l.name() == null ? "" : " '" + l.name() + "'"));
        nameAll();
        Tensor w = l.weight();
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < l.out(); i++) {
            List<Scalar> row = new ArrayList<>();
            for (int j = 0; j < l.in(); j++) {
                row.add(w.get(i * l.in() + j));
            }
            next.add(affine(row, cur, l.bias() == null ? null : l.bias().get(i)));
        }
        cur = next;
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
        String f = switch (l.op()) {
            case "relu" -> "\\operatorname{relu}";
            case "leaky_relu" -> "\\operatorname{leaky}_{" + Latex.scalar(l.neg()) + "}";
            case "abs" -> null;
            default -> "\\operatorname{abrelu}_{" + Latex.scalar(l.neg()) + ",\\," + Latex.scalar(l.pos()) + "}";
        };
        map(e -> f == null ? "\\left|" + e + "\\right|" : f + "\\left(" + e + "\\right)");
        return null;
    }

    @Override
    public Void visit(Layer.Maxout l) {
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i + l.k() <= cur.size(); i += l.k()) {
            StringBuilder sb = new StringBuilder("\\max\\left(");
            for (int j = 0; j < l.k(); j++) {
                sb.append(j == 0 ? "" : ",\\, ").append(cur.get(i + j).tex());
            }
            next.add(new Expr(l.k() == 1 ? cur.get(i).tex() : sb.append("\\right)").toString(), l.k() == 1 && cur.get(i).atomic()));
        }
        cur = next;
        return null;
    }

    @Override
    public Void visit(Layer.HardTanh l) {
        String f = "\\operatorname{hardtanh}_{" + Latex.scalar(l.min()) + ",\\," + Latex.scalar(l.max()) + "}";
        map(e -> f + "\\left(" + e + "\\right)");
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Flatten l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        List<Expr> next = new ArrayList<>();
        for (Expr e : cur) {
            next.add(new Expr(e.atomic() ? e.tex() + "^{2}" : "\\left(" + e.tex() + "\\right)^{2}", false));
        }
        cur = next;
        return null;
    }

    @Override
    public Void visit(Layer.Smooth l) {
        String f = switch (l.fn()) {
            case TANH -> "\\tanh";
            case SIGMOID -> "\\sigma";
            case ERF -> "\\operatorname{erf}";
            case SOFTPLUS -> "\\operatorname{softplus}";
            case GELU -> "\\operatorname{gelu}";
        };
        map(e -> f + "\\left(" + e + "\\right)");
        return null;
    }

    @Override
    public Void visit(Layer.BatchNorm l) {
        if (l.features() != cur.size()) {
            throw NotebookError.NOT_SUPPORTED.error("batchnorm over " + cur.size() + " values in " + l.features()
                    + " channels (an image) is not written out; equations cover batchnorm on vectors");
        }
        nameAll();
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
        cur = next;
        return null;
    }

    @Override
    public Void visit(Layer.Residual l) {
        nameAll();
        List<Expr> input = cur;
        for (Layer x : l.layers()) {
            x.accept(this);
        }
        List<Expr> body = cur;
        cur = input;
        if (l.shortcut() != null) {
            for (Layer x : l.shortcut()) {
                x.accept(this);
            }
        }
        List<Expr> next = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            String s = cur.get(i).tex();
            next.add(new Expr(body.get(i).tex() + (s.startsWith("-") ? " - " + s.substring(1) : " + " + s), false));
        }
        cur = next;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        nameAll();
        List<Expr> input = cur;
        for (Layer x : l.layers()) {
            x.accept(this);
        }
        List<Expr> next = new ArrayList<>(input);
        next.addAll(cur);
        requireWidth(next.size(), "concat" + (l.name() == null ? "" : " '" + l.name() + "'"));
        cur = next;
        return null;
    }

    private static NotebookError refuse() {
        return NotebookError.NOT_SUPPORTED;
    }

    @Override
    public Void visit(Layer.Conv2d l) {
        throw refuse().error("conv2d is not written out as equations (too many units); show the model as a table instead");
    }

    @Override
    public Void visit(Layer.MaxPool2d l) {
        throw refuse().error("maxpool2d is not written out as equations; show the model as a table instead");
    }

    @Override
    public Void visit(Layer.AvgPool2d l) {
        throw refuse().error("avgpool2d is not written out as equations; show the model as a table instead");
    }
}
