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
    /** What was certified. */
    public record Report(String kind, int regions, int affinePieces, String domainVolume, long inequalities) {
    }

    /** The largest number of variables whose coverage can be proven by exact volumes. */
    public static final int MAX_VARIABLES = 6;

    private Certifier() {
    }

    public static Report certify(Path model, JsonNode result, DomainSpec domain) {
        return certify(model, result, domain, Map.of());
    }

    /** Detects the kind of result ("regions", "lipschitz" or "loss-line") and certifies it, or throws {@link CertRejected}. */
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
        if (result.has("activationRegions") && result.get("regions") != null && result.get("regions").isArray()) {
            Run r = run(net, result.get("regions"), "regions", domain, true);
            return r.finishRegions(result);
        }
        if (result.has("lipschitz")) {
            return Lipschitz.check(result, run(net, result.path("evidence").path("regions"), "evidence.regions", domain, false));
        }
        throw new CertRejected("not a result netgeom-certify knows (regions --json, perturb --lipschitz --json, loss-surface --line --json)", null);
    }

    /** One region as the checker derived it. */
    record Reg(String pattern, Poly poly, List<BigInteger[]> ineqs, String map, BigInteger[][] a, BigInteger den, int piece, Q volume) {
    }

    /** The regions of a result, each re-derived and checked (1)–(3). */
    static final class Run {
        int k;
        final List<Reg> regs = new ArrayList<>();
        String list;
        Q domainVolume;
        int base;
        long inequalities;

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
            Map<String, Integer> mapId = new HashMap<>();
            Map<String, Integer> count = new HashMap<>();
            for (Reg g : regs) {
                mapId.putIfAbsent(g.map, mapId.size());
                count.merge(g.map, 1, Integer::sum);
            }
            Map<String, List<Integer>> byFacet = new HashMap<>();
            for (int i = 0; i < regs.size(); i++) {
                if (count.get(regs.get(i).map) < 2) {
                    continue;                 // a map no other region has: no adjacency to find
                }
                for (BigInteger[] f : regs.get(i).ineqs) {
                    byFacet.computeIfAbsent(mapId.get(regs.get(i).map) + "#" + primitive(f, false), x -> new ArrayList<>()).add(i);
                }
            }
            for (int i = 0; i < regs.size(); i++) {
                if (count.get(regs.get(i).map) < 2) {
                    continue;
                }
                Set<Integer> done = new HashSet<>();
                for (BigInteger[] f : regs.get(i).ineqs) {
                    for (int j : byFacet.getOrDefault(mapId.get(regs.get(i).map) + "#" + primitive(f, true), List.of())) {
                        if (j < i && done.add(j) && adjacent(regs.get(i), regs.get(j))) {
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

        /** dim(C_i ∩ C_j) = k − 1: the closures share a facet of positive (k−1)-volume. */
        private boolean adjacent(Reg a, Reg b) {
            Poly p = a.poly;
            int idx = base + a.ineqs.size();
            for (BigInteger[] g : b.ineqs) {
                p = p.cut(g, idx++);
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

    /** A form scaled to its primitive integer vector (negated first if asked): the hyperplane's key. */
    static String primitive(BigInteger[] f, boolean negate) {
        BigInteger g = BigInteger.ZERO;
        for (BigInteger x : f) {
            g = g.gcd(x);
        }
        StringBuilder sb = new StringBuilder();
        for (BigInteger x : f) {
            sb.append(negate ? x.negate().divide(g) : x.divide(g)).append(',');
        }
        return sb.toString();
    }

    static Q[] point(BigInteger[] h) {
        Q[] p = new Q[h.length - 1];
        for (int j = 0; j < p.length; j++) {
            p[j] = Q.of(h[j], h[h.length - 1]);
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
            out[i] = parse(n.get(i), path + "[" + i + "]");
        }
        return out;
    }

    /** Homogeneous integer coordinates (x·w, w) of a rational point. */
    static BigInteger[] homogeneous(Q[] x) {
        BigInteger w = BigInteger.ONE;
        for (Q q : x) {
            w = Net.lcm(w, q.d());
        }
        BigInteger[] h = new BigInteger[x.length + 1];
        for (int j = 0; j < x.length; j++) {
            h[j] = x[j].n().multiply(w.divide(x[j].d()));
        }
        h[x.length] = w;
        return h;
    }

    private static Q[] rationals(String text, String where) {
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
        List<BigInteger[]> domCons = new ArrayList<>();
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
                domCons.add(unit(k, j, lo[j], true));
                domCons.add(unit(k, j, hi[j], false));
            }
            poly = Poly.box(lo, hi);
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
                BigInteger[] h = homogeneous(f);
                h = Arrays.copyOf(h, k + 1);          // b − a·u ≥ 0, scaled to integers
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
        if (run.domainVolume.signum() <= 0) {
            throw new CertRejected("the domain has an empty interior", dom.box() != null ? "--box" : "--polytope");
        }
        // the model input as affine forms of u
        BigInteger[][] in = new BigInteger[n][];
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
            in[i] = new BigInteger[k + 1];
            for (int j = 0; j < k; j++) {
                Q c = dirs == null ? (i == j ? Q.ONE : Q.ZERO) : dirs[j][i];
                in[i][j] = c.n().multiply(den.divide(c.d()));
            }
            in[i][k] = dirs == null ? BigInteger.ZERO : origin[i].n().multiply(den.divide(origin[i].d()));
        }
        // distinct patterns first (sequentially), then the regions in chunks on all cores: each
        // chunk walks its regions in the order listed, re-deriving a region only from where its
        // pattern departs from the previous one's (a pure speed-up; every region is checked whole)
        Map<String, Integer> seen = new HashMap<>();
        for (int r = 0; r < regions.size(); r++) {
            String pattern = regions.get(r).path("pattern").asText(null);
            if (pattern == null) {
                throw new CertRejected("a region needs its pattern", list + "[" + r + "].pattern");
            }
            Integer dup = seen.put(pattern, r);
            if (dup != null) {
                throw new CertRejected("the pattern repeats that of " + list + "[" + dup + "]", list + "[" + r + "].pattern");
            }
        }
        seen = null;
        Ctx ctx = new Ctx(net, regions, list, k, n, domCons, run.base, new Net.Vec(in, den), poly, origin, dirs, pieces);
        int count = regions.size();
        int chunk = 256;
        int chunks = (count + chunk - 1) / chunk;
        Chunk[] done = new Chunk[chunks];
        java.util.stream.IntStream.range(0, chunks).parallel()
                .forEach(c -> done[c] = chunk(ctx, c * chunk, Math.min(count, (c + 1) * chunk)));
        List<Q> vols = new ArrayList<>(chunks);
        for (Chunk c : done) {
            run.regs.addAll(c.regs);
            run.inequalities += c.inequalities;
            vols.add(c.volume);
        }
        Q total = sum(vols);
        if (total.compareTo(run.domainVolume) != 0) {
            throw new CertRejected("the regions' exact volumes sum to " + total + ", the domain's volume is " + run.domainVolume
                    + (total.compareTo(run.domainVolume) < 0 ? ": regions are missing" : ""), list);
        }
        return run;
    }

    private record Ctx(Net net, JsonNode regions, String list, int k, int n, List<BigInteger[]> domCons, int base, Net.Vec input,
                       Poly poly, Q[] origin, Q[][] dirs, boolean pieces) {
    }

    /** The exact sum, added pairwise (operands of balanced size: far fewer large gcds than a running sum). */
    static Q sum(List<Q> xs) {
        if (xs.isEmpty()) {
            return Q.ZERO;
        }
        List<Q> cur = xs;
        while (cur.size() > 1) {
            List<Q> next = new ArrayList<>((cur.size() + 1) / 2);
            for (int i = 0; i + 1 < cur.size(); i += 2) {
                next.add(cur.get(i).add(cur.get(i + 1)));
            }
            if (cur.size() % 2 == 1) {
                next.add(cur.get(cur.size() - 1));
            }
            cur = next;
        }
        return cur.get(0);
    }

    private record Chunk(List<Reg> regs, Q volume, long inequalities) {
    }

    /** Checks regions [from, to) (1)–(3), except the distinctness of patterns. */
    private static Chunk chunk(Ctx cx, int from, int to) {
        int k = cx.k;
        int ops = cx.net.ops.size();
        Net.Vec[] vecAt = new Net.Vec[ops + 1];
        Poly[] polyAt = new Poly[ops + 1];
        int[] posAt = new int[ops + 1];
        int[] ineqAt = new int[ops + 1];
        vecAt[0] = cx.input;
        polyAt[0] = cx.poly;
        List<Net.Ineq> prefix = new ArrayList<>();
        String prev = "";
        List<Q> vols = new ArrayList<>(to - from);
        long inequalities = 0;
        List<Reg> regs = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            String at = cx.list + "[" + r + "]";
            JsonNode reg = cx.regions.get(r);
            String pattern = reg.path("pattern").asText(null);
            int common = 0;
            while (common < Math.min(prev.length(), pattern.length()) && prev.charAt(common) == pattern.charAt(common)) {
                common++;
            }
            int t0 = 0;
            while (r > from && t0 < ops && posAt[t0 + 1] <= common) {
                t0++;
            }
            Net.Walk w = new Net.Walk(pattern);
            w.pos = posAt[t0];
            w.ineqs.addAll(prefix.subList(0, ineqAt[t0]));
            try {
                for (int t = t0; t < ops; t++) {
                    vecAt[t + 1] = Net.step(cx.net.ops.get(t), vecAt[t], w);
                    Poly p = polyAt[t];
                    for (int q = ineqAt[t]; q < w.ineqs.size(); q++) {
                        p = p.cut(w.ineqs.get(q).form(), cx.base + q);
                    }
                    polyAt[t + 1] = p;
                    posAt[t + 1] = w.pos;
                    ineqAt[t + 1] = w.ineqs.size();
                }
            } catch (CertRejected e) {
                throw e.under(at);
            }
            prefix = w.ineqs;
            prev = pattern;
            if (w.pos != pattern.length()) {
                throw new CertRejected("the pattern has " + pattern.length() + " characters, the network " + w.pos + " units", at + ".pattern");
            }
            BigInteger[] x = homogeneous(vector(reg.get("witness"), k, at + ".witness"));
            for (BigInteger[] c : cx.domCons) {
                if (Poly.sign(c, x) <= 0) {
                    throw new CertRejected("the witness is not strictly inside the domain", at + ".witness");
                }
            }
            double[] xd = Poly.doubles(x);
            for (Net.Ineq q : w.ineqs) {
                int sg = Poly.filteredSign(Poly.doubles(q.form()), xd);
                if ((sg != 0 ? sg : Poly.dot(q.form(), x).signum()) <= 0) {
                    throw new CertRejected("the witness is not strictly inside the region: at the witness unit " + q.unit()
                            + " does not have the sign (or max-pool winner) the pattern states", at + ".witness");
                }
            }
            inequalities += w.ineqs.size();
            Net.Vec out = vecAt[ops];
            Net.Vec canon = Net.reduce(Arrays.stream(out.n()).map(BigInteger[]::clone).toArray(BigInteger[][]::new), out.d());
            checkMap(reg, canon, k, at);
            Poly p = polyAt[ops];
            Q vol = p.volume();
            if (vol.signum() <= 0) {
                throw new CertRejected("the region's polytope has no interior", at);
            }
            vols.add(vol);
            if (reg.has("vertices")) {
                checkVertices(reg.get("vertices"), p, k, at + ".vertices");
            }
            if (cx.dirs != null && reg.has("input")) {
                Q[] u = point(x);
                Q[] xin = vector(reg.get("input"), cx.n, at + ".input");
                for (int i = 0; i < cx.n; i++) {
                    Q s = cx.origin[i];
                    for (int j = 0; j < k; j++) {
                        s = s.add(cx.dirs[j][i].mul(u[j]));
                    }
                    if (s.compareTo(xin[i]) != 0) {
                        throw new CertRejected("input is not ORIGIN + U·witness", at + ".input[" + i + "]");
                    }
                }
            }
            int piece = cx.pieces ? reg.path("piece").asInt(-1) : 0;
            if (cx.pieces && !reg.path("piece").isIntegralNumber()) {
                throw new CertRejected("a region needs its piece", at + ".piece");
            }
            List<BigInteger[]> forms = w.ineqs.stream().map(Net.Ineq::form).toList();
            regs.add(new Reg(pattern, p, forms, Arrays.deepToString(canon.n()) + "/" + canon.d(), canon.n(), canon.d(), piece, vol));
        }
        return new Chunk(regs, sum(vols), inequalities);
    }

    /** u_j − lo ≥ 0 (lower) or hi − u_j ≥ 0, as integer forms. */
    private static BigInteger[] unit(int k, int j, Q c, boolean lower) {
        BigInteger[] h = new BigInteger[k + 1];
        Arrays.fill(h, BigInteger.ZERO);
        h[j] = lower ? c.d() : c.d().negate();
        h[k] = lower ? c.n().negate() : c.n();
        return h;
    }

    private static void checkMap(JsonNode reg, Net.Vec out, int k, String at) {
        JsonNode a = reg.get("A");
        int m = out.n().length;
        if (a == null || !a.isArray() || a.size() != m) {
            throw new CertRejected("A needs " + m + " rows (the network's outputs)", at + ".A");
        }
        Q[] b = vector(reg.get("b"), m, at + ".b");
        for (int i = 0; i < m; i++) {
            Q[] row = vector(a.get(i), k, at + ".A[" + i + "]");
            for (int j = 0; j <= k; j++) {
                Q claimed = j < k ? row[j] : b[i];
                if (claimed.compareTo(Q.of(out.n()[i][j], out.d())) != 0) {
                    throw new CertRejected("the network's exact map on this pattern has " + Q.of(out.n()[i][j], out.d()) + " here, not " + claimed,
                            at + (j < k ? ".A[" + i + "][" + j + "]" : ".b[" + i + "]"));
                }
            }
        }
    }

    private static void checkVertices(JsonNode vs, Poly p, int k, String at) {
        // the listed vertices must be exactly the polytope's vertex set (no repeats): each listed
        // point q equals the homogeneous vertex h iff q_j·h_k = h_j for all j (q_j = n_j/d_j: n_j·h_k = h_j·d_j)
        if (!vs.isArray() || vs.size() != p.v.size()) {
            throw new CertRejected("the listed vertices are not the region's exact vertices", at);
        }
        boolean[] used = new boolean[p.v.size()];
        for (int i = 0; i < vs.size(); i++) {
            Q[] q = vector(vs.get(i), k, at + "[" + i + "]");
            boolean found = false;
            for (int c = 0; c < used.length && !found; c++) {
                if (used[c]) {
                    continue;
                }
                BigInteger[] h = p.v.get(c);
                boolean eq = true;
                for (int j = 0; j < k && eq; j++) {
                    eq = q[j].n().multiply(h[k]).equals(h[j].multiply(q[j].d()));
                }
                if (eq) {
                    used[c] = true;
                    found = true;
                }
            }
            if (!found) {
                throw new CertRejected("the listed vertices are not the region's exact vertices", at);
            }
        }
    }
}
