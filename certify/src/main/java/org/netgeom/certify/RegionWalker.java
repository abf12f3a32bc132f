package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-region checks (1)–(3) over a run of consecutive regions, with the work shared between a region and
 * the one before (the ops whose units all lie in the common pattern prefix, and the cuts by the inequalities of
 * those units). Its own copies of the domain's polytope, constraints and input forms, so that walkers over
 * different runs share no mutable object (a Z caches its BigInteger form, negation and primitive form).
 */
final class RegionWalker {
    final Net net;
    final Certifier.Run run;
    final String list;
    final int k;
    final int n;
    final int ops;
    final Q[] origin;
    final Q[][] dirs;
    final List<Z> domCons;
    final boolean pieces;
    final Net.Vec[] vecAt;
    final int[] posAt;
    final int[] ineqAt;
    final List<Poly> cuts;          // cuts[q]: the domain cut by the first q inequalities
    List<Net.Ineq> prefix = new ArrayList<>();
    char[] prev = {};
    boolean first = true;
    final Map<String, Integer> seen = new HashMap<>();
    Q total = Q.ZERO;
    final Poly.Edges edges = new Poly.Edges();
    final List<Certifier.Reg> regs = new ArrayList<>();
    long inequalities;

    RegionWalker(Net net, Certifier.Run run, Poly domain, List<Z> domCons, Z[] in, BigInteger den, Q[] origin, Q[][] dirs, boolean pieces) {
        this.net = net;
        this.run = run;
        this.list = run.list;
        this.k = run.k;
        this.n = net.inputSize;
        this.ops = net.ops.size();
        this.origin = origin;
        this.dirs = dirs;
        this.pieces = pieces;
        this.domCons = new ArrayList<>();
        for (Z c : domCons) {
            this.domCons.add(copy(c));
        }
        Z[] h = new Z[domain.h.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = domain.h[i] == null ? null : copy(domain.h[i]);
        }
        List<Z> v = new ArrayList<>();
        for (Z z : domain.v) {
            v.add(copy(z));
        }
        this.cuts = new ArrayList<>(List.of(new Poly(k, v, domain.t, h)));
        Z[] inCopy = new Z[in.length];
        for (int i = 0; i < in.length; i++) {
            inCopy[i] = copy(in[i]);
        }
        vecAt = new Net.Vec[ops + 1];
        posAt = new int[ops + 1];
        ineqAt = new int[ops + 1];
        vecAt[0] = new Net.Vec(inCopy, den);
    }

    private static Z copy(Z z) {
        return z.l != null ? new Z(z.l.clone()) : Z.of(z.big().clone());
    }

    /** Checks region r (its index in the whole list). */
    void region(JsonNode reg, int r) {
        String at = list + "[" + r + "]";
        String pattern = reg.path("pattern").asText(null);
        if (pattern == null) {
            throw new CertRejected("a region needs its pattern", at + ".pattern");
        }
        Integer dup = seen.put(pattern, r);
        if (dup != null) {
            throw new CertRejected("the pattern repeats that of " + list + "[" + dup + "]", at + ".pattern");
        }
        char[] chars = pattern.toCharArray();
        int common = Arrays.mismatch(prev, chars);
        common = common < 0 ? chars.length : common;
        int t0 = 0;
        while (!first && t0 < ops && posAt[t0 + 1] <= common) {
            t0++;
        }
        Net.Walk w = new Net.Walk(pattern);
        w.pos = posAt[t0];
        w.ineqs.addAll(prefix.subList(0, ineqAt[t0]));
        try {
            Net.Vec before = vecAt[t0];
            for (int t = t0; t < ops; t++) {
                Net.Vec was = vecAt[t + 1];
                vecAt[t + 1] = first ? Net.step(net.ops.get(t), vecAt[t], w) : Net.step(net.ops.get(t), vecAt[t], w, before, was);
                before = was;
                posAt[t + 1] = w.pos;
                ineqAt[t + 1] = w.ineqs.size();
            }
        } catch (CertRejected e) {
            throw e.under(at);
        }
        int q0 = 0;
        while (q0 + 1 < cuts.size() && q0 < w.ineqs.size() && w.ineqs.get(q0).unit() < common) {
            q0++;
        }
        cuts.subList(q0 + 1, cuts.size()).clear();
        for (int q = q0; q < w.ineqs.size(); q++) {
            cuts.add(cuts.get(q).cut(w.ineqs.get(q).form(), run.base + q));
        }
        prefix = w.ineqs;
        prev = chars;
        if (w.pos != pattern.length()) {
            throw new CertRejected("the pattern has " + pattern.length() + " characters, the network " + w.pos + " units", at + ".pattern");
        }
        Z x = Certifier.point(reg.get("witness"), k, at + ".witness", -1);
        Poly p = cuts.get(cuts.size() - 1);
        if (!p.interior(x)) {           // else x is strictly inside every inequality: they are non-negative on p
            for (Z c : domCons) {
                if (Z.dotSign(c, x) <= 0) {
                    throw new CertRejected("the witness is not strictly inside the domain", at + ".witness");
                }
            }
            for (Net.Ineq q : w.ineqs) {
                if (Z.dotSign(q.form(), x) <= 0) {
                    throw new CertRejected("the witness is not strictly inside the region: at the witness unit " + q.unit()
                            + " does not have the sign (or max-pool winner) the pattern states", at + ".witness");
                }
            }
        }
        inequalities += w.ineqs.size();
        Net.Vec out = vecAt[ops];
        Net.Vec canon = Net.reduce(out.n(), out.d());
        Certifier.checkMap(reg, canon, k, at);
        List<Z> vs = new ArrayList<>(p.v.size());          // p has interior: the witness is strictly inside
        for (Z z : p.v) {
            vs.add(z.primitive());
        }
        if (k == 2) {
            edges.add(vs);
        } else {
            total = total.add(p.volume());
        }
        if (reg.has("vertices")) {
            Certifier.checkVertices(reg.get("vertices"), vs, k, at + ".vertices");
        }
        if (dirs != null && reg.has("input")) {
            Q[] u = Certifier.point(x);
            Q[] xin = Certifier.vector(reg.get("input"), n, at + ".input");
            for (int i = 0; i < n; i++) {
                Q s = origin[i];
                for (int j = 0; j < k; j++) {
                    s = s.add(dirs[j][i].mul(u[j]));
                }
                if (s.compareTo(xin[i]) != 0) {
                    throw new CertRejected("input is not ORIGIN + U·witness", at + ".input[" + i + "]");
                }
            }
        }
        int piece = pieces ? reg.path("piece").asInt(-1) : 0;
        if (pieces && !reg.path("piece").isIntegralNumber()) {
            throw new CertRejected("a region needs its piece", at + ".piece");
        }
        Z map = Z.concat(canon.n(), canon.d());
        // kept for the piece check: only the inequalities tight at a vertex of the closed region (a shared facet
        // lies on one of them, and they cut out the same polytope), not one per unit of the network
        java.util.BitSet tight = new java.util.BitSet();
        for (java.util.BitSet z : p.t) {
            tight.or(z);
        }
        List<Net.Ineq> kept = new ArrayList<>();
        for (int q = 0; q < w.ineqs.size(); q++) {
            if (tight.get(run.base + q)) {
                kept.add(w.ineqs.get(q));
            }
        }
        regs.add(new Certifier.Reg(pattern, k == 1 ? p : null, kept, map, canon.n(), canon.d(), piece));
        first = false;
    }

    /**
     * The regions of {@code array} in {@code threads} consecutive runs, each checked by its own walker on its own
     * thread; null when a run rejects a region or a pattern occurs in two runs (then the caller checks in order).
     * Every check is the same as in order: a region's checks do not depend on which region came before it (that
     * only decides which work is shared), and distinctness is checked across the runs here.
     */
    static RegionWalker[] parallel(Net net, Certifier.Run run, Poly poly, List<Z> domCons, Z[] in, BigInteger den, Q[] origin, Q[][] dirs,
            boolean pieces, JsonNode array, int threads) {
        int size = array.size();
        RegionWalker[] walkers = new RegionWalker[threads];
        Thread[] ts = new Thread[threads];
        boolean[] failed = new boolean[threads];
        Throwable[] defect = new Throwable[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) size * t / threads);
            int to = (int) ((long) size * (t + 1) / threads);
            RegionWalker wk = new RegionWalker(net, run, poly, domCons, in, den, origin, dirs, pieces);
            walkers[t] = wk;
            int slot = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int r = from; r < to; r++) {
                        wk.region(array.get(r), r);
                    }
                } catch (CertRejected e) {
                    failed[slot] = true;
                } catch (Throwable e) {
                    defect[slot] = e;
                }
            }, "netgeom-certify-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        for (int t = 0; t < threads; t++) {
            if (defect[t] instanceof RuntimeException e) {
                throw e;
            } else if (defect[t] instanceof Error e) {
                throw e;
            } else if (failed[t]) {
                return null;
            }
        }
        Map<String, Integer> seen = walkers[0].seen;
        for (int t = 1; t < threads; t++) {
            for (Map.Entry<String, Integer> e : walkers[t].seen.entrySet()) {
                if (seen.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    return null;
                }
            }
            walkers[t].seen.clear();
        }
        Certifier.PARALLEL_ACCEPTED.incrementAndGet();
        return walkers;
    }
}
