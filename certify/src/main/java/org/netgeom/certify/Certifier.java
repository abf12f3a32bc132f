package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The independent checker of netgeom's exact results (docs/certify.md). Given the model file,
 * the result JSON and the domain, it re-derives everything with its own arithmetic ({@link Q},
 * BigInteger) and its own forward pass over the raw IR ({@link Net}); nothing of the search is
 * trusted. For a region set it proves: (1) each witness lies strictly inside the domain and
 * strictly on the pattern's side of every unit (its own pre-activation forms, a unit whose form
 * is identically zero being '0'; max pooling: a strict winner, or a lower index tying
 * identically); (2) each A, b is the network's exact map with that pattern; (3) patterns are
 * distinct, so the open regions are disjoint; each region's closed polytope (its pattern's
 * inequalities ∩ the domain) is computed exactly and the exact volumes of the listed regions
 * sum to the domain's volume, so no region with interior is missing; (4) the counts, and every
 * affine piece has one map and is connected through shared facets of positive (n−1)-volume
 * (dim(C_i ∩ C_j) = n − 1, decided by exact cuts), and no two pieces with equal maps share one.
 * For a Lipschitz result it also recomputes the l1 and l∞ operator norms exactly and checks the
 * l2 enclosure by exact LDLᵀ positive-(semi)definiteness tests of s·I − AᵀA (the regions of
 * Jordan &amp; Dimakis 2020's formulation). Exact volumes by pulling triangulation of exact vertices.
 */
public final class Certifier {
    /**
     * What was certified. For branch-and-bound results ({@code range}, {@code verify}) regions is
     * the number of tree nodes re-checked, inequalities the number of LP leaves, and summary the
     * human line (null for the other kinds).
     */
    public record Report(String kind, int regions, int affinePieces, String domainVolume, long inequalities, String summary) {
        public Report(String kind, int regions, int affinePieces, String domainVolume, long inequalities) {
            this(kind, regions, affinePieces, domainVolume, inequalities, null);
        }
    }

    /** The largest number of variables whose coverage can be proven by exact volumes. */
    public static final int MAX_VARIABLES = 6;

    private Certifier() {
    }

    public static Report certify(Path model, JsonNode result, DomainSpec domain) {
        return certify(model, result, domain, Map.of());
    }

    /** Detects the kind of result ("regions", "lipschitz", "loss-line", "range" or "verify") and certifies it, or throws {@link CertRejected}. */
    public static Report certify(Path model, JsonNode result, DomainSpec domain, Map<String, String> bindings) {
        if (result == null || !result.isObject()) {
            throw new CertRejected("the result is not a JSON object", null);
        }
        if (result.has("error")) {
            throw new CertRejected("the result is an error, not a certificate", "error");
        }
        if (result.has("pieces") && result.has("breakpoints") && !result.has("regions")) {
            return LossLine.check(model, result, domain, bindings);
        }
        Net net = Net.read(model, bindings);
        if (result.path("certificate").path("kind").asText().equals("branch-and-bound") || result.has("outputs") && result.has("exact")
                || result.has("result") && result.has("terms")) {
            return result.has("terms") ? BabResults.verify(net, result) : BabResults.range(net, result, domain);
        }
        if (result.has("activationRegions") && result.get("regions") != null && result.get("regions").isArray()) {
            Run r = run(net, result.get("regions"), "regions", domain, true);
            return r.finishRegions(result);
        }
        if (result.has("lipschitz")) {
            return Lipschitz.check(result, run(net, result.path("evidence").path("regions"), "evidence.regions", domain, false));
        }
        throw new CertRejected("not a result netgeom-certify knows (regions --json, perturb --lipschitz --json, loss-surface --line --json, range --json, verify --json)", null);
    }

    /**
     * Certifies a region set that arrives one region at a time ({@code regions --json --stream}):
     * {@code header} carries the claimed {@code activationRegions}, {@code affinePieces} (and in
     * 1-D {@code breakpoints}); each region is read from {@code regions} only after the one before
     * has been checked, so the result's JSON never has to be held whole. The checks are those of
     * {@link #certify(Path, JsonNode, DomainSpec, Map)}.
     */
    public static Report certifyRegions(Path model, JsonNode header, java.util.Iterator<JsonNode> regions, DomainSpec domain,
            Map<String, String> bindings) {
        if (header == null || !header.has("activationRegions")) {
            throw new CertRejected("the result has no activationRegions", "activationRegions");
        }
        Net net = Net.read(model, bindings);
        return run(net, regions, "regions", domain, true).finishRegions(header);
    }

    /**
     * One region as the checker derived it. map: the exact map as one integer vector (A and b row by row over one
     * denominator, then the denominator; lowest terms, so equal maps have equal vectors). ineqs: the inequalities
     * tight at a vertex of its closed polytope (they and the domain's cut out that polytope, which is not kept:
     * the piece check cuts it again from them when it needs it). poly: kept in one variable only (its two ends).
     */
    record Reg(String pattern, Poly poly, List<Net.Ineq> ineqs, Z map, Z[] a, BigInteger den, int piece) {
    }

    /** The regions of a result, each re-derived and checked (1)–(3). */
    static final class Run {
        int k;
        final List<Reg> regs = new ArrayList<>();
        String list;
        Q domainVolume;
        int base;
        long inequalities;
        /** The domain's polytope, from which the piece check cuts a region's again. */
        Poly domain;

        Report finishRegions(JsonNode result) {
            if (result.path("activationRegions").asLong(-1) != regs.size() || !result.get("activationRegions").isIntegralNumber()) {
                throw new CertRejected("activationRegions is " + result.get("activationRegions") + " but " + regs.size() + " regions are listed", "activationRegions");
            }
            int pieces = pieces();
            if (result.path("affinePieces").asLong(-1) != pieces || !result.get("affinePieces").isIntegralNumber()) {
                throw new CertRejected("affinePieces is " + result.get("affinePieces") + " but the regions form " + pieces + " pieces", "affinePieces");
            }
            if (k == 1 && result.has("breakpoints")) {
                breakpoints(result.get("breakpoints"));
            }
            return new Report("regions", regs.size(), pieces, domainVolume.toString(), inequalities);
        }

        private int pieces() {
            Map<Integer, Integer> first = new HashMap<>();
            for (int i = 0; i < regs.size(); i++) {
                Integer f = first.putIfAbsent(regs.get(i).piece, i);
                if (f != null && !regs.get(f).map.equals(regs.get(i).map)) {
                    throw new CertRejected("its map differs from that of " + list + "[" + f + "], in the same affine piece", list + "[" + i + "].piece");
                }
            }
            int[] uf = new int[regs.size()];
            for (int i = 0; i < uf.length; i++) {
                uf[i] = i;
            }
            Map<Z, Integer> count = new HashMap<>();
            for (Reg g : regs) {
                count.merge(g.map, 1, Integer::sum);
            }
            Map<List<Z>, List<Integer>> byFacet = new HashMap<>();      // (map, hyperplane) -> regions
            for (int i = 0; i < regs.size(); i++) {
                if (count.get(regs.get(i).map) < 2) {
                    continue;                 // a map no other region has: no adjacency to find
                }
                for (Net.Ineq f : regs.get(i).ineqs) {
                    byFacet.computeIfAbsent(List.of(regs.get(i).map, f.form().primitive()), x -> new ArrayList<>()).add(i);
                }
            }
            for (int i = 0; i < regs.size(); i++) {
                if (count.get(regs.get(i).map) < 2) {
                    continue;
                }
                Set<Integer> done = new HashSet<>();
                Poly pi = null;                   // region i's closed polytope, cut again once it is needed
                for (Net.Ineq f : regs.get(i).ineqs) {
                    for (int j : byFacet.getOrDefault(List.of(regs.get(i).map, f.form().neg().primitive()), List.of())) {
                        if (j < i && done.add(j) && adjacent(pi = pi != null ? pi : polytope(regs.get(i)), regs.get(j))) {
                            if (regs.get(i).piece != regs.get(j).piece) {
                                throw new CertRejected("it shares a facet with " + list + "[" + j + "] and has the same map, but they are in different affine pieces",
                                        list + "[" + i + "].piece");
                            }
                            uf[find(uf, i)] = find(uf, j);
                        }
                    }
                }
            }
            Map<Integer, Integer> root = new HashMap<>();
            for (int i = 0; i < regs.size(); i++) {
                Integer r = root.putIfAbsent(regs.get(i).piece, find(uf, i));
                if (r != null && r != find(uf, i)) {
                    throw new CertRejected("affine piece " + regs.get(i).piece + " is not connected through shared facets", list + "[" + i + "].piece");
                }
            }
            return root.size();
        }

        private static int find(int[] uf, int i) {
            while (uf[i] != i) {
                uf[i] = uf[uf[i]];
                i = uf[i];
            }
            return i;
        }

        /** A region's closed polytope: the domain cut by its kept inequalities (all those tight at a vertex). */
        private Poly polytope(Reg a) {
            Poly p = domain;
            int idx = base;
            for (Net.Ineq g : a.ineqs) {
                p = p.cut(g.form(), idx++);
            }
            return p;
        }

        /** dim(C_a ∩ C_b) = k − 1 (pa: a's closed polytope): the closures share a facet of positive (k−1)-volume. */
        private boolean adjacent(Poly pa, Reg b) {
            Poly p = pa;
            int idx = Math.max(pa.h.length, base);          // fresh indices, past every one pa uses
            for (Net.Ineq g : b.ineqs) {
                p = p.cut(g.form(), idx++);
            }
            if (p.v.isEmpty()) {
                return false;
            }
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, p.v.size());
            return p.rank(all) >= k;
        }

        private void breakpoints(JsonNode claimed) {
            List<Reg> sorted = new ArrayList<>(regs);
            sorted.sort((x, y) -> lo(x).compareTo(lo(y)));
            List<Q> bp = new ArrayList<>();
            for (int i = 0; i + 1 < sorted.size(); i++) {
                if (!sorted.get(i).map.equals(sorted.get(i + 1).map)) {
                    bp.add(hi(sorted.get(i)));
                }
            }
            if (!claimed.isArray() || claimed.size() != bp.size()) {
                throw new CertRejected("the map changes at " + bp.size() + " points, " + claimed.size() + " breakpoints are listed", "breakpoints");
            }
            for (int i = 0; i < bp.size(); i++) {
                if (parse(claimed.get(i), "breakpoints[" + i + "]").compareTo(bp.get(i)) != 0) {
                    throw new CertRejected("the map changes at " + bp.get(i) + ", not here", "breakpoints[" + i + "]");
                }
            }
        }

        private static Q lo(Reg r) {
            return point(r.poly.v.get(0))[0].compareTo(point(r.poly.v.get(1))[0]) < 0 ? point(r.poly.v.get(0))[0] : point(r.poly.v.get(1))[0];
        }

        private static Q hi(Reg r) {
            return point(r.poly.v.get(0))[0].compareTo(point(r.poly.v.get(1))[0]) < 0 ? point(r.poly.v.get(1))[0] : point(r.poly.v.get(0))[0];
        }
    }

    static Q[] point(Z h) {
        Q[] p = new Q[h.size() - 1];
        for (int j = 0; j < p.length; j++) {
            p[j] = Q.of(h.get(j), h.get(p.length));
        }
        return p;
    }

    static Q parse(JsonNode n, String path) {
        if (n == null || !(n.isTextual() || n.isNumber())) {
            throw new CertRejected("an exact number is needed", path);
        }
        try {
            return n.isTextual() ? Q.parse(n.asText()) : Q.of(n.decimalValue());
        } catch (RuntimeException e) {
            throw new CertRejected("not an exact number: " + n, path);
        }
    }

    static Q[] vector(JsonNode n, int len, String path) {
        if (n == null || !n.isArray() || n.size() != len) {
            throw new CertRejected("a vector of " + len + " exact numbers is needed", path);
        }
        Q[] out = new Q[len];
        for (int i = 0; i < len; i++) {
            try {
                out[i] = parse(n.get(i), null);
            } catch (CertRejected e) {
                throw new CertRejected(e.getMessage(), path + "[" + i + "]");
            }
        }
        return out;
    }

    /** A listed point (at path[index], or path if index &lt; 0) in homogeneous integer coordinates, not necessarily primitive: p/q read directly, (x·Πq, Πq), else {@link #homogeneous}. */
    static Z point(JsonNode n, int k, String path, int index) {
        if (n != null && n.isArray() && n.size() == k) {
            try {
                long[] h = new long[k + 1];
                h[k] = 1;
                for (int j = 0; j < k && h != null; j++) {
                    long[] pq = n.get(j).isTextual() ? Q.small(n.get(j).asText()) : null;
                    if (pq == null) {
                        h = null;
                        break;
                    }
                    for (int i = 0; i < j; i++) {
                        h[i] = Math.multiplyExact(h[i], pq[1]);
                    }
                    h[j] = Math.multiplyExact(pq[0], h[k]);
                    h[k] = Math.multiplyExact(h[k], pq[1]);
                }
                if (h != null) {
                    return new Z(h);
                }
            } catch (ArithmeticException e) {
                // too large for longs
            }
        }
        return homogeneous(vector(n, k, index < 0 ? path : path + "[" + index + "]"));
    }

    /** Homogeneous integer coordinates (x·w, w) of a rational point, w the lcm of the denominators (so primitive). */
    static Z homogeneous(Q[] x) {
        BigInteger w = BigInteger.ONE;
        for (Q q : x) {
            w = Net.lcm(w, q.d());
        }
        BigInteger[] h = new BigInteger[x.length + 1];
        for (int j = 0; j < x.length; j++) {
            h[j] = x[j].n().multiply(w.divide(x[j].d()));
        }
        h[x.length] = w;
        return Z.of(h);
    }

    static Q[] rationals(String text, String where) {
        try {
            return Arrays.stream(text.split(",", -1)).map(Q::parse).toArray(Q[]::new);
        } catch (RuntimeException e) {
            throw new CertRejected("not a list of exact numbers: " + text, where);
        }
    }

    /** Derives and checks every listed region (witness, map, distinct patterns, coverage). */
    static Run run(Net net, JsonNode regions, String list, DomainSpec dom, boolean pieces) {
        if (regions == null || !regions.isArray()) {
            throw new CertRejected("the result lists no regions", list);
        }
        return run(net, regions.elements(), regions, list, dom, pieces);
    }

    static Run run(Net net, java.util.Iterator<JsonNode> regions, String list, DomainSpec dom, boolean pieces) {
        return run(net, regions, null, list, dom, pieces);
    }

    /** Region sets of at least this many regions, listed whole, are checked in parallel runs (the machine's processors, at most PARALLEL_MAX); tests lower it. */
    static volatile int parallelFrom = 4096;
    static final int PARALLEL_MAX = 8;
    /** How many region sets the parallel runs have accepted (for tests: that the path ran). */
    static final java.util.concurrent.atomic.AtomicLong PARALLEL_ACCEPTED = new java.util.concurrent.atomic.AtomicLong();

    private static Run run(Net net, java.util.Iterator<JsonNode> regions, JsonNode array, String list, DomainSpec dom, boolean pieces) {
        int n = net.inputSize;
        Q[] origin = null;
        Q[][] dirs = null;
        if (dom.slice() != null) {
            String[] parts = dom.slice().split(";", -1);
            origin = rationals(parts[0], "--slice");
            dirs = new Q[parts.length - 1][];
            for (int i = 1; i < parts.length; i++) {
                dirs[i - 1] = rationals(parts[i], "--slice");
            }
            for (Q[] d : dirs) {
                if (d.length != n || origin.length != n) {
                    throw new CertRejected("slice vectors need " + n + " entries", "--slice");
                }
            }
        }
        int k = dirs == null ? n : dirs.length;
        if (k > MAX_VARIABLES) {
            throw new CertRejected("coverage is proven by exact volumes in at most " + MAX_VARIABLES + " variables; this domain has " + k + " (certify a --slice)", null);
        }
        // the domain: inequalities 0..2k−1 a box (the domain's, or a far box that must stay slack), then the polytope's
        List<Z> domCons = new ArrayList<>();
        Poly poly;
        if ((dom.box() == null) == (dom.polytope() == null)) {
            throw new CertRejected("give the domain: a box or a polytope", "--box");
        }
        if (dom.box() != null) {
            Q[] b = rationals(dom.box(), "--box");
            if (b.length != 2 && b.length != 2 * k) {
                throw new CertRejected("--box needs 2 or " + 2 * k + " numbers", "--box");
            }
            Q[] lo = new Q[k];
            Q[] hi = new Q[k];
            for (int j = 0; j < k; j++) {
                lo[j] = b.length == 2 ? b[0] : b[2 * j];
                hi[j] = b.length == 2 ? b[1] : b[2 * j + 1];
            }
            poly = Poly.box(lo, hi);
            domCons.addAll(Arrays.asList(poly.h));
        } else {
            Q far = Q.of(BigInteger.TEN.pow(30), BigInteger.ONE);
            Q[] lo = new Q[k];
            Q[] hi = new Q[k];
            Arrays.fill(lo, far.neg());
            Arrays.fill(hi, far);
            poly = Poly.box(lo, hi);
            JsonNode p;
            try {
                p = Net.JSON.readTree(dom.polytope().toFile());
            } catch (IOException e) {
                throw new CertRejected("the polytope file cannot be read", "--polytope");
            }
            JsonNode a = p.path("A");
            for (int i = 0; i < a.size(); i++) {
                Q[] row = vector(a.get(i), k, "A[" + i + "]");
                Q[] f = new Q[k + 1];
                for (int j = 0; j < k; j++) {
                    f[j] = row[j].neg();
                }
                f[k] = parse(p.path("b").get(i), "b[" + i + "]");
                Z h = Z.of(Arrays.copyOf(homogeneous(f).big(), k + 1));     // b − a·u ≥ 0, scaled to integers
                domCons.add(h);
                poly = poly.cut(h, 2 * k + i);
            }
            for (java.util.BitSet z : poly.t) {
                if (z.nextSetBit(0) >= 0 && z.nextSetBit(0) < 2 * k) {
                    throw new CertRejected("the polytope is unbounded (or reaches beyond 10^30)", "--polytope");
                }
            }
        }
        Run run = new Run();
        run.k = k;
        run.list = list;
        run.base = 2 * k + (dom.box() != null ? 0 : domCons.size());
        run.domainVolume = poly.volume();
        run.domain = poly;
        if (run.domainVolume.signum() <= 0) {
            throw new CertRejected("the domain has an empty interior", dom.box() != null ? "--box" : "--polytope");
        }
        // the model input as affine forms of u
        Z[] in = new Z[n];
        BigInteger den = BigInteger.ONE;
        if (dirs != null) {
            for (int i = 0; i < n; i++) {
                den = Net.lcm(den, origin[i].d());
                for (Q[] d : dirs) {
                    den = Net.lcm(den, d[i].d());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            BigInteger[] f = new BigInteger[k + 1];
            for (int j = 0; j < k; j++) {
                Q c = dirs == null ? (i == j ? Q.ONE : Q.ZERO) : dirs[j][i];
                f[j] = c.n().multiply(den.divide(c.d()));
            }
            f[k] = dirs == null ? BigInteger.ZERO : origin[i].n().multiply(den.divide(origin[i].d()));
            in[i] = Z.of(f);
        }
        RegionWalker[] walkers = null;
        int threads = Math.min(PARALLEL_MAX, Runtime.getRuntime().availableProcessors());
        boolean inParallel = array != null && array.size() >= parallelFrom && threads > 1;
        if (inParallel) {
            walkers = RegionWalker.parallel(net, run, poly, domCons, in, den, origin, dirs, pieces, array, threads);
        }
        if (walkers == null) {              // in order, one walker (also after a parallel rejection: the first failure's own message)
            RegionWalker one = new RegionWalker(net, run, poly, domCons, in, den, origin, dirs, pieces);
            for (int r = 0; regions.hasNext(); r++) {
                one.region(regions.next(), r);
            }
            if (inParallel) {
                throw new IllegalStateException("the parallel check rejected a region set that the check in order accepts");
            }
            walkers = new RegionWalker[]{one};
        }
        Q total = Q.ZERO;
        Poly.Edges edges = new Poly.Edges();
        for (RegionWalker wk : walkers) {
            run.regs.addAll(wk.regs);
            run.inequalities += wk.inequalities;
            total = total.add(wk.total);
            edges.addAll(wk.edges);
        }
        if (k == 2) {
            total = edges.area();
        }
        if (total.compareTo(run.domainVolume) != 0) {
            throw new CertRejected("the regions' exact volumes sum to " + total + ", the domain's volume is " + run.domainVolume
                    + (total.compareTo(run.domainVolume) < 0 ? ": regions are missing" : ""), list);
        }
        return run;
    }

    static void checkMap(JsonNode reg, Net.Vec out, int k, String at) {
        JsonNode a = reg.get("A");
        int m = out.n().length;
        if (a == null || !a.isArray() || a.size() != m) {
            throw new CertRejected("A needs " + m + " rows (the network's outputs)", at + ".A");
        }
        JsonNode b = reg.get("b");
        if (b == null || !b.isArray() || b.size() != m) {
            vector(b, m, at + ".b");
        }
        for (int i = 0; i < m; i++) {
            if (!a.get(i).isArray() || a.get(i).size() != k) {
                vector(a.get(i), k, at + ".A[" + i + "]");
            }
            for (int j = 0; j <= k; j++) {
                JsonNode c = j < k ? a.get(i).get(j) : b.get(i);
                long[] pq = c.isTextual() ? Q.small(c.asText()) : null;
                Z row = out.n()[i];
                try {
                    if (pq != null && row.l != null && out.d().bitLength() < 64
                            && Math.multiplyExact(pq[0], out.d().longValue()) == Math.multiplyExact(row.l[j], pq[1])) {
                        continue;           // p/q = n/d, in longs
                    }
                } catch (ArithmeticException e) {
                    // compared below
                }
                Q claimed = parse(c, at + (j < k ? ".A[" + i + "][" + j + "]" : ".b[" + i + "]"));
                if (!claimed.is(row.get(j), out.d())) {
                    throw new CertRejected("the network's exact map on this pattern has " + Q.of(out.n()[i].get(j), out.d()) + " here, not " + claimed,
                            at + (j < k ? ".A[" + i + "][" + j + "]" : ".b[" + i + "]"));
                }
            }
        }
    }

    static void checkVertices(JsonNode vs, List<Z> mine, int k, String at) {
        List<Z> theirs = new ArrayList<>();
        for (int i = 0; vs.isArray() && i < vs.size(); i++) {
            Z h = point(vs.get(i), k, at, i).primitive();
            if (!mine.contains(h) || theirs.contains(h)) {
                break;
            }
            theirs.add(h);
        }
        if (theirs.size() != mine.size() || vs.size() != mine.size()) {      // distinct, all mine, as many: the same set
            throw new CertRejected("the listed vertices are not the region's exact vertices", at);
        }
    }
}
