package org.netgeom.symbolic.regions;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Point;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.poly.Unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The exact side of the edge strategy: every region the untrusted {@link EdgeSearch} proposes is
 * re-derived from its pattern alone with the exact machinery of the cell search, and the result is
 * accepted only when the checks below pass.
 *
 * <ul>
 *   <li>Map and inequalities: the exact {@link NetworkProgram} is replayed along the pattern;
 *       it gives every unit's pre-activation on the region as an exact affine form and the
 *       network's exact affine map f(u) = A u + b there.</li>
 *   <li>Witness: the float centroid of the search's vertices, rounded to a double (an exact
 *       dyadic rational), or else the exact centroid of the exact vertices; it must satisfy every
 *       unit's inequality and the domain's strictly, decided exactly (filtered predicates,
 *       {@link Form#signAt(Point)}). So every listed region exists and has its pattern; distinct
 *       patterns give disjoint regions.</li>
 *   <li>2-D vertices and completeness: each vertex is the exact intersection (Cramer's rule) of
 *       the exact lines of its two edges; every inequality of the region must hold (≥ 0) at
 *       every exact vertex, so the convex hull of the vertices lies in the region's closure; and
 *       the shoelace areas of all regions must sum to the area of the domain, exactly. Since the
 *       regions are disjoint, that proves both that each hull is the whole closure and that no
 *       region is missing.</li>
 * </ul>
 *
 * <p>In 3 and more variables the witnesses and maps are checked as above; completeness there is
 * established by the independent certificate checker ({@code netgeom certify}: volumes by
 * Lasserre's recursion) and by the tests against the cell search and brute force.
 */
final class EdgeRegions {
    private EdgeRegions() {
    }

    /** Raised when a check fails: the caller falls back to the cell search. */
    static final class Rejected extends RuntimeException {
        Rejected(String why) {
            super(why, null, false, false);
        }
    }

    /** The most variables the edge search takes (its box has 2^k corners; above, the cell search's LP mode). */
    static final int MAX_DIMENSION = 5;

    /** True when the edge search handles this network and domain (a box, 2 to 5 variables, no max pooling). */
    static boolean supports(Model model, AffineMap inputMap, Domain domain) {
        if (!domain.isBox() || domain.dimension() < 2 || domain.dimension() > MAX_DIMENSION) {
            return false;
        }
        try {
            new PointEvaluator(NetworkProgram.forModel(model, inputMap, false), inputMap);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Runs the edge search and hands every exactly re-derived region to {@code sink} in the
     * search's order (2-D: only after the area check has passed, so nothing uncertified leaves).
     */
    static Stats run(Model model, AffineMap inputMap, Domain domain, Options options, Consumer<Region> sink) {
        NetworkProgram main = NetworkProgram.forModel(model, inputMap, false);
        PointEvaluator ev = new PointEvaluator(main, inputMap);
        EdgeSearch s = new EdgeSearch(ev, domain.lower(), domain.upper(), options.budget(), options.progress());
        s.run();
        int n = domain.dimension();
        List<EdgeSearch.Reg> regs = s.regions;
        s.regions = null;
        int count = regs.size();
        // exact replay in the lexicographic order of the patterns: consecutive regions share the
        // longest prefixes, and a region replays the program only from where its pattern departs
        // from the previous one's (the forms of a layer depend only on the earlier units' signs)
        EdgeSearch.Reg[] sorted = regs.toArray(new EdgeSearch.Reg[0]);
        regs.clear();
        Arrays.parallelSort(sorted, EdgeRegions::comparePatterns);
        Region[] out = new Region[count];
        Rational[] area = new Rational[Math.max(1, count)];
        AtomicLong checks = new AtomicLong();
        int chunk = 512;
        int chunks = (count + chunk - 1) / chunk;
        options.progress().start("regions (exact maps and witnesses)", count);
        try {
            // one compiled program per worker, kept across its chunks (a chunk walks on from where the last one ended)
            java.util.concurrent.ConcurrentLinkedQueue<Replay> pool = new java.util.concurrent.ConcurrentLinkedQueue<>();
            IntStream.range(0, chunks).parallel().forEach(c -> {
                Replay polled = pool.poll();
                Replay rp = polled != null ? polled : new Replay(NetworkProgram.forModel(model, inputMap, false), s.units);
                int end = Math.min(count, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++) {
                    Exact e = exact(rp, s, sorted[i], domain, n, options.ownCoverage());
                    sorted[i] = null;
                    checks.addAndGet(e.checks);
                    area[i] = e.area;
                    out[i] = new Region(i, e.cell, inputMap);
                }
                options.progress().step(end - c * chunk);
                pool.add(rp);                  // only a replay that ended cleanly walks on (a Rejected ends the whole run)
            });
            for (Replay rp : pool) {
                rp.close();
            }
        } finally {
            options.progress().done();
        }
        if (n == 2 && options.ownCoverage()) {
            Rational sum = Rational.ZERO;
            for (int i = 0; i < count; i++) {
                sum = sum.add(area[i]);
            }
            Rational whole = Rational.ONE;
            for (int j = 0; j < n; j++) {
                whole = whole.multiply(domain.upper()[j].subtract(domain.lower()[j]));
            }
            if (!sum.equals(whole)) {
                throw new Rejected("the regions' areas sum to " + sum + ", the domain's is " + whole);
            }
        }
        Stats st = new Stats();
        st.cells = count;
        st.splits = s.splits;
        st.nodes = s.units;
        st.witnessChecks = count;
        st.inequalityChecks = checks.get();
        st.exactSimplex = 0;
        for (Region r : out) {
            sink.accept(r);
        }
        return st;
    }

    private record Exact(Cell<NetworkProgram.Outputs> cell, Rational area, long checks) {
    }

    /** Lexicographic order of the patterns ('0' before '1', unit 0 first). */
    static int comparePatterns(EdgeSearch.Reg a, EdgeSearch.Reg b) {
        for (int i = 0; i < a.bits.length; i++) {
            long x = a.bits[i] ^ b.bits[i];
            if (x != 0) {
                long low = x & -x;
                return (a.bits[i] & low) != 0 ? 1 : -1;
            }
        }
        return 0;
    }

    /**
     * The exact program walked along one pattern after another: the units and forms of the
     * common prefix with the previous pattern are kept, the rest is replayed.
     */
    static final class Replay {
        final NetworkProgram p;
        final int units;
        final char[] pat;
        final Form[] z;           // the unit's pre-activation at each depth on the current path
        final Form[] forms;       // the unit's inequality form > 0 on the region, null when identically zero
        int depth;                // units decided on the current path
        int fetched;              // z[0..fetched-1] are valid for the current prefix
        NetworkProgram.Outputs data;

        Replay(NetworkProgram p, int units) {
            this.p = p;
            this.units = units;
            this.pat = new char[units];
            this.z = new Form[units];
            this.forms = new Form[units];
        }

        /** Walks to {@code bits}' pattern; returns it as a string. */
        String walk(long[] bits) {
            int common = 0;
            while (common < depth && (bits[common >>> 6] >>> (common & 63) & 1) == (pat[common] == '1' ? 1 : 0)) {
                common++;
            }
            while (depth > common) {
                p.undo();
                depth--;
            }
            fetched = Math.min(fetched, common + 1);
            for (int u = common; u < units; u++) {
                pat[u] = (bits[u >>> 6] >>> (u & 63) & 1) != 0 ? '1' : '0';
            }
            String pattern = new String(pat);
            for (; depth < units; depth++) {
                if (fetched <= depth) {
                    Unit un = p.next();
                    if (!(un instanceof Unit.Sign sgn)) {
                        throw new Rejected("unit " + depth + " is not a sign unit");
                    }
                    z[depth] = sgn.z();
                    fetched = depth + 1;
                }
                Form f = z[depth];
                int c = pat[depth] == '1' ? 1 : 0;
                if (!f.isZero()) {
                    forms[depth] = c == 1 ? f : f.negate();
                } else if (c == 1) {
                    throw new Rejected("pattern " + pattern + ": unit " + depth + " is identically zero but marked '1'");
                } else {
                    forms[depth] = null;
                }
                p.decide(c);
            }
            if (p.next() != null) {
                throw new Rejected("the program has more units than the search");
            }
            data = p.leaf();
            return pattern;
        }

        void close() {
            while (depth > 0) {
                p.undo();
                depth--;
            }
        }
    }

    private static Exact exact(Replay rp, EdgeSearch s, EdgeSearch.Reg r, Domain domain, int n, boolean coverage) {
        int units = s.units;
        String pattern = rp.walk(r.bits);
        Form[] forms = rp.forms;
        NetworkProgram.Outputs data = rp.data;
        List<Form> dom = domain.constraints();
        long checks = 0;
        int[] vs = r.v;
        double[] c = new double[n];
        for (int v : vs) {
            for (int j = 0; j < n; j++) {
                c[j] += s.x[v * n + j] / vs.length;
            }
        }
        if (n == 2) {
            Integer[] order = new Integer[vs.length];
            for (int i = 0; i < vs.length; i++) {
                order[i] = i;
            }
            double cx = c[0];
            double cy = c[1];
            Arrays.sort(order, Comparator.comparingDouble(i -> Math.atan2(s.x[vs[i] * 2 + 1] - cy, s.x[vs[i] * 2] - cx)));
            int m = vs.length;
            Form[] edge = new Form[m];
            int[] label = new int[m];
            for (int i = 0; i < m; i++) {
                int a = vs[order[i]];
                int b = vs[order[(i + 1) % m]];
                int[] f = EdgeSearch.intersect(s.zs[a], s.zs[b]);
                Form best = null;
                int lab = 0;
                for (int l : f) {
                    Form g = l < 0 ? dom.get(-l - 1) : forms[l];
                    if (g != null && !g.isConstant()) {
                        best = g;
                        lab = l;
                        break;
                    }
                }
                if (best == null) {
                    throw new Rejected("pattern " + pattern + ": no line through two consecutive vertices");
                }
                edge[i] = best;
                label[i] = lab;
            }
            List<Point> pts = new ArrayList<>(m);
            boolean[] met = new boolean[m];
            for (int i = 0; i < m; i++) {
                Rational[] q = meet(edge[(i + m - 1) % m], edge[i]);
                met[i] = q != null;
                if (q == null) {
                    q = s.exact(vs[order[i]]);
                }
                pts.add(new Point(q));
            }
            Rational twice = null;
            if (coverage) {
                // the exact area, for the coverage check (its sum must be the domain's)
                twice = Rational.ZERO;
                for (int i = 0; i < m; i++) {
                    Point a = pts.get(i);
                    Point b = pts.get((i + 1) % m);
                    twice = twice.add(a.get(0).multiply(b.get(1)).subtract(b.get(0).multiply(a.get(1))));
                }
                if (twice.signum() <= 0) {
                    throw new Rejected("pattern " + pattern + ": the vertices are not a counter-clockwise polygon");
                }
            }
            for (int i = 0; i < m; i++) {
                // vertex i is the exact meet of edges i-1 and i: those two forms vanish there by construction
                checks += require(forms, dom, pts.get(i), met[i] ? edge[(i + m - 1) % m] : null, met[i] ? edge[i] : null, pattern);
            }
            List<Cell.Facet> facets = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                facets.add(new Cell.Facet(edge[i], label[i], new int[]{i, (i + 1) % m}));
            }
            Point w = witness(forms, dom, c, pts, pattern);
            checks += units + dom.size();
            return new Exact(Cell.of(pattern, w, pts, facets, data), twice == null ? null : twice.divide(Rational.TWO), checks);
        }
        Point w;
        try {
            w = witness(forms, dom, c, null, pattern);
        } catch (Rejected e) {
            List<Point> pts = new ArrayList<>();
            synchronized (s) {
                for (int v : vs) {
                    pts.add(new Point(s.exact(v)));
                }
            }
            w = witness(forms, dom, null, pts, pattern);
        }
        checks += units + dom.size();
        return new Exact(Cell.of(pattern, w, null, null, data), null, checks);
    }

    /** A witness strictly inside: the rounded float centroid, else the exact centroid of {@code pts}. */
    private static Point witness(Form[] forms, List<Form> dom, double[] c, List<Point> pts, String pattern) {
        if (c != null) {
            Rational[] q = new Rational[c.length];
            for (int j = 0; j < c.length; j++) {
                q[j] = Rational.fromDouble(c[j]);
            }
            Point w = new Point(q);
            if (strictlyInside(forms, dom, w)) {
                return w;
            }
        }
        if (pts != null) {
            int k = pts.get(0).dimension();
            Rational[] q = new Rational[k];
            Arrays.fill(q, Rational.ZERO);
            for (Point v : pts) {
                for (int j = 0; j < k; j++) {
                    q[j] = q[j].add(v.get(j));
                }
            }
            Rational inv = Rational.of(1, pts.size());
            for (int j = 0; j < k; j++) {
                q[j] = q[j].multiply(inv);
            }
            Point w = new Point(q);
            if (strictlyInside(forms, dom, w)) {
                return w;
            }
        }
        throw new Rejected("pattern " + pattern + ": no witness strictly inside");
    }

    private static boolean strictlyInside(Form[] forms, List<Form> dom, Point w) {
        for (Form f : dom) {
            if (f.signAt(w) <= 0) {
                return false;
            }
        }
        for (Form f : forms) {
            if (f != null && f.signAt(w) <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Every inequality holds (≥ 0) at q; returns the number checked. */
    private static long require(Form[] forms, List<Form> dom, Point q, Form skipA, Form skipB, String pattern) {
        for (Form f : dom) {
            if (f != skipA && f != skipB && f.signAt(q) < 0) {
                throw new Rejected("pattern " + pattern + ": a vertex outside the domain");
            }
        }
        for (int u = 0; u < forms.length; u++) {
            Form f = forms[u];
            if (f != null && f != skipA && f != skipB && f.signAt(q) < 0) {
                throw new Rejected("pattern " + pattern + ": a vertex violates unit " + u);
            }
        }
        return forms.length + dom.size();
    }

    /** The intersection of two lines f = 0, g = 0 in the plane, or null when parallel. */
    private static Rational[] meet(Form f, Form g) {
        Rational a1 = f.coefficient(0);
        Rational a2 = f.coefficient(1);
        Rational c1 = f.constant();
        Rational b1 = g.coefficient(0);
        Rational b2 = g.coefficient(1);
        Rational c2 = g.constant();
        Rational det = a1.multiply(b2).subtract(a2.multiply(b1));
        if (det.isZero()) {
            return null;
        }
        Rational x = c2.multiply(a2).subtract(c1.multiply(b2)).divide(det);
        Rational y = b1.multiply(c1).subtract(a1.multiply(c2)).divide(det);
        return new Rational[]{x, y};
    }
}
