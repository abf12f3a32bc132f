package org.netgeom.symbolic.regions;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * pieces (regions with the same map joined through shared facets) are computed afresh on the
 * merged regions, exactly, from each pattern's own inequalities ({@link AffinePieces}, LP mode), so
 * a facet that lies on a cut plane is found as well.
 */
public final class SplitMerge {
    private SplitMerge() {
    }

    /** One region of one sub-box, as a sub-box enumeration reports it. */
    public record Piece(String pattern, Rational[] witness, AffineMap map, List<Rational[]> vertices) {
    }

    /**
     * The grid of about {@code n} sub-boxes of the box {@code d}: n's prime factors, largest first,
     * each cut the coordinate whose cells are currently widest into that many equal parts. The
     * sub-boxes are listed in lexicographic order of their grid index.
     */
    public static List<Domain> grid(Domain d, int n) {
        if (!d.isBox()) {
            throw SymbolicError.BAD_INPUT.at("--split", "--split cuts a box domain (--box); this domain is a polytope");
        }
        if (n < 1) {
            throw SymbolicError.BAD_INPUT.at("--split", "--split needs at least 1 sub-box, not " + n);
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
     * vertices of the union in 1-D and 2-D (when every piece has vertices), and affine pieces
     * computed on the merged regions. {@code stats} are the sub-enumerations' counters summed.
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
        List<RegionSet.Piece> affine = AffinePieces.compute(regions, partial);
        return new RegionSet(regions, affine, domain, inputMap, program, stats);
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
