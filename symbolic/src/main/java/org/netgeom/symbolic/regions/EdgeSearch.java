package org.netgeom.symbolic.regions;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The untrusted search of the edge strategy: edge subdivision of the polyhedral complex of a
 * piecewise-linear network (Berzins 2023, "Polyhedral complex extraction from ReLU networks using
 * edge subdivision", ICML), in any input dimension, on a box.
 *
 * <p>The complex is kept as global vertices (float64 coordinates, the set Z(v) of hyperplanes
 * through v: box facets and units) and regions (their vertex lists and the signs decided so
 * far). Units are added one at a time in evaluation order. All units of one activation layer are
 * affine on every region of the complex of the layers before, so a layer's pre-activations are
 * evaluated at all vertices at once (batched, both cores) and interpolated linearly at the
 * vertices created inside the layer. A unit j splits a region R when R has vertices of strictly
 * opposite signs; the new vertices are the zeros on R's edges {a, b} with z_j(a) &gt; 0 &gt;
 * z_j(b), where {a, b} is an edge of R iff no third vertex c of R has Z(c) ⊇ Z(a) ∩ Z(b) (the
 * combinatorial adjacency test of the double description method, Fukuda &amp; Prodon 1996, which
 * holds for degenerate polytopes). A vertex is shared by every region it bounds: neighbours
 * splitting the same edge get the same vertex, and a vertex's sign is decided once.
 *
 * <p>Sign decisions: a float64 value whose magnitude exceeds 10⁻⁹ of the layer's values at the
 * vertex is taken as it is; otherwise the vertex gets exact rational coordinates (exact
 * interpolation along the edge it was created on, recursively) and the sign is decided by the
 * exact forward pass. The search stays untrusted: {@link EdgeRegions} derives every output
 * exactly and re-checks it.
 */
final class EdgeSearch {

    /** A region under construction: its vertices and its pattern bits (1 = '1'). */
    static final class Reg {
        int[] v;
        final long[] bits;
        int[][] cross;      // scratch: the edges to split by the current unit

        Reg(int[] v, long[] bits) {
            this.v = v;
            this.bits = bits;
        }
    }

    final int n;
    final PointEvaluator ev;
    final int units;
    private final Rational[] lo;
    private final Rational[] hi;
    private final Progress progress;
    private final long budget;
    // vertices
    int nv;
    double[] x;
    int[][] zs;
    int[] pa;
    int[] pb;
    int[] ph;
    Rational[][] ex;
    /** A proven bound on the max-norm distance of the float coordinates from the exact vertex. */
    double[] exv;
    // the current block
    private int blk = -1;
    private int w;
    private double[] z;
    private byte[] sg;
    private double[] mag;
    /** A proven bound on |z̃ − z| over the current block's units at each vertex (z exact). */
    private double[] ez;
    private final Map<Integer, Rational[]> exactBlock = new HashMap<>();
    List<Reg> regions = new ArrayList<>();
    long exactSigns;
    /** Float decisions outside the 10⁻⁹ filter but inside the proven bound (not strict mode): checked downstream. */
    long unprovenSigns;
    /**
     * Strict: every float decision is proven by the a-priori bound, all others are exact. Otherwise
     * a float value within the bound but beyond TOL·(the layer's magnitude at the vertex) is taken
     * as it is (counted in unprovenSigns): the bound compounds through chains of vertices made
     * inside a layer (each generation multiplies it by about 1 + 5·Lip/slope), so strict mode
     * decides a quarter of the vertices exactly on a 64-wide net and is several times slower.
     * Either way the result is re-derived exactly and certified downstream.
     */
    boolean strict = Boolean.getBoolean("netgeom.edges.strict");
    static final double TOL = 1e-9;
    /** Exact decisions where the float value's sign (or its zero) differed from the exact sign. */
    long floatWrong;
    long splits;

    EdgeSearch(PointEvaluator ev, Rational[] lo, Rational[] hi, long budget, Progress progress) {
        this.ev = ev;
        this.n = lo.length;
        this.units = ev.units();
        this.lo = lo;
        this.hi = hi;
        this.budget = budget;
        this.progress = progress;
        int cap = 1024;
        x = new double[cap * n];
        zs = new int[cap][];
        pa = new int[cap];
        pb = new int[cap];
        ph = new int[cap];
        ex = new Rational[cap][];
        exv = new double[cap];
    }

    /** Runs the search; the regions are then in {@link #regions}. */
    void run() {
        int corners = 1 << n;
        int[] all = new int[corners];
        for (int m = 0; m < corners; m++) {
            Rational[] c = new Rational[n];
            int[] z0 = new int[n];
            for (int j = 0; j < n; j++) {
                boolean up = ((m >> j) & 1) != 0;
                c[j] = up ? hi[j] : lo[j];
                // box labels as the cell search numbers the box constraints: -(1 + 2j) lower, -(2 + 2j) upper
                z0[j] = up ? -(2 + 2 * j) : -(1 + 2 * j);
            }
            Arrays.sort(z0);
            int v = add(-1, -1, -1, z0);
            ex[v] = c;
            seed(v);
            all[m] = v;
        }
        regions.add(new Reg(all, new long[(units + 63) / 64]));
        progress.start("regions (edge subdivision, units)", units);
        try {
            for (int b = 0; b < ev.blocks(); b++) {
                startBlock(b);
                for (int j = 0; j < w; j++) {
                    unit(j);
                    progress.set(ev.blockStart[b] + j + 1);
                }
            }
        } finally {
            progress.done();
        }
        if (System.getenv("NETGEOM_TIMING") != null) {
            System.err.println("edge search: " + nv + " vertices, " + regions.size() + " regions, " + exactSigns + " exact sign decisions, " + unprovenSigns + " float decisions beyond the proven bound ("
                    + floatWrong + " float signs wrong)");
        }
        z = null;
        sg = null;
    }

    private int add(int a, int b, int h, int[] zset) {
        if (nv == pa.length) {
            int cap = 2 * nv;
            x = Arrays.copyOf(x, cap * n);
            zs = Arrays.copyOf(zs, cap);
            pa = Arrays.copyOf(pa, cap);
            pb = Arrays.copyOf(pb, cap);
            ph = Arrays.copyOf(ph, cap);
            ex = Arrays.copyOf(ex, cap);
            exv = Arrays.copyOf(exv, cap);
            if (z != null) {
                z = Arrays.copyOf(z, cap * w);
                sg = Arrays.copyOf(sg, cap * w);
                mag = Arrays.copyOf(mag, cap);
                ez = Arrays.copyOf(ez, cap);
            }
        }
        pa[nv] = a;
        pb[nv] = b;
        ph[nv] = h;
        zs[nv] = zset;
        return nv++;
    }

    private void startBlock(int b) {
        blk = b;
        w = ev.blockWidth[b];
        int cap = pa.length;
        z = new double[cap * w];
        sg = new byte[cap * w];
        mag = new double[cap];
        ez = new double[cap];
        exactBlock.clear();
        ThreadLocal<double[][][]> scratch = ThreadLocal.withInitial(() -> new double[][][]{ev.scratch(), ev.scratch()});
        IntStream.range(0, nv).parallel().forEach(v -> {
            if (ex[v] != null) {
                seed(v);          // exact coordinates known: start again from their nearest doubles
            }
            double[][][] sc = scratch.get();
            ez[v] = ev.evalFloatErr(x, v * n, exv[v], b, sc[0], sc[1], z, v * w);
            double m = 0;
            for (int j = 0; j < w; j++) {
                m = Math.max(m, Math.abs(z[v * w + j]));
            }
            mag[v] = m;
        });
        for (int v = 0; v < nv; v++) {
            signs(v, 0);
        }
    }

    /** The float coordinates of a vertex with exact coordinates: their nearest doubles, within u·|x|. */
    private void seed(int v) {
        double e = 0;
        for (int j = 0; j < n; j++) {
            double d = ex[v][j].doubleValue();
            x[v * n + j] = d;
            e = Math.max(e, PointEvaluator.U * Math.abs(d) * (1 + 2 * PointEvaluator.U) + PointEvaluator.TINY);
        }
        exv[v] = e;
    }

    /**
     * Decides the signs of units from..w-1 of the current block at vertex v: by the float value
     * where it is farther from zero than the proven bound ez[v] on its error (so the float sign is
     * the exact sign), else exactly (and the vertex's float values become the exact ones rounded).
     */
    private void signs(int v, int from) {
        for (int j = from; j < w; j++) {
            double zz = z[v * w + j];
            double e = ez[v];
            if (zz > e) {
                sg[v * w + j] = 1;
            } else if (zz < -e) {
                sg[v * w + j] = -1;
            } else if (!strict && Math.abs(zz) > TOL * mag[v]) {
                unprovenSigns++;
                sg[v * w + j] = (byte) (zz > 0 ? 1 : -1);
            } else {
                exactSigns++;
                int exact = exactValues(v)[j].signum();
                if (exact != (int) Math.signum(zz)) {
                    floatWrong++;
                }
                sg[v * w + j] = (byte) exact;
            }
        }
    }

    /** The exact pre-activations of the block at v; v's float values are replaced by them, rounded. */
    private Rational[] exactValues(int v) {
        Rational[] r = exactBlock.get(v);
        if (r == null) {
            r = ev.evalExact(exact(v), blk);
            exactBlock.put(v, r);
            double m = 0;
            for (int q = 0; q < w; q++) {
                double d = r[q].doubleValue();
                z[v * w + q] = d;
                m = Math.max(m, Math.abs(d));
            }
            mag[v] = m;
            ez[v] = PointEvaluator.U * m * (1 + 2 * PointEvaluator.U) + PointEvaluator.TINY;
        }
        return r;
    }

    /** The exact coordinates of vertex v: exact interpolation along the edge it was created on. */
    synchronized Rational[] exact(int v) {
        if (ex[v] != null) {
            return ex[v];
        }
        int h = ph[v];
        int b = ev.blockOf(h);
        int j = h - ev.blockStart[b];
        Rational[] ca = exact(pa[v]);
        Rational[] cb = exact(pb[v]);
        Rational za = ev.evalExact(ca, b)[j];
        Rational zb = ev.evalExact(cb, b)[j];
        Rational t = za.divide(za.subtract(zb));
        Rational[] c = new Rational[n];
        for (int i = 0; i < n; i++) {
            c[i] = ca[i].add(t.multiply(cb[i].subtract(ca[i])));
        }
        ex[v] = c;
        return c;
    }

    private void unit(int j) {
        int u = ev.blockStart[blk] + j;
        for (int v = 0; v < nv; v++) {
            if (sg[v * w + j] == 0) {
                zs[v] = append(zs[v], u);
            }
        }
        List<Reg> rs = regions;
        // phase 1 (parallel): which regions split, and their crossing edges
        rs.parallelStream().forEach(r -> classify(r, j, u));
        // phase 2 (sequential): the new vertices, one per crossed edge, shared by neighbours
        Map<Long, Integer> made = new HashMap<>();
        int before = nv;
        for (Reg r : rs) {
            if (r.cross == null) {
                continue;
            }
            for (int[] e : r.cross) {
                long key = (long) Math.min(e[0], e[1]) << 32 | Math.max(e[0], e[1]);
                Integer id = made.get(key);
                if (id == null) {
                    id = vertexOn(e[0], e[1], j, u);
                    made.put(key, id);
                }
                e[0] = id;
            }
        }
        if (nv > before) {
            for (int v = before; v < nv; v++) {
                signs(v, j + 1);
            }
        }
        // phase 3: the two parts of every split region
        List<Reg> out = new ArrayList<>(rs.size() + made.size());
        for (Reg r : rs) {
            if (r.cross == null) {
                out.add(r);
                continue;
            }
            splits++;
            int[] pos = new int[r.v.length + r.cross.length];
            int[] neg = new int[r.v.length + r.cross.length];
            int np = 0;
            int nn = 0;
            for (int v : r.v) {
                byte s = sg[v * w + j];
                if (s >= 0) {
                    pos[np++] = v;
                }
                if (s <= 0) {
                    neg[nn++] = v;
                }
            }
            for (int[] e : r.cross) {
                pos[np++] = e[0];
                neg[nn++] = e[0];
            }
            long[] bits = r.bits.clone();
            bits[u >>> 6] |= 1L << (u & 63);
            r.v = Arrays.copyOf(neg, nn);
            r.cross = null;
            out.add(r);
            out.add(new Reg(Arrays.copyOf(pos, np), bits));
        }
        if (out.size() > budget) {
            throw SymbolicError.BUDGET_EXCEEDED.error("more than " + budget + " regions (raise --budget, or shrink the domain)")
                    .with("found", budget + 1);
        }
        regions = out;
    }

    /** Sets r's bit for unit u when r is on the positive side, or records its crossing edges. */
    private void classify(Reg r, int j, int u) {
        int np = 0;
        int nn = 0;
        for (int v : r.v) {
            byte s = sg[v * w + j];
            if (s > 0) {
                np++;
            } else if (s < 0) {
                nn++;
            }
        }
        r.cross = null;
        if (nn == 0) {
            if (np > 0) {
                r.bits[u >>> 6] |= 1L << (u & 63);
            }
            return;
        }
        if (np == 0) {
            return;
        }
        List<int[]> cross = new ArrayList<>();
        for (int a : r.v) {
            if (sg[a * w + j] <= 0) {
                continue;
            }
            for (int b : r.v) {
                if (sg[b * w + j] < 0 && adjacent(a, b, r.v)) {
                    cross.add(new int[]{a, b});
                }
            }
        }
        r.cross = cross.toArray(new int[0][]);
    }

    /** The combinatorial adjacency test: no third vertex of the region lies on every hyperplane through both. */
    private boolean adjacent(int a, int b, int[] vs) {
        int[] f = intersect(zs[a], zs[b]);
        if (f.length < n - 1) {
            return false;
        }
        for (int c : vs) {
            if (c != a && c != b && containsAll(zs[c], f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The vertex where unit j (of the current block; unit u overall) vanishes on the edge {a, b},
     * z_j(a) &gt; 0 &gt; z_j(b) (decided). Float coordinates and values by linear interpolation at
     * t̃ = fl(z̃_a / (z̃_a − z̃_b)), with proven error bounds: with |z̃ − z| ≤ E at a and b and the
     * signs certain (z̃_a &gt; 0 &gt; z̃_b), the exact t = z_a/(z_a − z_b) satisfies
     * |z̃_a/D̃ − t| ≤ (E_a + t(E_a + E_b))/D̃ ≤ (2E_a + E_b)/D̃ for D̃ = z̃_a − z̃_b, plus the
     * rounding of the subtraction and the division; the block's pre-activations are affine along
     * the edge (it lies in one region of the earlier layers' complex), so each value at the
     * vertex is z(a) + t(z(b) − z(a)) and its error is at most max(E_a, E_b) + |t̃ − t|·(|z̃_b −
     * z̃_a| + E_a + E_b) + the rounding of the interpolation; the coordinates likewise.
     */
    private int vertexOn(int a, int b, int j, int u) {
        double za = z[a * w + j];
        double zb = z[b * w + j];
        double t = za / (za - zb);
        int v = add(a, b, u, append(intersect(zs[a], zs[b]), u));
        final double uu = PointEvaluator.U;
        double ea = ez[a];
        double eb = ez[b];
        double et;
        if (za > 0 && zb < 0 && Double.isFinite(ea) && Double.isFinite(eb) && Double.isFinite(t)) {
            double dd = za - zb;
            et = (2 * ea + eb + 2 * eb) / dd * (1 + 8 * uu) + 4 * uu + PointEvaluator.TINY;
        } else {
            et = Double.POSITIVE_INFINITY;
        }
        double cx = 0;
        for (int i = 0; i < n; i++) {
            double xa = x[a * n + i];
            double xb = x[b * n + i];
            double xv = xa + t * (xb - xa);
            x[v * n + i] = xv;
            cx = Math.max(cx, et * (Math.abs(xb - xa) + exv[a] + exv[b]) + 4 * uu * (Math.abs(xa) + Math.abs(xb) + Math.abs(xv)));
        }
        double m = 0;
        double diff = 0;
        for (int q = 0; q < w; q++) {
            double qa = z[a * w + q];
            double qb = z[b * w + q];
            double val = qa + t * (qb - qa);
            z[v * w + q] = val;
            m = Math.max(m, Math.abs(val));
            diff = Math.max(diff, Math.abs(qb - qa));
        }
        double ma = mag[a];
        double mb = mag[b];
        mag[v] = Math.max(m, Math.max(ma, mb));     // the 1e-9 filter's scale, as before
        exv[v] = (Math.max(exv[a], exv[b]) + cx) * (1 + 8 * uu) + PointEvaluator.TINY;
        ez[v] = (Math.max(ea, eb) + et * (diff + ea + eb) + 4 * uu * (ma + mb + m)) * (1 + 8 * uu) + PointEvaluator.TINY;
        if (strict && (!Double.isFinite(ez[v]) || !Double.isFinite(exv[v]))) {
            // the float data say nothing here: the exact coordinates and values decide
            seedExact(v);
        }
        sg[v * w + j] = 0;
        return v;
    }

    private void seedExact(int v) {
        exact(v);
        seed(v);
        exactValues(v);
    }

    static int[] append(int[] s, int u) {
        if (s.length > 0 && s[s.length - 1] == u) {
            return s;
        }
        int[] o = Arrays.copyOf(s, s.length + 1);
        o[s.length] = u;
        return o;
    }

    static int[] intersect(int[] a, int[] b) {
        int[] o = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                o[k++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return k == o.length ? o : Arrays.copyOf(o, k);
    }

    static boolean containsAll(int[] a, int[] f) {
        int i = 0;
        for (int x : f) {
            while (i < a.length && a[i] < x) {
                i++;
            }
            if (i == a.length || a[i] != x) {
                return false;
            }
            i++;
        }
        return true;
    }
}
