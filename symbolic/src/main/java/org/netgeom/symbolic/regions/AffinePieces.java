package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.ExactLp;
import org.netgeom.symbolic.poly.Form;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Affine pieces: the connected components of the graph whose nodes are activation regions and
 * whose edges join two regions with the same exact affine map that share a (k−1)-dimensional
 * facet. Two regions can share one only across a common hyperplane, on opposite sides, so
 * candidates are found by hashing (map, canonical hyperplane); whether their facets overlap in
 * k − 1 dimensions is decided exactly: in 1-D they meet at the same point, in 2-D the two edges'
 * intervals on the line overlap in positive length, above by an exact LP on the hyperplane
 * (the closures' other constraints held strictly, the common hyperplane as an equation), after a
 * cheap necessary condition on the patterns ({@link #onlyUnitsOn}).
 */
final class AffinePieces {
    private AffinePieces() {
    }

    private record Side(int region, int orientation, Cell.Facet facet) {
    }

    private record Key(int map, Form.Hyperplane plane) {
    }

    static List<RegionSet.Piece> compute(List<Region> regions, RegionSet partial) {
        int n = regions.size();
        Map<AffineMap, Integer> mapIds = new HashMap<>();
        int[] mapOf = new int[n];
        for (int i = 0; i < n; i++) {
            mapOf[i] = mapIds.computeIfAbsent(regions.get(i).map(), m -> mapIds.size());
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int[] groupSize = new int[mapIds.size()];
        for (int i = 0; i < n; i++) {
            groupSize[mapOf[i]]++;
        }
        Map<Key, List<Side>> buckets = new HashMap<>();
        boolean lpMode = !regions.isEmpty() && regions.get(0).facets() == null;
        int k = partial.dimension();
        Map<Integer, List<Form>> allCons = new HashMap<>();
        Map<Integer, Map<Integer, List<Form.Hyperplane>>> units = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (groupSize[mapOf[i]] < 2) {
                continue;            // alone with its map: a piece by itself
            }
            Region r = regions.get(i);
            if (lpMode || k >= 3) {
                List<Form> cons = new ArrayList<>();
                Map<Integer, List<Form.Hyperplane>> byUnit = new HashMap<>();
                for (CellEnumerator.Inequality q : partial.inequalities(r)) {
                    cons.add(q.form());
                    if (!q.form().isConstant()) {
                        byUnit.computeIfAbsent(q.unit(), x -> new ArrayList<>()).add(q.form().hyperplane());
                    }
                }
                allCons.put(i, cons);
                units.put(i, byUnit);
            }
            if (lpMode) {
                List<Form> cons = allCons.get(i);
                for (Form f : cons) {
                    if (!f.isConstant()) {
                        buckets.computeIfAbsent(new Key(mapOf[i], f.hyperplane()), x -> new ArrayList<>())
                                .add(new Side(i, f.orientation(), null));
                    }
                }
            } else {
                for (Cell.Facet f : r.facets()) {
                    if (f.label() >= 0) {
                        buckets.computeIfAbsent(new Key(mapOf[i], f.form().hyperplane()), x -> new ArrayList<>())
                                .add(new Side(i, f.form().orientation(), f));
                    }
                }
            }
        }
        List<Form> domainCons = partial.domain().constraints();
        for (Map.Entry<Key, List<Side>> e : buckets.entrySet()) {
            List<Side> s = e.getValue();
            for (int a = 0; a < s.size(); a++) {
                for (int b = a + 1; b < s.size(); b++) {
                    Side x = s.get(a);
                    Side y = s.get(b);
                    if (x.orientation() == y.orientation() || x.region() == y.region()
                            || find(parent, x.region()) == find(parent, y.region())) {
                        continue;
                    }
                    if (!units.isEmpty() && !onlyUnitsOn(e.getKey().plane(), regions.get(x.region()).pattern(),
                            regions.get(y.region()).pattern(), units.get(x.region()), units.get(y.region()))) {
                        continue;
                    }
                    if (shareFacet(x, y, regions, e.getKey().plane(), lpMode, allCons, domainCons)) {
                        union(parent, x.region(), y.region());
                    }
                }
            }
        }
        Map<Integer, List<Integer>> comps = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            comps.computeIfAbsent(find(parent, i), x -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> ordered = new ArrayList<>(comps.values());
        if (partial.dimension() == 1) {
            // in 1-D the pieces are numbered left to right, as the regions are listed
            ordered.sort(java.util.Comparator.comparing((List<Integer> c) -> c.stream().map(i -> regions.get(i).witness()[0])
                    .min(java.util.Comparator.naturalOrder()).orElseThrow()));
        }
        List<RegionSet.Piece> out = new ArrayList<>(comps.size());
        for (List<Integer> c : ordered) {
            int idx = out.size();
            for (int i : c) {
                regions.get(i).piece = idx;
            }
            out.add(new RegionSet.Piece(idx, regions.get(c.get(0)).map(), List.copyOf(c)));
        }
        return out;
    }

    private static boolean shareFacet(Side x, Side y, List<Region> regions, Form.Hyperplane plane, boolean lpMode,
                                      Map<Integer, List<Form>> allCons, List<Form> domainCons) {
        int k = plane.v().length - 1;
        if (!lpMode && k == 1) {
            return true;                 // the same point, regions on either side
        }
        if (!lpMode && k == 2) {
            Rational[] ix = interval(regions.get(x.region()), x.facet(), plane);
            Rational[] iy = interval(regions.get(y.region()), y.facet(), plane);
            return ix[0].max(iy[0]).compareTo(ix[1].min(iy[1])) < 0;
        }
        List<Form> cons = new ArrayList<>();
        List<Boolean> strict = new ArrayList<>();
        Form h = x.facet() != null ? x.facet().form() : null;
        for (Side s : new Side[]{x, y}) {
            List<Form> fs = new ArrayList<>();
            if (lpMode) {
                fs.addAll(allCons.get(s.region()));
            } else {
                for (Cell.Facet f : regions.get(s.region()).facets()) {
                    fs.add(f.form());
                }
            }
            for (Form f : fs) {
                if (f.isConstant()) {
                    continue;
                }
                if (f.hyperplane().equals(plane)) {
                    if (h == null) {
                        h = f;
                    }
                    continue;
                }
                cons.add(f);
                strict.add(true);
            }
        }
        for (Form f : domainCons) {
            cons.add(f);
            strict.add(true);
        }
        cons.add(h);
        strict.add(false);
        cons.add(h.negate());
        strict.add(false);
        boolean[] st = new boolean[strict.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = strict.get(i);
        }
        return ExactLp.decide(cons, st).feasible();
    }

    /**
     * A necessary condition for two regions to share a facet on H, checked before any LP: at a
     * point p inside the common facet, a unit whose pre-activation is non-zero at p has the same
     * sign on both sides (pre-activations are continuous), so the patterns can differ only at units
     * whose pre-activation vanishes on the facet, that is whose inequality (on either side, where
     * the unit has one) lies on H.
     */
    private static boolean onlyUnitsOn(Form.Hyperplane h, String p, String q, Map<Integer, List<Form.Hyperplane>> a,
                                       Map<Integer, List<Form.Hyperplane>> b) {
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) != q.charAt(i)) {
                List<Form.Hyperplane> ka = a.get(i);
                List<Form.Hyperplane> kb = b.get(i);
                if ((ka != null && !ka.contains(h)) || (kb != null && !kb.contains(h))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The extent of a 2-D edge along its line: a coordinate in which the line is not constant. */
    private static Rational[] interval(Region r, Cell.Facet f, Form.Hyperplane plane) {
        int c = plane.v()[1].signum() != 0 ? 0 : 1;     // the line moves in x unless it is vertical
        List<Rational[]> vs = r.vertices();
        Rational a = vs.get(f.vertices()[0])[c];
        Rational b = vs.get(f.vertices()[1])[c];
        return a.compareTo(b) <= 0 ? new Rational[]{a, b} : new Rational[]{b, a};
    }

    /** Union-find with path halving over a parent array (also SplitMerge's). */
    static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    static void union(int[] p, int a, int b) {
        p[find(p, a)] = find(p, b);
    }
}
