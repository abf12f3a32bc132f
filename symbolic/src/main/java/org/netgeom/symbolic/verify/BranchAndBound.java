package org.netgeom.symbolic.verify;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.DualLp;
import org.netgeom.symbolic.poly.ExactLp;
import org.netgeom.symbolic.poly.Form;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * The exact maximum of a linear form c·f(x) of a piecewise-linear network over a polytope D, by
 * branch and bound on its unstable units (as in Bunel et al. 2018/2020, "Branch and bound for
 * piecewise linear neural network verification", with ReLU splitting): a node fixes the phases of
 * some units; its set is D ∩ {x : the fixed units have their phase}; a sound relaxation
 * ({@link Relaxation}, CROWN by default) bounds c·f above on it and decides the phase of the units
 * whose pre-activation interval does not straddle 0; a node whose bound is at most the incumbent
 * (the best exact value found) is pruned; a node whose units are all decided is a leaf, where f is
 * affine and max c·f is an exact LP ({@link DualLp}, its dual checked exactly); otherwise the
 * unstable unit with the largest share of the bound (its relaxation's intercept; the
 * "intercept" score of BaBSR, Bunel et al. 2020) is split. Best-first order. The answer is exact:
 * every leaf LP is proven by its dual, every pruned node by a sound bound, and the witness is
 * re-evaluated by {@link ExactForward}.
 */
public final class BranchAndBound {
    /**
     * Limits: method of the bounds, the most nodes, a deadline (System.nanoTime, 0 none), and the
     * most input splits on a path from the root (0: units only).
     */
    public record Limits(Relaxation.Method method, long maxNodes, long deadline, int inputSplits) {
        public Limits(Relaxation.Method method, long maxNodes, long deadline) {
            this(method, maxNodes, deadline, 0);
        }

        public static Limits defaults() {
            return new Limits(Relaxation.Method.CROWN, 2_000_000, 0);
        }

        public Limits withInputSplits(int k) {
            return new Limits(method, maxNodes, deadline, k);
        }
    }

    /**
     * The outcome of a maximisation: {@code complete} when the search finished (then
     * {@code value} is the exact maximum), else {@code value} is the best exact value found (or
     * null) and {@code upper} a sound upper bound on the maximum.
     */
    public record Result(boolean complete, Rational value, Rational[] argmax, Rational upper, long nodes, long leaves,
                         Tree tree) {
    }

    /** A node of the certificate tree. */
    public static final class Tree {
        /** The unit split to reach this node and its phase (−1 at the root and for an input split). */
        public final int unit;
        public final int phase;
        /** An input split: the input, the side (0: x ≤ at, 1: x > at) and the point (input −1 otherwise). */
        public int input = -1;
        public int side = -1;
        public Rational at;
        /** "branch", "pruned" (bound ≤ the maximum), "empty" (the relaxation proves the set empty), "leaf", "open". */
        public String status;
        /** The relaxation's upper bound (exact value of the double), null for "empty". */
        public Rational bound;
        public final List<Tree> children = new ArrayList<>();
        /** Leaves: the LP's status, value, point and dual (nonzero entries: constraint index, multiplier). */
        public DualLp.Result lp;
        public List<Form> constraints;
        /** "empty" nodes found by the LP: the Farkas certificate (null when the relaxation proved it). */
        public org.netgeom.symbolic.poly.Farkas farkas;

        Tree(int unit, int phase) {
            this.unit = unit;
            this.phase = phase;
        }
    }

    private final Model model;
    private final Graph g;
    private final Domain domain;
    /** The objective min_i (rows[i]·f(x) + offsets[i]); c is rows[0] when there is one row. */
    private final Rational[][] rows;
    private final Rational[] offsets;
    /** The rows whose CROWN bounds bound the objective: the rows, and their mean when there are several. */
    private final Rational[][] boundRows;
    private final Rational[] boundOffsets;
    /** Decision mode: stop at a point with objective ≥ target, prune nodes whose bound is below it (null: maximise). */
    private final Rational target;
    /** The largest bound of a node pruned below the target (decision mode). */
    private Rational prunedMax;
    private final Limits limits;
    private final double[] boxLo;
    private final double[] boxHi;
    private final Rational[] rLo;
    private final Rational[] rHi;
    private Rational best;
    private Rational[] arg;
    private long nodes;
    private long leaves;
    /** Nodes the cheap first bound was tried on, and those it pruned. */
    private long cheapTried;
    private long cheapPruned;
    private LongConsumer progress;

    private BranchAndBound(Model model, Graph g, Domain domain, Rational[][] rows, Rational[] offsets, Rational target,
                           Limits limits) {
        this.model = model;
        this.g = g;
        this.domain = domain;
        this.rows = rows;
        this.offsets = offsets;
        this.target = target;
        if (rows.length == 1) {
            boundRows = rows;
            boundOffsets = offsets;
        } else {
            boundRows = Arrays.copyOf(rows, rows.length + 1);
            boundOffsets = Arrays.copyOf(offsets, rows.length + 1);
            Rational w = Rational.of(1, rows.length);
            Rational[] mean = new Rational[g.outputs()];
            Arrays.fill(mean, Rational.ZERO);
            Rational off = Rational.ZERO;
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = mean[j].add(rows[i][j].multiply(w));
                }
                off = off.add(offsets[i].multiply(w));
            }
            boundRows[rows.length] = mean;
            boundOffsets[rows.length] = off;
        }
        this.limits = limits;
        this.rLo = domain.lower();
        this.rHi = domain.upper();
        this.boxLo = new double[rLo.length];
        this.boxHi = new double[rHi.length];
        for (int j = 0; j < rLo.length; j++) {
            boxLo[j] = below(rLo[j]);
            boxHi[j] = above(rHi[j]);
        }
    }

    /** The largest double ≤ q. */
    static double below(Rational q) {
        double d = q.doubleValue();
        return Rational.fromDouble(d).compareTo(q) > 0 ? Math.nextDown(d) : d;
    }

    /** The smallest double ≥ q. */
    static double above(Rational q) {
        double d = q.doubleValue();
        return Rational.fromDouble(d).compareTo(q) < 0 ? Math.nextUp(d) : d;
    }

    /** max of c·f(x) over the domain. */
    public static Result maximize(Model model, Graph g, Domain domain, Rational[] c, Limits limits, LongConsumer progress) {
        BranchAndBound b = new BranchAndBound(model, g, domain, new Rational[][]{c}, new Rational[]{Rational.ZERO}, null, limits);
        b.progress = progress;
        return b.run();
    }

    /**
     * Decides whether h(x) = min_i (rows[i]·f(x) + offsets[i]) reaches {@code target} on the
     * domain (the margin of a conjunction of output constraints rows[i]·y + offsets[i] ≥ 0, with
     * target 0). The search stops at the first point x with h(x) ≥ target ({@code complete},
     * {@code value} = h(x) ≥ target, {@code argmax} = x: re-evaluated exactly), and prunes every
     * node whose sound bound is below the target; when no node is left ({@code complete},
     * {@code value} null or below the target) the maximum of h is at most {@code upper} &lt;
     * target. A node's bound is the least of the CROWN (or IBP) bounds of the rows and of their
     * mean (h ≤ each row, and h ≤ any convex combination of them). A leaf maximises t subject to
     * t ≤ rows[i]·f(x) + offsets[i] over its polytope: an exact LP in (x, t) with its dual checked.
     * With a limit, {@code complete} is false: {@code value} is the best h found, {@code upper} a
     * sound upper bound on max h.
     */
    public static Result decide(Model model, Graph g, Domain domain, Rational[][] rows, Rational[] offsets, Rational target,
                                Limits limits, LongConsumer progress) {
        if (rows.length == 0 || rows.length != offsets.length) {
            throw new IllegalArgumentException("decide needs as many offsets as rows, at least one");
        }
        BranchAndBound b = new BranchAndBound(model, g, domain, rows, offsets, target, limits);
        b.progress = progress;
        return b.run();
    }

    private record Open(Tree tree, int[] fix, List<Form> cons, List<Boolean> strict, Relaxation rel, double ub, double[] score, int[] vertex,
                        Rational[] lo, Rational[] hi, int inputDepth) {
    }

    /** A node's relaxation and bound; {@code parent} is its parent's relaxation (null at the root), whose bounds hold in it. */
    private Open node(Tree t, int[] fix, List<Form> cons, List<Boolean> strict, Rational[] lo, Rational[] hi, int inputDepth,
                      Relaxation parent) {
        double[] dl = boxLo;
        double[] dh = boxHi;
        if (lo != rLo || hi != rHi) {
            dl = new double[lo.length];
            dh = new double[hi.length];
            for (int j = 0; j < lo.length; j++) {
                dl[j] = below(lo[j]);
                dh[j] = above(hi[j]);
            }
        }
        // first a cheap bound (IBP and the parent's intervals, CROWN for the output only): a node it
        // prunes is pruned without the full CROWN relaxation, which is computed otherwise. It is tried
        // while it pays: always for the first 64 nodes, then while it has pruned at least one node in
        // five it was tried on (on deep nets it rarely prunes, and costs)
        Relaxation r = null;
        Bound b = null;
        if (limits.method() == Relaxation.Method.CROWN && (cheapTried < 64 || 5 * cheapPruned >= cheapTried)) {
            cheapTried++;
            Relaxation cheap = new Relaxation(g, limits.method(), dl, dh, fix, parent, false);
            if (cheap.infeasible()) {
                t.status = "empty";
                return null;
            }
            Bound cb = bound(cheap);
            if (prunable(cb.ub)) {
                cheapPruned++;
                r = cheap;
                b = cb;
            } else {
                parent = cheap;
            }
        }
        if (r == null) {
            r = new Relaxation(g, limits.method(), dl, dh, fix, parent, true);
            if (r.infeasible()) {
                t.status = "empty";
                return null;
            }
            b = bound(r);
        }
        double ub = b.ub;
        double[] score = b.score;
        int[] vertex = b.vertex;
        t.bound = Double.isFinite(ub) ? Rational.fromDouble(ub) : null;
        return new Open(t, fix, cons, strict, r, ub, score, vertex, lo, hi, inputDepth);
    }

    private record Bound(double ub, double[] score, int[] vertex) {
    }

    /** The node's bound: the least of the relaxation's bounds of the rows (and their mean), with that row's scores and vertex. */
    private Bound bound(Relaxation r) {
        double[] score = new double[g.units()];
        int[] vertex = new int[g.inputs()];
        double ub = Double.POSITIVE_INFINITY;
        for (int i = 0; i < boundRows.length; i++) {
            double[] sc = new double[g.units()];
            int[] vx = new int[g.inputs()];
            double u = r.objectiveUpper(boundRows[i], sc, vx);
            if (!boundOffsets[i].isZero() && Double.isFinite(u)) {
                u = above(Rational.fromDouble(u).add(boundOffsets[i]));
            }
            if (u < ub || i == 0) {
                ub = u;
                System.arraycopy(sc, 0, score, 0, sc.length);
                System.arraycopy(vx, 0, vertex, 0, vx.length);
            }
        }
        return new Bound(ub, score, vertex);
    }

    /** True when a node of this bound will be pruned: below the target, or at most the incumbent (which only grows). */
    private boolean prunable(double ub) {
        if (!Double.isFinite(ub)) {
            return false;
        }
        Rational u = Rational.fromDouble(ub);
        return target != null ? u.compareTo(target) < 0 : best != null && u.compareTo(best) <= 0;
    }

    private Result run() {
        int[] fix0 = new int[g.units()];
        Arrays.fill(fix0, -1);
        Tree root = new Tree(-1, -1);
        List<Boolean> strict0 = new ArrayList<>();
        for (int i = 0; i < domain.constraints().size(); i++) {
            strict0.add(true);
        }
        Open first = node(root, fix0, new ArrayList<>(domain.constraints()), strict0, rLo, rHi, 0, null);
        // starting incumbents: the centre of the bounding box, when inside D
        Rational[] centre = new Rational[rLo.length];
        for (int j = 0; j < centre.length; j++) {
            centre[j] = rLo[j].add(rHi[j]).divide(Rational.TWO);
        }
        candidate(centre);
        PriorityQueue<Open> queue = new PriorityQueue<>((a, b) -> Double.compare(b.ub, a.ub));
        if (first != null) {
            queue.add(first);
        }
        nodes = 1;
        while (!queue.isEmpty()) {
            if (reached()) {
                return stopReached(queue, root);
            }
            if ((limits.deadline() != 0 && System.nanoTime() > limits.deadline()) || nodes >= limits.maxNodes()) {
                Rational upper = null;
                boolean unbounded = false;
                for (Open o : queue) {
                    o.tree.status = "open";
                    if (!Double.isFinite(o.ub)) {
                        unbounded = true;
                        continue;
                    }
                    Rational u = Rational.fromDouble(o.ub);
                    upper = upper == null || u.compareTo(upper) > 0 ? u : upper;
                }
                if (best != null && (upper == null || best.compareTo(upper) > 0)) {
                    upper = best;
                }
                if (unbounded) {
                    upper = null;     // an open node without a finite bound: no upper bound is known
                }
                return new Result(false, best, arg, upper, nodes, leaves, root);
            }
            Open o = queue.poll();
            if (target != null && Double.isFinite(o.ub) && Rational.fromDouble(o.ub).compareTo(target) < 0) {
                Rational u = Rational.fromDouble(o.ub);
                prunedMax = prunedMax == null || u.compareTo(prunedMax) > 0 ? u : prunedMax;
                o.tree.status = "pruned";
                for (Open rest : queue) {
                    rest.tree.status = "pruned";
                }
                queue.clear();
                break;
            }
            if (target == null && best != null && Rational.fromDouble(o.ub).compareTo(best) <= 0) {
                o.tree.status = "pruned";
                for (Open rest : queue) {
                    rest.tree.status = "pruned";
                }
                queue.clear();
                break;
            }
            int u = pick(o);
            if (u < 0) {
                leaf(o);
                continue;
            }
            // a guess: the vertex of the node's box that maximises the linear bound
            Rational[] v = new Rational[rLo.length];
            for (int j = 0; j < v.length; j++) {
                v[j] = o.vertex[j] == 1 ? o.hi[j] : o.lo[j];
            }
            candidate(v);
            o.tree.status = "branch";
            if (o.inputDepth < limits.inputSplits()) {
                splitInput(o, queue);
                if (progress != null) {
                    progress.accept(nodes);
                }
                continue;
            }
            // the unit's pre-activation is affine on the node's polytope (all earlier units are decided)
            int opIndex = g.unit(u).op();
            int[] phase = new int[g.units()];
            for (int k = 0; k < phase.length; k++) {
                phase[k] = o.rel.phase(k);
            }
            ExactPattern ep = new ExactPattern(g, phase, new boolean[g.units()], opIndex);
            Graph.Op op = g.ops().get(opIndex);
            int n = g.inputs();
            for (int p = 0; p < g.choices(u); p++) {
                int[] fix = o.fix.clone();
                fix[u] = p;
                Tree t = new Tree(u, p);
                o.tree.children.add(t);
                nodes++;
                List<Form> cons = new ArrayList<>(o.cons);
                List<Boolean> st = new ArrayList<>(o.strict);
                // the children cover the node: phase 1 is z > 0, phase 0 is z <= 0; the winner of a window
                // is its first maximum (z_e > z_f before it, z_e >= z_f after it), as ExactForward decides
                if (op instanceof Graph.Act a) {
                    cons.add(ExactPattern.form(ep.buf[a.src()][g.unit(u).row()], p == 1 ? Rational.ONE : Rational.MINUS_ONE, n));
                    st.add(p == 1);
                } else {
                    Graph.Max mx = (Graph.Max) op;
                    int[] w = mx.windows()[g.unit(u).row()];
                    Rational[][] src = ep.buf[mx.src()];
                    for (int e = 0; e < w.length; e++) {
                        if (e != p) {
                            Rational[] d = new Rational[n + 1];
                            for (int j = 0; j <= n; j++) {
                                d[j] = src[w[p]][j].subtract(src[w[e]][j]);
                            }
                            cons.add(ExactPattern.form(d, Rational.ONE, n));
                            st.add(e < p);
                        }
                    }
                }
                if (provenEmpty(t, cons, st)) {
                    continue;
                }
                Open child = node(t, fix, cons, st, o.lo, o.hi, o.inputDepth, o.rel);
                if (child != null) {
                    queue.add(child);
                }
            }
            if (progress != null) {
                progress.accept(nodes);
            }
        }
        if (reached()) {
            return stopReached(queue, root);
        }
        Rational upper = best;
        if (prunedMax != null && (upper == null || prunedMax.compareTo(upper) > 0)) {
            upper = prunedMax;
        }
        return new Result(true, best, arg, upper, nodes, leaves, root);
    }

    /** Decision mode: a point reaching the target is known. */
    private boolean reached() {
        return target != null && best != null && best.compareTo(target) >= 0;
    }

    /** The result when the target is reached: the open nodes stay "open", upper bounds max h soundly. */
    private Result stopReached(PriorityQueue<Open> queue, Tree root) {
        Rational upper = best;
        for (Open o : queue) {
            o.tree.status = "open";
            Rational u = Double.isFinite(o.ub) ? Rational.fromDouble(o.ub) : null;
            if (u == null) {
                upper = null;
                break;
            }
            upper = u.compareTo(upper) > 0 ? u : upper;
        }
        return new Result(true, best, arg, upper, nodes, leaves, root);
    }

    /**
     * Splits the node's box at the midpoint of its widest input relative to the domain's box (the
     * first such): x_j ≤ m (low) and x_j > m (high) cover the node; each child's relaxation runs on
     * its half box (ReluVal-style bisection, Wang et al. 2018).
     */
    private void splitInput(Open o, PriorityQueue<Open> queue) {
        int n = g.inputs();
        int j = 0;
        Rational widest = null;
        for (int k = 0; k < n; k++) {
            Rational full = rHi[k].subtract(rLo[k]);
            Rational w = full.isZero() ? Rational.ZERO : o.hi[k].subtract(o.lo[k]).divide(full);
            if (widest == null || w.compareTo(widest) > 0) {
                widest = w;
                j = k;
            }
        }
        Rational mid = o.lo[j].add(o.hi[j]).divide(Rational.TWO);
        for (int side = 0; side < 2; side++) {
            Tree t = new Tree(-1, -1);
            t.input = j;
            t.side = side;
            t.at = mid;
            o.tree.children.add(t);
            nodes++;
            Rational[] a = new Rational[n];
            Arrays.fill(a, Rational.ZERO);
            a[j] = side == 0 ? Rational.MINUS_ONE : Rational.ONE;
            List<Form> cons = new ArrayList<>(o.cons);
            List<Boolean> st = new ArrayList<>(o.strict);
            cons.add(Form.of(a, side == 0 ? mid : mid.negate()));       // low: m − x_j ≥ 0; high: x_j − m > 0
            st.add(side == 1);
            if (provenEmpty(t, cons, st)) {
                continue;
            }
            Rational[] lo = o.lo.clone();
            Rational[] hi = o.hi.clone();
            if (side == 0) {
                hi[j] = mid;
            } else {
                lo[j] = mid;
            }
            Open child = node(t, o.fix.clone(), cons, st, lo, hi, o.inputDepth + 1, o.rel);
            if (child != null) {
                queue.add(child);
            }
        }
    }

    /**
     * Decides a child's constraints by exact LP; an empty child is marked so in its tree node with
     * the Farkas certificate that proves it (and is not searched).
     */
    private static boolean provenEmpty(Tree t, List<Form> cons, List<Boolean> st) {
        boolean[] strict = new boolean[cons.size()];
        for (int i = 0; i < strict.length; i++) {
            strict[i] = st.get(i);
        }
        ExactLp.Margin mg = ExactLp.decide(cons, strict);
        if (mg.feasible()) {
            return false;
        }
        t.status = "empty";
        t.farkas = mg.certificate();
        return true;
    }

    /** The unstable unit to split (largest score, then the earliest), or −1 when all are decided. */
    private int pick(Open o) {
        int u = -1;
        double s = -1;
        int frontier = -1;
        for (int k = 0; k < g.units(); k++) {
            if (o.rel.phase(k) < 0 && frontier < 0) {
                frontier = g.unit(k).op();
            }
            if (o.rel.phase(k) < 0 && g.unit(k).op() == frontier && o.score[k] > s) {
                s = o.score[k];
                u = k;
            }
        }
        return u;
    }

    private void leaf(Open o) {
        leaves++;
        int[] phase = new int[g.units()];
        boolean[] constrain = new boolean[g.units()];
        for (int k = 0; k < phase.length; k++) {
            phase[k] = o.rel.phase(k);
            constrain[k] = o.fix[k] >= 0;
        }
        ExactPattern ep = new ExactPattern(g, phase, constrain);
        List<Form> cons = o.cons;
        DualLp.Result lp;
        Rational value = null;
        Rational[] point = null;
        if (rows.length == 1) {
            Form obj = ep.objective(rows[0]);
            lp = DualLp.maximize(cons, obj.coefficients());
            if (lp.status() == DualLp.Status.OPTIMAL) {
                value = lp.value().add(obj.constant()).add(offsets[0]);
                point = lp.point();
            }
        } else {
            // max t subject to the node's constraints and rows[i]·f(x) + offsets[i] − t ≥ 0, over (x, t)
            int n = g.inputs();
            List<Form> ext = new ArrayList<>(cons.size() + rows.length);
            for (Form f : cons) {
                Rational[] a = Arrays.copyOf(f.coefficients(), n + 1);
                a[n] = Rational.ZERO;
                ext.add(Form.of(a, f.constant()));
            }
            for (int i = 0; i < rows.length; i++) {
                Form obj = ep.objective(rows[i]);
                Rational[] a = Arrays.copyOf(obj.coefficients(), n + 1);
                a[n] = Rational.MINUS_ONE;
                ext.add(Form.of(a, obj.constant().add(offsets[i])));
            }
            Rational[] o2 = new Rational[n + 1];
            Arrays.fill(o2, Rational.ZERO);
            o2[n] = Rational.ONE;
            lp = DualLp.maximize(ext, o2);
            cons = ext;
            if (lp.status() == DualLp.Status.OPTIMAL) {
                value = lp.value();
                point = Arrays.copyOf(lp.point(), n);
            }
        }
        o.tree.status = "leaf";
        o.tree.lp = lp;
        o.tree.constraints = cons;
        if (lp.status() == DualLp.Status.OPTIMAL) {
            Rational check = objective(ExactForward.eval(model, point));
            if (!check.equals(value)) {
                throw new IllegalStateException("leaf LP value " + value + " differs from the exact forward pass " + check);
            }
            if (best == null || value.compareTo(best) > 0) {
                best = value;
                arg = point;
            }
        } else if (lp.status() == DualLp.Status.UNBOUNDED) {
            throw new IllegalStateException("a leaf LP over a bounded domain is unbounded");
        }
    }

    /** The objective at the output y: min_i (rows[i]·y + offsets[i]), exactly. */
    private Rational objective(Rational[] y) {
        Rational h = null;
        for (int r = 0; r < rows.length; r++) {
            Rational s = offsets[r];
            Rational[] c = rows[r];
            for (int i = 0; i < c.length; i++) {
                if (!c[i].isZero()) {
                    s = s.add(c[i].multiply(y[i]));
                }
            }
            h = h == null || s.compareTo(h) < 0 ? s : h;
        }
        return h;
    }

    /** Evaluates a point of D (skipped when outside) and keeps it when it beats the incumbent. */
    private void candidate(Rational[] x) {
        for (Form f : domain.constraints()) {
            if (f.signAt(x) < 0) {
                return;
            }
        }
        double[] xd = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            xd[j] = x[j].doubleValue();
        }
        double[] y = g.evalDouble(xd);
        double guess = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rows.length; r++) {
            double s = offsets[r].doubleValue();
            for (int i = 0; i < rows[r].length; i++) {
                s += rows[r][i].doubleValue() * y[i];
            }
            guess = Math.min(guess, s);
        }
        if (best != null && guess < best.doubleValue() - 1e-9 * (1 + Math.abs(guess))) {
            return;
        }
        // decision mode: only a point that may reach the target is worth its exact evaluation (a heuristic skip; the
        // search stays exact: leaves and bounds decide)
        if (target != null && best != null && guess < target.doubleValue() - 1e-6 * (1 + Math.abs(guess))) {
            return;
        }
        Rational v = objective(ExactForward.eval(model, x));
        if (best == null || v.compareTo(best) > 0) {
            best = v;
            arg = x.clone();
        }
    }
}
