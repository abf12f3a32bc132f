package org.netgeom.symbolic.poly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An open polytope of Q^k given by strict constraints f_i &gt; 0 and a rational point strictly
 * inside (for inputs of many dimensions, where vertices would be too many). Splitting by g
 * keeps the witness on its own side (one exact sign) and decides the other side by an exact
 * LP ({@link ExactLp#maxMargin}): a new witness, or a checked Farkas certificate of emptiness.
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
        stats.lpCalls++;
        ExactLp.Margin m = ExactLp.maxMargin(c, strict);
        if (!m.feasible()) {
            stats.farkasProofs++;       // maxMargin checked the certificate exactly
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
