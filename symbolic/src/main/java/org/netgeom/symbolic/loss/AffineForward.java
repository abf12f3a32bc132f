package org.netgeom.symbolic.loss;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
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
 *
 * <p>A domain of the {@link Interpreter}: a value is a layer's units as affine forms; the varying
 * layer (dense, conv2d or batchnorm) is recognised by its path in {@link #linear} and
 * {@link #normalise}.
 */
public final class AffineForward implements Domain<Rational[][]> {

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
        Rational[][] out = Interpreter.of(model).run(f, input);
        return new Result(out, f.pattern.toString(), f.constraints);
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

    private static boolean isConstant(Rational[][] v) {
        for (Rational[] z : v) {
            for (int k = 1; k < z.length; k++) {
                if (!z[k].isZero()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Rational[] constants(Rational[][] v) {
        Rational[] x = new Rational[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = v[i][0];
        }
        return x;
    }

    // ------------------------------------------------------------------ the domain

    /** The current layer's path, for the constraints, the errors and the varying layer. */
    @Override
    public void enter(Layer l, String path) {
        this.path = path;
    }

    @Override
    public int size(Rational[][] x) {
        return x.length;
    }

    private boolean isTarget() {
        return target != null && path.equals(target.path);
    }

    /** The varying layer's output: F(base)(x) + Σ_k u_k F(dirs[k])(x) at its constant input x. */
    private Rational[][] applyTarget(Rational[][] v) {
        if (!isConstant(v)) {
            throw new IllegalStateException("the input of the varying layer " + path + " is not constant");
        }
        Rational[] x = constants(v);
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
        return out;
    }

    /** Dense, conv2d and avgpool2d: {@code b_o + Σ_k w_ok·v[cols_k]}, accumulated in place. */
    @Override
    public Rational[][] linear(Linear a, Rational[][] v) {
        if (isTarget()) {
            return applyTarget(v);
        }
        Rational[][] y = new Rational[a.out()][];
        for (int o = 0; o < y.length; o++) {
            Rational[] s = zero(m);
            s[0] = a.biasRational(o);
            int[] cols = a.cols(o);
            for (int k = 0; k < cols.length; k++) {
                addScaled(s, v[cols[k]], a.weightRational(o, k));
            }
            y[o] = s;
        }
        return y;
    }

    @Override
    public Rational[][] twoSlope(Layer.AbRelu l, Rational[][] v) {
        Rational neg = l.neg().rational();
        Rational pos = l.pos().rational();
        Rational[][] y = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            boolean p = chooser.positive(v[i]);
            pattern.append(p ? '1' : '0');
            constraints.add(new Constraint(p ? v[i] : scaled(v[i], Rational.MINUS_ONE), p, path, i));
            y[i] = scaled(v[i], p ? pos : neg);
        }
        return y;
    }

    /**
     * hardtanh: two units per value, z &gt; min ('1', strict; '0': min − z ≥ 0) and z ≥ max ('1',
     * non-strict; '0': max − z &gt; 0), so that a point on a kink takes PyTorch's branch: slope 0 at
     * z = min and at z = max ({@link Layer.HardTanh#passes}); a unit identically equal to max takes
     * '0' (the same value and map). Pattern: two characters per unit.
     */
    @Override
    public Rational[][] clamp(Layer.HardTanh l, Rational[][] v) {
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
        return y;
    }

    @Override
    public Rational[][] square(Layer.Square l, Rational[][] v) {
        if (!isConstant(v)) {
            throw SymbolicError.NOT_PIECEWISE_LINEAR.at(path, "square is not piecewise affine; exact loss cells and local "
                    + "maps need piecewise-linear ops after the varying layer");
        }
        Rational[][] y = new Rational[v.length][];
        for (int i = 0; i < v.length; i++) {
            y[i] = zero(m);
            y[i][0] = v[i][0].multiply(v[i][0]);
        }
        return y;
    }

    @Override
    public Rational[][] smooth(Layer.Smooth l, Rational[][] v) {
        if (!isConstant(v)) {
            throw SymbolicError.NOT_PIECEWISE_LINEAR.at(path, l.op() + " is not piecewise affine; exact loss cells and local "
                    + "maps need piecewise-linear ops");
        }
        throw SymbolicError.NOT_EXACT.at(path, l.op() + " has no exact rational values");
    }

    @Override
    public Rational[][] add(Rational[][] body, Rational[][] shortcut) {
        Rational[][] y = new Rational[body.length][];
        for (int i = 0; i < y.length; i++) {
            y[i] = body[i].clone();
            addScaled(y[i], shortcut[i], Rational.ONE);
        }
        return y;
    }

    @Override
    public Rational[][] concat(Rational[][] a, Rational[][] b) {
        Rational[][] y = new Rational[a.length + b.length][];
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }

    @Override
    public Rational[][] normalise(Layer.BatchNorm l, int per, Rational[][] v) {
        if (isTarget()) {
            return applyTarget(v);
        }
        int c = l.features();
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
        return y;
    }

    /**
     * Max pooling and maxout: each window's chosen maximum, with its constraints against the other
     * entries (strict against earlier ones: the first maximum wins ties).
     */
    @Override
    public Rational[][] windowMax(Layer l, int[][] windows, Rational[][] v) {
        Rational[][] y = new Rational[windows.length][];
        for (int out = 0; out < windows.length; out++) {
            Rational[][] cand = new Rational[windows[out].length][];
            for (int e = 0; e < cand.length; e++) {
                cand[e] = v[windows[out][e]];
            }
            int win = chooser.argmax(cand);
            pattern.append(Character.forDigit(win, 36));
            for (int o = 0; o < cand.length; o++) {
                if (o != win) {
                    constraints.add(new Constraint(minus(cand[win], cand[o]), o < win, path, out));
                }
            }
            y[out] = cand[win].clone();
        }
        return y;
    }
}
