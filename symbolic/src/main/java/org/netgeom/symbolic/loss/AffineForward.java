package org.netgeom.symbolic.loss;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact forward pass of a piecewise-linear network whose values are affine functions of m
 * variables u: every value is {@code v[0] + Σ_k v[k]·u_k}, stored as {@code Rational[m + 1]}.
 * The variables are either the input (input space: the local affine map of a region, its
 * inequalities) or the parameters of one layer L (parameter space: with the data fixed, the
 * output is affine in L's parameters on each cell, Riedi, Balestriero &amp; Baraniuk 2022, §3).
 *
 * <p>Each piecewise-linear unit takes the branch a {@link Chooser} picks (at a point, or just to
 * the right of a point on a line) and records the condition that keeps it there as a
 * {@link Constraint} g(u) &gt; 0 or g(u) ≥ 0: a unit on the positive branch ('1') needs its
 * pre-activation z &gt; 0, a unit on the other branch ('0') needs −z ≥ 0, and a max-pool winner
 * (or maxout group) needs z_win − z_other &gt; 0 against earlier entries of its window and ≥ 0 against later ones
 * (the first maximum wins, as in {@link ExactForward}). The pattern string follows
 * {@link ExactForward}'s convention: one character per unit in evaluation order, a residual's
 * body before its shortcut.
 */
public final class AffineForward implements LayerVisitor<Void> {

    /** Picks the branch of each piecewise-linear unit from its affine pre-activation. */
    public interface Chooser {
        /** True for the positive branch ('1') of a unit with pre-activation z. */
        boolean positive(Rational[] z);

        /** The index of the winner among the candidates of a max-pool window. */
        int argmax(Rational[][] candidates);
    }

    /** One branch condition: g(u) &gt; 0 ({@code strict}) or g(u) ≥ 0; {@code layer} is the IR path, {@code unit} the index in its output. */
    public record Constraint(Rational[] g, boolean strict, String layer, int unit) {
        /** True when g does not depend on u (no boundary in u-space). */
        public boolean isConstant() {
            for (int k = 1; k < g.length; k++) {
                if (!g[k].isZero()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The layer whose parameters are the variables: its parameters are θ(u) = base + Σ_k u_k dirs[k];
     * as the layer is linear in its parameters, its output is F(base)(x) + Σ_k u_k F(dirs[k])(x)
     * for its (constant) input x.
     */
    public static final class Target {
        private final String path;
        private final Model base;
        private final Model[] dirs;

        public Target(LayerParams params, Rational[] base, Rational[][] dirs) {
            this.path = params.path();
            this.base = params.single(base);
            this.dirs = new Model[dirs.length];
            for (int k = 0; k < dirs.length; k++) {
                this.dirs[k] = params.single(dirs[k]);
            }
        }

        int vars() {
            return dirs.length;
        }
    }

    /** The output as affine functions, the pattern, and every unit's branch condition in order. */
    public record Result(Rational[][] output, String pattern, List<Constraint> constraints) {
    }

    private final int m;
    private final Target target;
    private final Chooser chooser;
    private final StringBuilder pattern = new StringBuilder();
    private final List<Constraint> constraints = new ArrayList<>();
    private Rational[][] v;
    private Shape shape;
    private String path = "";

    private AffineForward(int m, Target target, Chooser chooser) {
        this.m = m;
        this.target = target;
        this.chooser = chooser;
    }

    /**
     * Runs the model on an input given as affine functions ({@code Rational[n][m + 1]}); when
     * {@code target} is set, its layer's parameters are the m variables (the input must then be
     * constant).
     */
    public static Result run(Model model, Rational[][] input, int m, Target target, Chooser chooser) {
        if (target != null && target.vars() != m) {
            throw new IllegalArgumentException("the target has " + target.vars() + " variables, not " + m);
        }
        AffineForward f = new AffineForward(m, target, chooser);
        f.v = input;
        f.shape = model.input();
        f.all(model.layers(), "layers");
        return new Result(f.v, f.pattern.toString(), f.constraints);
    }

    /** A constant input x as affine functions of m variables. */
    public static Rational[][] constant(Rational[] x, int m) {
        Rational[][] out = new Rational[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = zero(m);
            out[i][0] = x[i];
        }
        return out;
    }

    /** The input as its own variables: x_i = u_i (m = n). */
    public static Rational[][] identity(int n) {
        Rational[][] out = new Rational[n][];
        for (int i = 0; i < n; i++) {
            out[i] = zero(n);
            out[i][i + 1] = Rational.ONE;
        }
        return out;
    }

    /** The value of an affine function at u. */
    public static Rational valueAt(Rational[] z, Rational[] u) {
        Rational s = z[0];
        for (int k = 1; k < z.length; k++) {
            if (!z[k].isZero()) {
                s = s.add(z[k].multiply(u[k - 1]));
            }
        }
        return s;
    }

    /** Branches at a point u0: positive iff z(u0) &gt; 0; the first maximum wins (as {@link ExactForward}). */
    public static Chooser atPoint(Rational[] u0) {
        return new Chooser() {
            @Override
            public boolean positive(Rational[] z) {
                return valueAt(z, u0).signum() > 0;
            }

            @Override
            public int argmax(Rational[][] c) {
                int best = 0;
                Rational bv = valueAt(c[0], u0);
                for (int i = 1; i < c.length; i++) {
                    Rational x = valueAt(c[i], u0);
                    if (x.compareTo(bv) > 0) {
                        best = i;
                        bv = x;
                    }
                }
                return best;
            }
        };
    }

    /**
     * Branches just to the right of t on a line (m = 1): the sign of z(t), and where z(t) = 0
     * the sign of its slope (an identically zero z takes the '0' branch); max pooling compares
     * (value, slope) lexicographically, the first maximum winning ties. These are the branches
     * on the whole open interval from t to the next breakpoint.
     */
    public static Chooser rightOf(Rational t) {
        return new Chooser() {
            @Override
            public boolean positive(Rational[] z) {
                int s = z[0].add(z[1].multiply(t)).signum();
                return s != 0 ? s > 0 : z[1].signum() > 0;
            }

            @Override
            public int argmax(Rational[][] c) {
                int best = 0;
                for (int i = 1; i < c.length; i++) {
                    int cmp = c[i][0].add(c[i][1].multiply(t)).compareTo(c[best][0].add(c[best][1].multiply(t)));
                    if (cmp > 0 || cmp == 0 && c[i][1].compareTo(c[best][1]) > 0) {
                        best = i;
                    }
                }
                return best;
            }
        };
    }

    // ------------------------------------------------------------------ affine helpers

    private static boolean isZero(Rational[] a) {
        for (Rational q : a) {
            if (!q.isZero()) {
                return false;
            }
        }
        return true;
    }

    private static Rational[] zero(int m) {
        Rational[] z = new Rational[m + 1];
        Arrays.fill(z, Rational.ZERO);
        return z;
    }

    private static Rational[] scaled(Rational[] a, Rational c) {
        Rational[] r = new Rational[a.length];
        for (int k = 0; k < a.length; k++) {
            r[k] = a[k].multiply(c);
        }
        return r;
    }

    /** acc += c·a, in place. */
    private static void addScaled(Rational[] acc, Rational[] a, Rational c) {
        if (c.isZero()) {
            return;
        }
        for (int k = 0; k < a.length; k++) {
            if (!a[k].isZero()) {
                acc[k] = acc[k].add(a[k].multiply(c));
            }
        }
    }

    private static Rational[] minus(Rational[] a, Rational[] b) {
        Rational[] r = new Rational[a.length];
        for (int k = 0; k < a.length; k++) {
            r[k] = a[k].subtract(b[k]);
        }
        return r;
    }

    private boolean isConstant() {
        for (Rational[] z : v) {
            for (int k = 1; k < z.length; k++) {
                if (!z[k].isZero()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Rational[] constants() {
        Rational[] x = new Rational[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = v[i][0];
        }
        return x;
    }

    // ------------------------------------------------------------------ the interpreter

    private void all(List<Layer> ls, String prefix) {
        for (int i = 0; i < ls.size(); i++) {
            String saved = path;
            path = prefix + "[" + i + "]";
            Layer l = ls.get(i);
            if (target != null && path.equals(target.path)) {
                applyTarget();
            } else {
                l.accept(this);
            }
            path = saved;
        }
    }

    private void applyTarget() {
        if (!isConstant()) {
            throw new IllegalStateException("the input of the varying layer " + path + " is not constant");
        }
        Rational[] x = constants();
        Rational[] y0 = ExactForward.eval(target.base, x);
        Rational[][] out = new Rational[y0.length][m + 1];
        for (int i = 0; i < y0.length; i++) {
            out[i][0] = y0[i];
        }
        for (int k = 0; k < m; k++) {
            Rational[] yk = ExactForward.eval(target.dirs[k], x);
            for (int i = 0; i < yk.length; i++) {
                out[i][k + 1] = yk[i];
            }
        }
        v = out;
        shape = target.base.output();
    }

    @Override
    public Void visit(Layer.Dense l) {
        int out = l.out();
        int in = l.in();
        Tensor w = l.weight();
        Tensor b = l.bias();
        Rational[][] y = new Rational[out][];
        for (int i = 0; i < out; i++) {
            Rational[] s = zero(m);
            if (b != null) {
                s[0] = b.rational(i);
            }
            for (int j = 0; j < in; j++) {
                addScaled(s, v[j], w.rational(i * in + j));
            }
            y[i] = s;
        }
        v = y;
        shape = Shape.of(out);
        return null;
    }

    @Override
    public Void visit(Layer.AbRelu l) {
        Rational neg = l.neg().rational();
        Rational pos = l.pos().rational();
        Rational[][] y = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            boolean p = chooser.positive(v[i]);
            pattern.append(p ? '1' : '0');
            constraints.add(new Constraint(p ? v[i] : scaled(v[i], Rational.MINUS_ONE), p, path, i));
            y[i] = scaled(v[i], p ? pos : neg);
        }
        v = y;
        return null;
    }

    /**
     * hardtanh: two units per value, z &gt; min ('1', strict; '0': min − z ≥ 0) and z ≥ max ('1',
     * non-strict; '0': max − z &gt; 0), so that a point on a kink takes PyTorch's branch: slope 0 at
     * z = min and at z = max ({@link Layer.HardTanh#passes}); a unit identically equal to max takes
     * '0' (the same value and map). Pattern: two characters per unit.
     */
    @Override
    public Void visit(Layer.HardTanh l) {
        Rational[][] y = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            Rational[] lo = v[i].clone();
            lo[0] = lo[0].subtract(l.min());
            Rational[] hi = v[i].clone();
            hi[0] = hi[0].subtract(l.max());
            Rational[] belowMax = scaled(hi, Rational.MINUS_ONE);
            boolean a = chooser.positive(lo);
            // a unit identically at max (z − max ≡ 0) takes '0': both branches give the same value and map,
            // and "identically zero, '1'" is the pattern no engine or checker accepts
            boolean b = !isZero(hi) && !chooser.positive(belowMax);
            pattern.append(a ? '1' : '0').append(b ? '1' : '0');
            constraints.add(new Constraint(a ? lo : scaled(lo, Rational.MINUS_ONE), a, path, i));
            constraints.add(new Constraint(b ? hi : belowMax, !b, path, i));
            if (b || !a) {
                y[i] = zero(m);
                y[i][0] = b ? l.max() : l.min();
            } else {
                y[i] = v[i];
            }
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Identity l) {
        return null;
    }

    @Override
    public Void visit(Layer.Square l) {
        if (!isConstant()) {
            throw SymbolicError.NOT_PIECEWISE_LINEAR.at(path, "square is not piecewise affine; exact loss cells and local "
                    + "maps need piecewise-linear ops after the varying layer");
        }
        Rational[][] y = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            y[i] = zero(m);
            y[i][0] = v[i][0].multiply(v[i][0]);
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Smooth l) {
        if (!isConstant()) {
            throw SymbolicError.NOT_PIECEWISE_LINEAR.at(path, l.op() + " is not piecewise affine; exact loss cells and local "
                    + "maps need piecewise-linear ops");
        }
        throw SymbolicError.NOT_EXACT.at(path, l.op() + " has no exact rational values");
    }

    @Override
    public Void visit(Layer.Residual l) {
        Rational[][] x = v;
        Shape s = shape;
        String here = path;
        all(l.layers(), here + ".layers");
        Rational[][] body = v;
        v = x;
        shape = s;
        if (l.shortcut() != null) {
            all(l.shortcut(), here + ".shortcut");
        }
        Rational[][] y = new Rational[body.length][];
        for (int i = 0; i < y.length; i++) {
            y[i] = body[i].clone();
            addScaled(y[i], v[i], Rational.ONE);
        }
        v = y;
        return null;
    }

    @Override
    public Void visit(Layer.Concat l) {
        Rational[][] x = v;
        Shape s = shape;
        all(l.layers(), path + ".layers");
        Rational[][] y = new Rational[x.length + v.length][];
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
        Rational eps = l.eps().rational();
        Rational[][] y = new Rational[v.length][];
        for (int ch = 0; ch < c; ch++) {
            Rational var = l.var().rational(ch).add(eps);
            Rational sd = var.sqrtExact();
            if (sd == null || sd.isZero()) {
                throw SymbolicError.NOT_EXACT.at(path, "batchnorm channel " + ch + ": √(var + eps) = √(" + var
                        + ") is not a positive rational, so the exact engine cannot use it");
            }
            Rational g = (l.weight() == null ? Rational.ONE : l.weight().rational(ch)).divide(sd);
            Rational mean = l.mean().rational(ch);
            Rational b = l.bias() == null ? Rational.ZERO : l.bias().rational(ch);
            Rational shift = b.subtract(g.multiply(mean));
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                y[i] = scaled(v[i], g);
                y[i][0] = y[i][0].add(shift);
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
        Tensor wt = l.weight();
        Rational[][] y = new Rational[taps.length][];
        for (int o = 0; o < taps.length; o++) {
            Rational[] s = zero(m);
            s[0] = l.bias() == null ? Rational.ZERO : l.bias().rational(o / per);
            for (int[] t : taps[o]) {
                addScaled(s, v[t[0]], wt.rational(t[1]));
            }
            y[o] = s;
        }
        v = y;
        shape = out;
        return null;
    }

    private void pool(Layer.Hw k, Layer.Hw st, boolean max) {
        int[][] windows = LayerIndex.windows(k, st, shape);
        Rational inv = Rational.of(1, k.h() * (long) k.w());
        Rational[][] y = new Rational[windows.length][];
        for (int out = 0; out < windows.length; out++) {
            Rational[][] cand = new Rational[windows[out].length][];
            for (int e = 0; e < cand.length; e++) {
                cand[e] = v[windows[out][e]];
            }
            if (max) {
                y[out] = winner(cand, out);
            } else {
                Rational[] s = zero(m);
                for (Rational[] z : cand) {
                    addScaled(s, z, inv);
                }
                y[out] = s;
            }
        }
        v = y;
        shape = LayerIndex.poolOut(k, st, shape);
    }

    /** The chosen maximum of a window's candidates, with its constraints (the first maximum wins ties). */
    private Rational[] winner(Rational[][] cand, int out) {
        int win = chooser.argmax(cand);
        pattern.append(Character.forDigit(win, 36));
        for (int o = 0; o < cand.length; o++) {
            if (o != win) {
                constraints.add(new Constraint(minus(cand[win], cand[o]), o < win, path, out));
            }
        }
        return cand[win].clone();
    }

    /** Maxout: a max over each group of k consecutive values, as a max-pool window. */
    @Override
    public Void visit(Layer.Maxout l) {
        int[][] groups = LayerIndex.groups(v.length, l.k());
        Rational[][] y = new Rational[groups.length][];
        for (int out = 0; out < groups.length; out++) {
            Rational[][] cand = new Rational[groups[out].length][];
            for (int e = 0; e < cand.length; e++) {
                cand[e] = v[groups[out][e]];
            }
            y[out] = winner(cand, out);
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
        shape = Shape.of(v.length);
        return null;
    }
}
