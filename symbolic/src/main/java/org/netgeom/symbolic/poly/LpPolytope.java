package org.netgeom.symbolic.poly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An open polytope of Q^k given by strict constraints f_i &gt; 0 and a rational point strictly
 * inside (for inputs of many dimensions, where vertices would be too many). Splitting by g
 * keeps the witness on its own side (one exact sign) and decides the other side exactly: a float64
 * LP ({@link FloatLp}) proposes a witness (accepted only after an exact check of every
 * constraint) or the support of a Farkas certificate (accepted only after {@link Farkas#proves});
 * when neither checks, the exact simplex ({@link ExactLp#maxMargin}) decides.
 */
final class LpPolytope implements Polytope {
    private final List<Form> cons;
    private final Point w;

    LpPolytope(List<Form> cons, Point w) {
        this.cons = cons;
        this.w = w;
    }

    @Override
    public Polytope[] split(Form g, int label, Stats stats) {
        int s = g.signAt(w);
        Polytope[] out = new Polytope[2];
        Form gn = g.negate();
        if (s > 0) {
            out[1] = with(g, w);
            out[0] = solve(gn, stats);
        } else if (s < 0) {
            out[0] = with(gn, w);
            out[1] = solve(g, stats);
        } else {
            out[0] = solve(gn, stats);
            out[1] = solve(g, stats);
        }
        if (out[0] != null && out[1] != null) {
            stats.splits++;
        }
        return out;
    }

    private LpPolytope with(Form f, Point p) {
        List<Form> c = new ArrayList<>(cons.size() + 1);
        c.addAll(cons);
        c.add(f);
        return new LpPolytope(c, p);
    }

    private LpPolytope solve(Form f, Stats stats) {
        List<Form> c = new ArrayList<>(cons.size() + 1);
        c.addAll(cons);
        c.add(f);
        boolean[] strict = new boolean[c.size()];
        Arrays.fill(strict, true);
        // a float64 LP proposes; only exact checks accept (a witness, or a Farkas certificate)
        stats.lpCalls++;
        ExactLp.Margin m = ExactLp.decide(c, strict);
        if (m.simplex()) {
            stats.exactSimplex++;
        }
        if (!m.feasible()) {
            stats.farkasProofs++;       // the certificate was checked exactly
            return null;
        }
        return new LpPolytope(c, new Point(m.point()));
    }

    @Override
    public Point witness(boolean nice) {
        return w;
    }

    @Override
    public List<Point> vertices() {
        return null;
    }

    @Override
    public List<Cell.Facet> facets() {
        return null;
    }

    @Override
    public List<Form> constraints() {
        return cons;
    }
}
