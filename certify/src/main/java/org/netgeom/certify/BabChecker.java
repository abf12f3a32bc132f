package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-verifies the branch-and-bound trees of {@code range --json} and {@code verify --json}
 * (docs/certify.md, "Branch-and-bound trees"). Each node's set is rebuilt by the checker: the
 * domain (interior), the input splits' half-spaces and, for each unit split, the unit's
 * pre-activation as an exact affine form that the checker computes with the earlier units'
 * phases fixed (their phases proved on the node by the checker's own relaxation, {@link Relax}).
 * Then: a branch's children partition its set (both phases, every window entry, the two sides of
 * one input split); an empty node's Farkas multipliers prove its constraints infeasible exactly
 * (Motzkin's strict form), or the checker's relaxation finds the set empty; a pruned node's bound
 * is the checker's own (CROWN and IBP, never the node's "bound"); a leaf has every unit decided on
 * it, c·f is affine there (the checker's forms), and its LP dual bounds the maximum exactly
 * (y ≥ 0, Σ yᵢaᵢ = −o, the value Σ yᵢcᵢ). No open node is accepted.
 */
final class BabChecker {
    /** The threshold a search must stay under: ≤ max (range) or &lt; 0 (verify). */
    record Goal(Q limit, boolean strict) {
        boolean ok(Q v) {
            int c = v.compareTo(limit);
            return strict ? c < 0 : c <= 0;
        }

        String say() {
            return (strict ? "< " : "<= ") + limit;
        }
    }

    private final Relax code;
    private final int k;
    /** The objective min_i rows[i]·f + offs[i], and the rows whose bounds bound it (with their mean for several). */
    private final Q[][] rows;
    private final Q[] offs;
    private final Q[][] bRows;
    private final Q[] bOffs;
    private final Goal goal;
    final AtomicLong nodes = new AtomicLong();
    final AtomicLong leaves = new AtomicLong();
    /** Prunes reproduced only with near ties flipped, or only on the checker's own bisection of the box. */
    final AtomicLong flipped = new AtomicLong();
    final AtomicLong bisected = new AtomicLong();
    /** Prunes the fast relaxation could not reproduce but the precise one did. */
    final AtomicLong precise = new AtomicLong();
    private final FastRelax fast;

    /** The subtrees are checked in parallel (the nodes are independent given their sets); the first failure in tree order is reported. */
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));

    /** One subtree to check; its failure, if any, kept for the parent to report in order. */
    private final class Sub extends RecursiveAction {
        final JsonNode nd;
        final String path;
        final Ctx ctx;
        CertRejected fail;

        Sub(JsonNode nd, String path, Ctx ctx) {
            this.nd = nd;
            this.path = path;
            this.ctx = ctx;
        }

        @Override
        protected void compute() {
            try {
                node(nd, path, ctx);
            } catch (CertRejected e) {
                fail = e;
            } catch (RuntimeException e) {
                fail = new CertRejected("the checker failed on this node: " + e, path);
            }
        }
    }

    /** Checks the children (in parallel inside the pool), then reports the first failure in their order. */
    private void all(List<Sub> subs) {
        if (ForkJoinTask.inForkJoinPool()) {
            ForkJoinTask.invokeAll(subs);
        } else {
            for (Sub t : subs) {
                t.compute();
            }
        }
        for (Sub t : subs) {
            if (t.fail != null) {
                throw t.fail;
            }
        }
    }

    BabChecker(Relax code, Q[][] rows, Q[] offs, Goal goal) {
        this.code = code;
        this.fast = new FastRelax(code);
        this.k = code.inputs;
        this.rows = rows;
        this.offs = offs;
        this.goal = goal;
        if (rows.length == 1) {
            bRows = rows;
            bOffs = offs;
        } else {
            bRows = Arrays.copyOf(rows, rows.length + 1);
            bOffs = Arrays.copyOf(offs, rows.length + 1);
            Q w = Q.of(BigInteger.ONE, BigInteger.valueOf(rows.length));
            Q[] mean = new Q[rows[0].length];
            Arrays.fill(mean, Q.ZERO);
            Q off = Q.ZERO;
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = mean[j].add(rows[i][j].mul(w));
                }
                off = off.add(offs[i].mul(w));
            }
            bRows[rows.length] = mean;
            bOffs[rows.length] = off;
        }
    }

    /** A node's set: its box, fixed units, and constraints g(x) ≥ 0 (or &gt; 0 where strict), forms of k variables then the constant. */
    /**
     * A node's set and {@code parent}: the checker's own relaxation of the parent node (null at the
     * root), whose intervals hold on this subset and are intersected with the node's own.
     */
    private record Ctx(Q[] lo, Q[] hi, int[] fix, List<Q[]> cons, List<Boolean> strict, Relax.Relaxed parent) {
        Ctx with(Q[] lo2, Q[] hi2, int[] fix2, List<Q[]> add, List<Boolean> st, Relax.Relaxed here) {
            List<Q[]> c = new ArrayList<>(cons);
            c.addAll(add);
            List<Boolean> s = new ArrayList<>(strict);
            s.addAll(st);
            return new Ctx(lo2, hi2, fix2, c, s, here);
        }
    }


    // ---- the tree ----

    void root(JsonNode root, String path, Q[] lo, Q[] hi, List<Q[]> domain) {
        if (root == null || !root.isObject()) {
            throw new CertRejected("the search has no tree", path);
        }
        int[] fix = new int[code.units];
        Arrays.fill(fix, -1);
        List<Boolean> st = new ArrayList<>();
        for (int i = 0; i < domain.size(); i++) {
            st.add(true);           // the domain's interior: its closure's maximum is the interior's supremum
        }
        Sub top = new Sub(root, path, new Ctx(lo.clone(), hi.clone(), fix, new ArrayList<>(domain), st, null));
        POOL.invoke(top);
        if (top.fail != null) {
            throw top.fail;
        }
    }

    private void node(JsonNode nd, String path, Ctx ctx) {
        nodes.incrementAndGet();
        String st = nd.path("status").asText();
        JsonNode ch = nd.get("children");
        boolean hasChildren = ch != null && ch.isArray() && !ch.isEmpty();
        if (!st.equals("branch") && hasChildren) {
            throw new CertRejected("a " + st + " node has children", path + ".children");
        }
        for (int j = 0; j < k; j++) {
            if (ctx.lo[j].compareTo(ctx.hi[j]) > 0) {
                return;             // the input splits leave nothing: the set is empty
            }
        }
        switch (st) {
            case "branch" -> branch(nd, path, ctx);
            case "pruned" -> {
                Q u = prune(ctx.lo, ctx.hi, ctx.fix, ctx.parent, BISECT);
                if (u != null) {
                    throw new CertRejected("the checker's own relaxation bounds this node by " + u + " (≈ " + approx(u)
                            + "), not " + goal.say() + ": the prune is not reproduced", path);
                }
            }
            case "empty" -> {
                if (nd.has("farkas")) {
                    Q[] y = multipliers(nd.get("farkas"), ctx.cons.size(), path + ".farkas");
                    String why = farkas(ctx.cons, ctx.strict, y);
                    if (why != null) {
                        throw new CertRejected("the Farkas multipliers do not prove the node empty: " + why, path + ".farkas");
                    }
                } else if (!bounds(ctx, x -> false).infeasible()) {
                    throw new CertRejected("an empty node without Farkas multipliers, and the checker's relaxation does not find it empty", path);
                }
            }
            case "leaf" -> leaf(nd, path, ctx);
            case "open" -> throw new CertRejected("an open node (left by a limit or a counterexample): the search did not finish", path);
            default -> throw new CertRejected("unknown node status '" + st + "'", path + ".status");
        }
    }

    /** How many times the checker may bisect a pruned node's box itself to reproduce the prune. */
    static final int BISECT = 3;

    /**
     * The relaxations the checker tries on a box, in order, until one serves: the fast one (long fixed
     * point, 2^−40) back-substituting only the undecided units as the search does, with the rule's
     * lower slopes, then with near ties flipped (the search's float bounds may break a tie the other
     * way), then back-substituting every unit, both ways; then the precise one (BigInteger, 2^−80)
     * the same four ways. Every variant is a sound relaxation of its own; the first one that serves
     * is the one a node's children inherit. A fixed-point overflow in the fast one skips it (null).
     */
    private Relax.Relaxed attempt(Q[] lo, Q[] hi, int[] fix, Relax.Relaxed parent, int i) {
        try {
            return switch (i) {
                case 0 -> fast.new Bounds(lo, hi, fix, false, parent, true);
                case 1 -> fast.new Bounds(lo, hi, fix, true, parent, true);
                case 2 -> fast.new Bounds(lo, hi, fix, false, parent, false);
                case 3 -> fast.new Bounds(lo, hi, fix, true, parent, false);
                case 4 -> new ExactBounds(code, lo, hi, fix, false, parent, true);
                case 5 -> new ExactBounds(code, lo, hi, fix, true, parent, true);
                case 6 -> new ExactBounds(code, lo, hi, fix, false, parent, false);
                case 7 -> new ExactBounds(code, lo, hi, fix, true, parent, false);
                default -> null;
            };
        } catch (ArithmeticException e) {
            return null;        // the fast one overflowed: the caller goes on to the precise one
        }
    }

    private static final int ATTEMPTS = 8;

    /** The first relaxation that is infeasible or {@code good}, else the precise one. */
    private Relax.Relaxed bounds(Ctx ctx, java.util.function.Predicate<Relax.Relaxed> good) {
        Relax.Relaxed last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            Relax.Relaxed b = attempt(ctx.lo, ctx.hi, ctx.fix, ctx.parent, i);
            if (b == null) {
                continue;
            }
            if (b.infeasible() || good.test(b)) {
                return b;
            }
            last = b;
        }
        return last;
    }

    private static boolean decidedBefore(Relax.Relaxed b, Relax code, int op) {
        for (int v = 0; v < code.units && code.unitOp[v] < op; v++) {
            if (b.phase()[v] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Null when the checker's own bound on box ∩ fixed phases meets the goal (with the rule's slopes,
     * with near ties flipped, or on the halves of its widest input, at most {@code depth} times over:
     * the halves cover the box), else the smallest bound it found.
     */
    private Q prune(Q[] lo, Q[] hi, int[] fix, Relax.Relaxed parent, int depth) {
        Q best = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            Relax.Relaxed b = attempt(lo, hi, fix, parent, i);
            if (b == null) {
                continue;
            }
            if (b.infeasible()) {
                return null;
            }
            Q u = bound(b);
            if (goal.ok(u)) {
                flipped.addAndGet(i % 2 == 1 && depth == BISECT ? 1 : 0);     // (counted for the node itself, not its halves)
                precise.addAndGet(i >= 4 && depth == BISECT ? 1 : 0);
                return null;
            }
            best = best == null || u.compareTo(best) < 0 ? u : best;
        }
        if (depth == 0) {
            return best;
        }
        int j = 0;
        for (int q = 1; q < k; q++) {
            j = hi[q].sub(lo[q]).compareTo(hi[j].sub(lo[j])) > 0 ? q : j;
        }
        Q m = lo[j].add(hi[j]).mul(Q.of(BigInteger.ONE, BigInteger.TWO));
        Q[] h1 = hi.clone();
        h1[j] = m;
        Q[] l2 = lo.clone();
        l2[j] = m;
        Q a = prune(lo, h1, fix, parent, depth - 1);
        if (a != null) {
            return a;
        }
        a = prune(l2, hi, fix, parent, depth - 1);
        bisected.addAndGet(a == null && depth == BISECT ? 1 : 0);
        return a;
    }

    private Q bound(Relax.Relaxed b) {
        Q best = null;
        for (int i = 0; i < bRows.length; i++) {
            Q u = b.bound(bRows[i], bOffs[i]);
            best = best == null || u.compareTo(best) < 0 ? u : best;
        }
        return best;
    }

    private void branch(JsonNode nd, String path, Ctx ctx) {
        JsonNode ch = nd.get("children");
        if (ch == null || !ch.isArray() || ch.isEmpty()) {
            throw new CertRejected("a branch node without children", path);
        }
        JsonNode c0 = ch.get(0);
        if (c0.has("input")) {
            if (ch.size() != 2) {
                throw new CertRejected("an input split needs exactly two children (low, high)", path + ".children");
            }
            int j = c0.path("input").asInt(-1);
            if (j < 0 || j >= k || !c0.path("input").isIntegralNumber()) {
                throw new CertRejected("input split on input " + c0.get("input") + ", not one of the " + k + " search variables", path + ".children[0].input");
            }
            Q m = Certifier.parse(c0.get("at"), path + ".children[0].at");
            Relax.Relaxed here = bounds(ctx, x -> true);
            if (here != null && here.infeasible()) {
                return;              // the node's set is empty: its children cover it, whatever they say
            }
            boolean low = false;
            boolean high = false;
            List<Sub> subs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode c = ch.get(i);
                String cp = path + ".children[" + i + "]";
                if (c.path("input").asInt(-1) != j || c.has("unit") || !Certifier.parse(c.get("at"), cp + ".at").equals(m)) {
                    throw new CertRejected("the two children of an input split must split the same input at the same point", cp);
                }
                String side = c.path("side").asText();
                Q[] a = new Q[k + 1];
                Arrays.fill(a, Q.ZERO);
                Q[] lo = ctx.lo.clone();
                Q[] hi = ctx.hi.clone();
                boolean strict;
                if (side.equals("low") && !low) {
                    low = true;
                    a[j] = Q.ONE.neg();
                    a[k] = m;                          // m − x_j ≥ 0
                    strict = false;
                    hi[j] = hi[j].compareTo(m) < 0 ? hi[j] : m;
                } else if (side.equals("high") && !high) {
                    high = true;
                    a[j] = Q.ONE;
                    a[k] = m.neg();                    // x_j − m > 0
                    strict = true;
                    lo[j] = lo[j].compareTo(m) > 0 ? lo[j] : m;
                } else {
                    throw new CertRejected("an input split needs one low and one high child", cp + ".side");
                }
                List<Q[]> one = new ArrayList<>();
                one.add(a);
                subs.add(new Sub(c, cp, ctx.with(lo, hi, ctx.fix, one, List.of(strict), here)));
            }
            all(subs);
            return;
        }
        if (!c0.has("unit")) {
            throw new CertRejected("a child that names neither a unit nor an input split", path + ".children[0]");
        }
        int u = c0.path("unit").asInt(-1);
        if (u < 0 || u >= code.units || !c0.path("unit").isIntegralNumber()) {
            throw new CertRejected("unit " + c0.get("unit") + " is not a unit of the model (it has " + code.units + ")", path + ".children[0].unit");
        }
        int choices = code.choices[u];
        if (ch.size() != choices) {
            throw new CertRejected("unit " + u + " has " + choices + " phases but the split has " + ch.size() + " children", path + ".children");
        }
        boolean[] seen = new boolean[choices];
        for (int i = 0; i < ch.size(); i++) {
            JsonNode c = ch.get(i);
            int p = c.path("phase").asInt(-1);
            if (c.path("unit").asInt(-1) != u || c.has("input") || p < 0 || p >= choices || seen[p]) {
                throw new CertRejected("the children of a split of unit " + u + " must take each of its " + choices + " phases once", path + ".children[" + i + "]");
            }
            seen[p] = true;
        }
        // the unit's pre-activation, exactly, with every earlier unit's phase proven on this node
        int op = code.unitOp[u];
        Relax.Relaxed b = bounds(ctx, x -> decidedBefore(x, code, op));
        if (b.infeasible()) {
            return;              // the node's set is empty: its children cover it, whatever they say
        }
        for (int v = 0; v < code.units && code.unitOp[v] < op; v++) {
            if (b.phase()[v] < 0) {
                throw new CertRejected("unit " + v + " (before the split unit " + u + ") is not decided on this node by the checker's relaxation"
                        + " nor split on the path, so unit " + u + "'s pre-activation is not affine here", path);
            }
        }
        Net.Vec[] f = code.forms(code.variables(), b.phase(), op);
        Relax.G g = code.ops.get(op);
        List<Sub> subs = new ArrayList<>();
        for (int i = 0; i < ch.size(); i++) {
            JsonNode c = ch.get(i);
            int p = c.path("phase").asInt();
            int[] fix = ctx.fix.clone();
            fix[u] = p;
            List<Q[]> add = new ArrayList<>();
            List<Boolean> st = new ArrayList<>();
            if (g instanceof Relax.Act a) {
                Q[] z = Relax.row(f[a.src()], code.unitRow[u]);
                add.add(p == 1 ? z : neg(z));       // on: z > 0; off: z ≤ 0
                st.add(p == 1);
            } else {
                Relax.Max mx = (Relax.Max) g;
                int[] w = mx.win()[code.unitRow[u]];
                Q[] zw = Relax.row(f[mx.src()], w[p]);
                for (int e = 0; e < w.length; e++) {
                    if (e != p) {
                        Q[] ze = Relax.row(f[mx.src()], w[e]);
                        Q[] dd = new Q[k + 1];
                        for (int j = 0; j <= k; j++) {
                            dd[j] = zw[j].sub(ze[j]);
                        }
                        add.add(dd);                    // the first maximum: > before it, ≥ after it
                        st.add(e < p);
                    }
                }
            }
            subs.add(new Sub(c, path + ".children[" + i + "]", ctx.with(ctx.lo, ctx.hi, fix, add, st, b)));
        }
        all(subs);
    }

    private void leaf(JsonNode nd, String path, Ctx ctx) {
        leaves.incrementAndGet();
        Relax.Relaxed b = bounds(ctx, x -> decidedBefore(x, code, Integer.MAX_VALUE));
        if (b.infeasible()) {
            return;
        }
        for (int v = 0; v < code.units; v++) {
            if (b.phase()[v] < 0) {
                throw new CertRejected("unit " + v + " is neither split on the path nor decided by the checker's relaxation on this leaf:"
                        + " the network is not proven affine here", path);
            }
        }
        Net.Vec out = code.forms(code.variables(), b.phase(), Integer.MAX_VALUE)[code.out];
        Q[][] obj = new Q[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            Q[] o = new Q[k + 1];
            Arrays.fill(o, Q.ZERO);
            for (int i = 0; i < rows[r].length; i++) {
                if (rows[r][i].signum() != 0) {
                    Q[] fi = Relax.row(out, i);
                    for (int j = 0; j <= k; j++) {
                        o[j] = o[j].add(rows[r][i].mul(fi[j]));
                    }
                }
            }
            o[k] = o[k].add(offs[r]);
            obj[r] = o;
        }
        // the LP: max o·x over the node's constraints (one row), or max t with t ≤ row_r(x) (several)
        List<Q[]> cons = ctx.cons;
        Q[] o;
        Q constant;
        int vars = k;
        if (rows.length == 1) {
            o = Arrays.copyOf(obj[0], k);
            constant = obj[0][k];
        } else {
            vars = k + 1;
            cons = new ArrayList<>();
            for (Q[] c : ctx.cons) {
                Q[] e = Arrays.copyOf(c, k + 2);
                e[k] = Q.ZERO;
                e[k + 1] = c[k];
                cons.add(e);
            }
            for (Q[] r : obj) {
                Q[] e = Arrays.copyOf(r, k + 2);
                e[k] = Q.ONE.neg();
                e[k + 1] = r[k];
                cons.add(e);
            }
            o = new Q[k + 1];
            Arrays.fill(o, Q.ZERO);
            o[k] = Q.ONE;
            constant = Q.ZERO;
        }
        JsonNode lp = nd.path("lp");
        String status = lp.path("status").asText();
        Q[] y = multipliers(lp.get("dual"), cons.size(), path + ".lp.dual");
        if (status.equals("infeasible")) {
            List<Boolean> closed = new ArrayList<>();
            for (int i = 0; i < cons.size(); i++) {
                closed.add(false);
            }
            String why = farkas(cons, closed, y);
            if (why != null) {
                throw new CertRejected("the leaf's LP is said infeasible but its multipliers do not prove it: " + why, path + ".lp.dual");
            }
            return;
        }
        if (!status.equals("optimal")) {
            throw new CertRejected("the leaf's LP status is '" + status + "'", path + ".lp.status");
        }
        Q[] sum = new Q[vars];
        Arrays.fill(sum, Q.ZERO);
        Q value = Q.ZERO;
        for (int i = 0; i < y.length; i++) {
            if (y[i].signum() == 0) {
                continue;
            }
            Q[] c = cons.get(i);
            for (int j = 0; j < vars; j++) {
                sum[j] = sum[j].add(y[i].mul(c[j]));
            }
            value = value.add(y[i].mul(c[vars]));
        }
        for (int j = 0; j < vars; j++) {
            if (!sum[j].equals(o[j].neg())) {
                throw new CertRejected("the leaf's dual does not certify its LP: Σ y_i a_i differs from −o in coordinate " + j, path + ".lp.dual");
            }
        }
        Q max = value.add(constant);
        if (!goal.ok(max)) {
            throw new CertRejected("the leaf's dual bounds its maximum by " + max + ", not " + goal.say(), path + ".lp");
        }
    }

    /** Sparse multipliers {"i": "p/q"} into a vector; each must be ≥ 0. */
    private static Q[] multipliers(JsonNode y, int n, String path) {
        if (y == null || !y.isObject()) {
            throw new CertRejected("multipliers missing", path);
        }
        Q[] r = new Q[n];
        Arrays.fill(r, Q.ZERO);
        var it = y.fields();
        while (it.hasNext()) {
            var e = it.next();
            int i;
            try {
                i = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new CertRejected("multiplier index '" + e.getKey() + "' is not a constraint index", path);
            }
            if (i < 0 || i >= n) {
                throw new CertRejected("multiplier index " + i + " beyond the node's " + n + " constraints", path + "." + i);
            }
            r[i] = Certifier.parse(e.getValue(), path + "." + i);
            if (r[i].signum() < 0) {
                throw new CertRejected("a negative multiplier", path + "." + i);
            }
        }
        return r;
    }

    /** Null when y proves the system infeasible (Σ yᵢaᵢ = 0 and Σ yᵢcᵢ &lt; 0, or = 0 with weight on a strict one), else why not. */
    private static String farkas(List<Q[]> cons, List<Boolean> strict, Q[] y) {
        if (cons.isEmpty()) {
            return "no constraints";
        }
        int vars = cons.get(0).length - 1;
        Q[] lin = new Q[vars];
        Arrays.fill(lin, Q.ZERO);
        Q c = Q.ZERO;
        boolean strictWeight = false;
        for (int i = 0; i < y.length; i++) {
            if (y[i].signum() == 0) {
                continue;
            }
            Q[] g = cons.get(i);
            for (int j = 0; j < vars; j++) {
                lin[j] = lin[j].add(y[i].mul(g[j]));
            }
            c = c.add(y[i].mul(g[vars]));
            strictWeight |= strict.get(i);
        }
        for (int j = 0; j < vars; j++) {
            if (lin[j].signum() != 0) {
                return "the linear parts do not cancel (coordinate " + j + ")";
            }
        }
        if (c.signum() < 0 || (c.signum() == 0 && strictWeight)) {
            return null;
        }
        return "Σ y_i c_i is " + c + (c.signum() == 0 ? " with no weight on a strict constraint" : "");
    }

    static Q dot(Q[] a, Q[] y) {
        Q s = Q.ZERO;
        for (int i = 0; i < a.length; i++) {
            if (a[i].signum() != 0) {
                s = s.add(a[i].mul(y[i]));
            }
        }
        return s;
    }

    static Q[] neg(Q[] a) {
        Q[] r = new Q[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].neg();
        }
        return r;
    }

    private static String approx(Q q) {
        return new java.math.BigDecimal(q.n()).divide(new java.math.BigDecimal(q.d()), java.math.MathContext.DECIMAL64).toString();
    }

}
