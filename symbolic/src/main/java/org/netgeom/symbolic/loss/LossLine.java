package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The loss along a line θ(t) = θ0 + t·d in the parameters of one layer L, exactly: with the data
 * fixed, each data point's output is affine in t between consecutive changes of that point's
 * activation pattern, so the squared loss is a quadratic in t on each piece (Riedi, Balestriero
 * &amp; Baraniuk 2022, piecewise-quadratic loss surfaces).
 *
 * <p>Each data point is walked on its own from T0: {@link AffineForward} with the branches just
 * right of the current t gives the point's pre-activations as affine functions of t, valid up to
 * the smallest root t* &gt; t of any of them (where some unit's sign changes); t* is the next
 * breakpoint of that point and the walk restarts there. The breakpoints of the loss are the
 * union over the data; on each piece between them the loss is Σ_i s·Σ_j (a_ij + b_ij t − y_ij)²,
 * s = 1/(N·k) (mse) or 1 (sse).
 */
public final class LossLine {
    private LossLine() {
    }

    /** One piece: on [t0, t1] the loss is Σ coeffs[i]·tⁱ; {@code pattern} is every point's pattern joined by '|'. */
    public record Piece(Rational t0, Rational t1, String pattern, Rational[] coeffs) {
        /** The polynomial's value at t. */
        public Rational valueAt(Rational t) {
            Rational s = Rational.ZERO;
            for (int i = coeffs.length - 1; i >= 0; i--) {
                s = s.multiply(t).add(coeffs[i]);
            }
            return s;
        }
    }

    /** The pieces in order (they tile [T0, T1]) and the breakpoints strictly inside (T0, T1), increasing. */
    public record Result(List<Piece> pieces, List<Rational> breakpoints) {
    }

    /** One data point's piece: its pattern and outputs a_j + b_j t on [start, end]. */
    private record Local(Rational start, Rational end, String pattern, Rational[][] out) {
    }

    /**
     * The loss of {@code model} (no free symbols) along θ0 + t·d for t in [t0, t1], where θ0 are
     * layer {@code params}' current parameters and d is a direction in θ's order.
     */
    public static Result compute(Model model, LayerParams params, Rational[] d, DataSet data, LossKind loss,
                                 Rational t0, Rational t1, Progress progress) {
        if (t0.compareTo(t1) >= 0) {
            throw IrError.BAD_INPUT.at("--range", "the range needs T0 < T1, not " + t0 + ", " + t1);
        }
        if (d.length != params.size()) {
            throw SymbolicError.BAD_DIRECTION.error("the direction has " + d.length + " entries, layer " + params.path()
                    + " has " + params.size() + " parameters");
        }
        LossKind.requireFits(data, model);
        Rational[] theta0 = params.values();
        AffineForward.Target target = new AffineForward.Target(params, theta0, new Rational[][]{d});
        int n = data.size();
        List<List<Local>> walks = new ArrayList<>(n);
        TreeSet<Rational> breaks = new TreeSet<>();
        progress.start("loss along the line", n);
        try {
            for (int i = 0; i < n; i++) {
                List<Local> w = walk(model, target, data.x(i), t0, t1);
                walks.add(w);
                for (int k = 1; k < w.size(); k++) {
                    breaks.add(w.get(k).start());
                }
                progress.step(1);
            }
        } finally {
            progress.done();
        }
        Rational scale = loss.scale(data);
        List<Rational> bps = new ArrayList<>(breaks);
        // running sums: each point's contribution changes only at its own breakpoints
        java.util.Map<Rational, List<Integer>> changes = new java.util.HashMap<>();
        Rational[] sum = {Rational.ZERO, Rational.ZERO, Rational.ZERO};
        int[] at = new int[n];
        for (int i = 0; i < n; i++) {
            List<Local> w = walks.get(i);
            for (int k = 1; k < w.size(); k++) {
                changes.computeIfAbsent(w.get(k).start(), z -> new ArrayList<>()).add(i);
            }
            add(sum, contribution(w.get(0), data.y(i)), 1);
        }
        List<Piece> pieces = new ArrayList<>();
        Rational a = t0;
        for (int p = 0; p <= bps.size(); p++) {
            if (p > 0) {
                for (int i : changes.get(a)) {
                    List<Local> w = walks.get(i);
                    add(sum, contribution(w.get(at[i]), data.y(i)), -1);
                    at[i]++;
                    add(sum, contribution(w.get(at[i]), data.y(i)), 1);
                }
            }
            Rational b = p < bps.size() ? bps.get(p) : t1;
            StringBuilder pat = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pat.append(i > 0 ? "|" : "").append(walks.get(i).get(at[i]).pattern());
            }
            Rational[] c = new Rational[3];
            for (int k = 0; k < 3; k++) {
                c[k] = sum[k].multiply(scale);
            }
            pieces.add(new Piece(a, b, pat.toString(), c));
            a = b;
        }
        return new Result(pieces, bps);
    }

    /** Σ_j (a_j + b_j t − y_j)² as coefficients (c0, c1, c2). */
    private static Rational[] contribution(Local loc, Rational[] y) {
        Rational[] c = {Rational.ZERO, Rational.ZERO, Rational.ZERO};
        for (int j = 0; j < y.length; j++) {
            Rational r = loc.out()[j][0].subtract(y[j]);
            Rational s = loc.out()[j][1];
            c[0] = c[0].add(r.multiply(r));
            c[1] = c[1].add(r.multiply(s).multiply(2));
            c[2] = c[2].add(s.multiply(s));
        }
        return c;
    }

    private static void add(Rational[] acc, Rational[] c, int sign) {
        for (int k = 0; k < 3; k++) {
            acc[k] = sign > 0 ? acc[k].add(c[k]) : acc[k].subtract(c[k]);
        }
    }

    /** One data point's pieces along the line, from t0 to t1. */
    private static List<Local> walk(Model model, AffineForward.Target target, Rational[] x, Rational t0, Rational t1) {
        List<Local> out = new ArrayList<>();
        Rational t = t0;
        Rational[][] in = AffineForward.constant(x, 1);
        String last = null;
        while (t.compareTo(t1) < 0) {
            AffineForward.Result r = AffineForward.run(model, in, 1, target, AffineForward.rightOf(t));
            Rational next = t1;
            for (AffineForward.Constraint c : r.constraints()) {
                Rational slope = c.g()[1];
                if (slope.isZero()) {
                    continue;
                }
                Rational root = c.g()[0].negate().divide(slope);
                if (root.compareTo(t) > 0 && root.compareTo(next) < 0) {
                    next = root;
                }
            }
            if (r.pattern().equals(last)) {
                throw new IllegalStateException("the pattern did not change at the breakpoint " + t);
            }
            out.add(new Local(t, next, r.pattern(), r.output()));
            last = r.pattern();
            t = next;
        }
        return out;
    }
}
