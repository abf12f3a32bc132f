package org.netgeom.symbolic.regions;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.ExactLp;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A split enumeration: the box domain D is cut into sub-boxes B_1 … B_n (a grid, exact rational
 * cut points), the activation regions of each B_i are enumerated on their own (by any engine, e.g.
 * one Spark task each), and the pieces are merged by pattern.
 *
 * <p>Why merging by pattern is exact: the activation region of a pattern P on D is
 * R_P = int(D) ∩ {u : s_i g_i(u) &gt; 0 for the units of P}, an intersection of open half-spaces
 * (the forms g_i depend only on P), so it is convex; R_P ∩ int(B_i) is the region of P on B_i
 * (the same inequalities). Hence P is a region of D iff it is a region of some B_i (a non-empty
 * open R_P meets some open sub-box, the sub-boxes' closures covering D), its affine map is the
 * same on every piece, and a witness strictly inside one piece is strictly inside R_P. The closure
 * of R_P is the union of the pieces' closures; being convex, its vertices are the extreme points
 * of all the pieces' vertices (an exact convex hull in 2-D, the extreme ends in 1-D). Affine
 * pieces (regions with the same map joined through shared facets) are glued from the sub-boxes'
 * own affine pieces and the facets that lie on cut planes (see {@code gluedPieces}) where the
 * sub-box enumerations had facets (vertex modes); otherwise (LP mode) they are computed afresh on
 * the merged regions, exactly, from each pattern's own inequalities ({@link AffinePieces}, LP mode).
 */
public final class SplitMerge {
    private SplitMerge() {
    }

    /**
     * One region of one sub-box, as a sub-box enumeration reports it: its pattern, witness, map and
     * closure vertices (null in LP mode) and, where the sub-box's own enumeration had facets, the
     * sub-box's number {@code box}, the number {@code localPiece} of its affine piece in the
     * sub-box's own enumeration, and the facets of the piece that lie on a cut plane
     * ({@link CutFacet}); {@code box} = −1 and {@code cuts} = null where these are not known
     * (affine pieces are then recomputed from the merged regions).
     */
    public record Piece(String pattern, Rational[] witness, AffineMap map, List<Rational[]> vertices, int box, int localPiece,
                        List<CutFacet> cuts) {
        public Piece(String pattern, Rational[] witness, AffineMap map, List<Rational[]> vertices) {
            this(pattern, witness, map, vertices, -1, -1, null);
        }
    }

    /**
     * A facet of a sub-box piece lying on the cut plane x_{coordinate} = at (a plane strictly inside
     * the whole box), the piece on its upper side ({@code above}: x_coordinate ≥ at on the piece) or
     * lower side; in 2-D {@code lo} and {@code hi} are the facet's extent along the other
     * coordinate (null otherwise).
     */
    public record CutFacet(int coordinate, Rational at, boolean above, Rational lo, Rational hi) {
    }

    /**
     * The pieces of one sub-box enumeration {@code sub} (sub-box number {@code box} of the box
     * {@code whole}), with their local affine pieces and cut-plane facets where {@code sub} has
     * facets and pieces (vertex modes), else plain.
     */
    public static List<Piece> pieces(RegionSet sub, int box, Domain whole) {
        List<Piece> out = new ArrayList<>(sub.activationRegions());
        boolean local = sub.pieces() != null && sub.regions().stream().allMatch(r -> r.facets() != null);
        Rational[] lo = whole.lower();
        Rational[] hi = whole.upper();
        int k = whole.dimension();
        for (Region r : sub.regions()) {
            if (!local) {
                out.add(new Piece(r.pattern(), r.witness(), r.map(), r.vertices()));
                continue;
            }
            List<CutFacet> cuts = new ArrayList<>(0);
            List<Rational[]> vs = r.vertices();
            for (Cell.Facet f : r.facets()) {
                int d = axis(f.form());
                if (d < 0) {
                    continue;
                }
                Rational c = f.form().coefficient(d);
                Rational at = f.form().constant().negate().divide(c);
                if (at.compareTo(lo[d]) <= 0 || at.compareTo(hi[d]) >= 0) {
                    continue;                         // a side of the whole box, not a cut
                }
                Rational a = null;
                Rational b = null;
                if (k == 2) {
                    Rational p = vs.get(f.vertices()[0])[1 - d];
                    Rational q = vs.get(f.vertices()[1])[1 - d];
                    a = p.min(q);
                    b = p.max(q);
                }
                cuts.add(new CutFacet(d, at, c.signum() > 0, a, b));
            }
            out.add(new Piece(r.pattern(), r.witness(), r.map(), vs, box, r.piece(), cuts));
        }
        return out;
    }

    /** The coordinate d when the form is c·x_d + e with c ≠ 0 (an axis-parallel plane), else −1. */
    private static int axis(Form f) {
        int d = -1;
        for (int j = 0; j < f.variables(); j++) {
            if (f.coefficient(j).signum() != 0) {
                if (d >= 0) {
                    return -1;
                }
                d = j;
            }
        }
        return d;
    }

    /**
     * The grid of about {@code n} sub-boxes of the box {@code d}: n's prime factors, largest first,
     * each cut the coordinate whose cells are currently widest into that many equal parts. The
     * sub-boxes are listed in lexicographic order of their grid index.
     */
    public static List<Domain> grid(Domain d, int n) {
        if (!d.isBox()) {
            throw IrError.BAD_INPUT.at("--split", "--split cuts a box domain (--box); this domain is a polytope");
        }
        if (n < 1) {
            throw IrError.BAD_INPUT.at("--split", "--split needs at least 1 sub-box, not " + n);
        }
        int k = d.dimension();
        Rational[] lo = d.lower();
        Rational[] hi = d.upper();
        int[] parts = new int[k];
        Arrays.fill(parts, 1);
        List<Integer> factors = new ArrayList<>();
        int m = n;
        for (int p = 2; (long) p * p <= m; p++) {
            while (m % p == 0) {
                factors.add(p);
                m /= p;
            }
        }
        if (m > 1) {
            factors.add(m);
        }
        factors.sort(Comparator.reverseOrder());
        for (int f : factors) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                Rational wj = hi[j].subtract(lo[j]).divide(Rational.of(parts[j]));
                Rational wb = hi[best].subtract(lo[best]).divide(Rational.of(parts[best]));
                if (wj.compareTo(wb) > 0) {
                    best = j;
                }
            }
            parts[best] *= f;
        }
        List<Domain> out = new ArrayList<>();
        int[] idx = new int[k];
        while (true) {
            Rational[] l = new Rational[k];
            Rational[] h = new Rational[k];
            for (int j = 0; j < k; j++) {
                Rational w = hi[j].subtract(lo[j]);
                l[j] = lo[j].add(w.multiply(Rational.of(idx[j], parts[j])));
                h[j] = idx[j] + 1 == parts[j] ? hi[j] : lo[j].add(w.multiply(Rational.of(idx[j] + 1, parts[j])));
            }
            out.add(Domain.box(l, h));
            int j = k - 1;
            while (j >= 0 && ++idx[j] == parts[j]) {
                idx[j] = 0;
                j--;
            }
            if (j < 0) {
                return out;
            }
        }
    }

    /**
     * The regions of {@code model} (composed with {@code inputMap}) on the whole {@code domain},
     * from the pieces of its sub-boxes: one region per pattern, with the first piece's witness
     * (re-checked to lie strictly inside {@code domain}) and map (checked equal on every piece),
     * vertices of the union in 1-D and 2-D (when every piece has vertices), and affine pieces glued
     * from the sub-boxes' own (when every piece carries them) or else computed on the merged
     * regions. {@code stats} are the sub-enumerations' counters summed.
     */
    public static RegionSet merge(Model model, AffineMap inputMap, Domain domain, Options options, List<Piece> pieces,
                                  Stats stats) {
        Map<String, List<Piece>> byPattern = new LinkedHashMap<>();
        for (Piece p : pieces) {
            byPattern.computeIfAbsent(p.pattern(), x -> new ArrayList<>()).add(p);
        }
        if (byPattern.size() > options.budget()) {
            throw SymbolicError.BUDGET_EXCEEDED.error("more than " + options.budget() + " regions (raise --budget, or shrink the domain)")
                    .with("found", (long) byPattern.size());
        }
        int k = domain.dimension();
        NetworkProgram program = NetworkProgram.forModel(model, inputMap, false);
        List<Region> regions = new ArrayList<>(byPattern.size());
        for (Map.Entry<String, List<Piece>> e : byPattern.entrySet()) {
            List<Piece> ps = e.getValue();
            Piece first = ps.get(0);
            for (Piece p : ps) {
                if (!p.map().equals(first.map())) {
                    throw new IllegalStateException("pattern " + e.getKey() + " has two different affine maps in two sub-boxes: "
                            + "an engine defect");
                }
            }
            if (!domain.containsStrictly(first.witness())) {
                throw new IllegalStateException("the witness of pattern " + e.getKey() + " is not inside the domain: an engine defect");
            }
            List<Rational[]> vertices = null;
            boolean allVertices = ps.stream().allMatch(p -> p.vertices() != null);
            if (allVertices && k <= 2) {
                vertices = ps.size() == 1 ? first.vertices() : hull(ps, k);
            }
            Cell<NetworkProgram.Outputs> cell = Cell.assembled(e.getKey(), first.witness(), vertices, null);
            regions.add(new Region(regions.size(), cell, inputMap, first.map()));
        }
        RegionSet partial = new RegionSet(regions, null, domain, inputMap, program, stats);
        boolean local = !pieces.isEmpty() && pieces.stream().allMatch(p -> p.box() >= 0 && p.cuts() != null);
        List<RegionSet.Piece> affine = local ? gluedPieces(regions, byPattern, partial) : AffinePieces.compute(regions, partial);
        return new RegionSet(regions, affine, domain, inputMap, program, stats);
    }

    /**
     * Affine pieces of the merged regions from the sub-boxes' own pieces, without recomputing them:
     * the connected components of the graph on patterns whose edges are (a) two patterns in one
     * affine piece of one sub-box enumeration and (b) two patterns with the same map whose pieces,
     * in two sub-boxes on either side of a cut plane, have facets on that plane that overlap in
     * k − 1 dimensions (decided exactly).
     *
     * <p>Why these are the affine pieces of the whole box: an edge of the whole box's graph joins
     * R_P and R_Q (same map) sharing a (k−1)-dimensional facet F on a hyperplane H. If H is no cut
     * plane, the cut planes meet H in sets of dimension k − 2, so F meets some open sub-box B in a
     * (k−1)-dimensional set, across which R_P ∩ B and R_Q ∩ B share a facet of B's enumeration: the
     * two are joined inside one piece of B (a). If H is a cut plane, F lies in it and, away from
     * the other cut planes, between two sub-boxes on either side; there the two pieces' facets on H
     * overlap in k − 1 dimensions (b). Conversely, a facet shared inside a sub-box or across a cut
     * plane is part of a facet shared in the whole box, so (a) and (b) join only regions of one
     * piece; and pieces of one pattern are one region, so they are one node.
     */
    private static List<RegionSet.Piece> gluedPieces(List<Region> regions, Map<String, List<Piece>> byPattern, RegionSet partial) {
        int boxes = 0;
        for (List<Piece> ps : byPattern.values()) {
            for (Piece p : ps) {
                boxes = Math.max(boxes, p.box() + 1);
            }
        }
        int[] offset = new int[boxes + 1];
        for (List<Piece> ps : byPattern.values()) {
            for (Piece p : ps) {
                offset[p.box() + 1] = Math.max(offset[p.box() + 1], p.localPiece() + 1);
            }
        }
        for (int b = 0; b < boxes; b++) {
            offset[b + 1] += offset[b];
        }
        int[] parent = new int[offset[boxes]];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        int n = regions.size();
        int[] label = new int[n];
        // (a) and one node per pattern: all labels of a pattern's pieces are one component
        record Side(int region, CutFacet cut) {
        }
        record Bucket(AffineMap map, int coordinate, Rational at) {
        }
        Map<Bucket, List<Side>> buckets = new HashMap<>();
        int i = 0;
        for (List<Piece> ps : byPattern.values()) {
            label[i] = offset[ps.get(0).box()] + ps.get(0).localPiece();
            for (Piece p : ps) {
                AffinePieces.union(parent, label[i], offset[p.box()] + p.localPiece());
                for (CutFacet c : p.cuts()) {
                    buckets.computeIfAbsent(new Bucket(regions.get(i).map(), c.coordinate(), c.at()), x -> new ArrayList<>())
                            .add(new Side(i, c));
                }
            }
            i++;
        }
        // (b) across the cut planes
        int k = partial.dimension();
        NetworkProgram program = partial.program();
        Map<Integer, List<Form>> cons = new HashMap<>();
        for (Map.Entry<Bucket, List<Side>> e : buckets.entrySet()) {
            List<Side> below = new ArrayList<>();
            List<Side> above = new ArrayList<>();
            for (Side s : e.getValue()) {
                (s.cut().above() ? above : below).add(s);
            }
            for (Side x : below) {
                for (Side y : above) {
                    if (AffinePieces.find(parent, label[x.region()]) == AffinePieces.find(parent, label[y.region()])) {
                        continue;
                    }
                    boolean share;
                    if (k == 1) {
                        share = true;          // the same point, one region on either side
                    } else if (k == 2) {
                        share = x.cut().lo().max(y.cut().lo()).compareTo(x.cut().hi().min(y.cut().hi())) < 0;
                    } else {
                        share = shareOnPlane(program, regions.get(x.region()).pattern(), regions.get(y.region()).pattern(),
                                e.getKey().coordinate(), e.getKey().at(), partial.domain(), cons, x.region(), y.region());
                    }
                    if (share) {
                        AffinePieces.union(parent, label[x.region()], label[y.region()]);
                    }
                }
            }
        }
        Map<Integer, List<Integer>> comps = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            comps.computeIfAbsent(AffinePieces.find(parent, label[r]), x -> new ArrayList<>()).add(r);
        }
        List<List<Integer>> ordered = new ArrayList<>(comps.values());
        if (k == 1) {
            // in 1-D the pieces are numbered left to right, as the regions are listed
            ordered.sort(Comparator.comparing((List<Integer> c) -> c.stream().map(r -> regions.get(r).witness()[0])
                    .min(Comparator.naturalOrder()).orElseThrow()));
        }
        List<RegionSet.Piece> out = new ArrayList<>(ordered.size());
        for (List<Integer> c : ordered) {
            int idx = out.size();
            for (int r : c) {
                regions.get(r).piece = idx;
            }
            out.add(new RegionSet.Piece(idx, regions.get(c.get(0)).map(), List.copyOf(c)));
        }
        return out;
    }

    /**
     * Whether the closures of the regions of patterns p and q (on the whole box) share a
     * (k−1)-dimensional part of the plane x_d = t: an exact LP on the plane with every other
     * inequality of both regions and of the domain held strictly (an inequality that is not
     * positive at a relative-interior point of a common facet vanishes on the whole facet, so lies
     * on the plane; those are left out).
     */
    private static boolean shareOnPlane(NetworkProgram program, String p, String q, int d, Rational t, Domain domain,
                                        Map<Integer, List<Form>> cache, int rp, int rq) {
        int k = domain.dimension();
        Rational[] a = new Rational[k];
        Arrays.fill(a, Rational.ZERO);
        a[d] = Rational.ONE;
        Form h = Form.of(a, t.negate());
        Form.Hyperplane plane = h.hyperplane();
        List<Form> cons = new ArrayList<>();
        for (int r : new int[]{rp, rq}) {
            String pat = r == rp ? p : q;
            List<Form> fs = cache.computeIfAbsent(r, y -> CellEnumerator.inequalities(program, pat).stream()
                    .map(CellEnumerator.Inequality::form).toList());
            for (Form f : fs) {
                if (!f.isConstant() && !f.hyperplane().equals(plane)) {
                    cons.add(f);
                }
            }
        }
        for (Form f : domain.constraints()) {
            if (!f.hyperplane().equals(plane)) {
                cons.add(f);
            }
        }
        boolean[] strict = new boolean[cons.size() + 2];
        Arrays.fill(strict, true);
        cons.add(h);
        cons.add(h.negate());
        strict[strict.length - 2] = false;
        strict[strict.length - 1] = false;
        return ExactLp.decide(cons, strict).feasible();
    }

    /** The vertices of the convex union of the pieces: 1-D the two ends, 2-D counter-clockwise. */
    static List<Rational[]> hull(List<Piece> ps, int k) {
        List<Rational[]> pts = new ArrayList<>();
        for (Piece p : ps) {
            pts.addAll(p.vertices());
        }
        Comparator<Rational[]> lex = (a, b) -> {
            for (int j = 0; j < a.length; j++) {
                int c = a[j].compareTo(b[j]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        pts.sort(lex);
        List<Rational[]> uniq = new ArrayList<>();
        for (Rational[] p : pts) {
            if (uniq.isEmpty() || lex.compare(uniq.get(uniq.size() - 1), p) != 0) {
                uniq.add(p);
            }
        }
        if (k == 1 || uniq.size() <= 2) {
            return uniq.size() == 1 ? uniq : List.of(uniq.get(0), uniq.get(uniq.size() - 1));
        }
        // Andrew's monotone chain, exact; collinear points dropped (cross <= 0 pops)
        Rational[][] h = new Rational[2 * uniq.size()][];
        int n = 0;
        for (Rational[] p : uniq) {
            while (n >= 2 && cross(h[n - 2], h[n - 1], p).signum() <= 0) {
                n--;
            }
            h[n++] = p;
        }
        for (int i = uniq.size() - 2, t = n + 1; i >= 0; i--) {
            Rational[] p = uniq.get(i);
            while (n >= t && cross(h[n - 2], h[n - 1], p).signum() <= 0) {
                n--;
            }
            h[n++] = p;
        }
        return new ArrayList<>(Arrays.asList(h).subList(0, n - 1));
    }

    private static Rational cross(Rational[] o, Rational[] a, Rational[] b) {
        return a[0].subtract(o[0]).multiply(b[1].subtract(o[1])).subtract(a[1].subtract(o[1]).multiply(b[0].subtract(o[0])));
    }
}
