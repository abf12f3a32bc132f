package org.netgeom.spark;

import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Equality of two enumerations of the same domain as sets: the same activation-region and affine-piece
 * counts, the same patterns, the same exact map on each pattern, and the same partition of the
 * patterns into affine pieces (piece numbers may differ; witnesses may differ).
 */
public final class SplitCompare {
    private SplitCompare() {
    }

    public static boolean same(RegionSet a, RegionSet b) {
        return difference(a, b) == null;
    }

    /** null when equal, else the first difference in words. */
    public static String difference(RegionSet a, RegionSet b) {
        if (a.activationRegions() != b.activationRegions()) {
            return "activation regions " + a.activationRegions() + " vs " + b.activationRegions();
        }
        if (a.affinePieces() != b.affinePieces()) {
            return "affine pieces " + a.affinePieces() + " vs " + b.affinePieces();
        }
        Map<String, Region> bm = new HashMap<>();
        for (Region r : b.regions()) {
            bm.put(r.pattern(), r);
        }
        for (Region r : a.regions()) {
            Region s = bm.get(r.pattern());
            if (s == null) {
                return "pattern " + r.pattern() + " only in the first";
            }
            if (!r.map().equals(s.map())) {
                return "pattern " + r.pattern() + ": maps " + r.map() + " vs " + s.map();
            }
        }
        if (!pieces(a).equals(pieces(b))) {
            return "the affine pieces group the patterns differently";
        }
        return null;
    }

    private static Set<Set<String>> pieces(RegionSet rs) {
        Set<Set<String>> out = new HashSet<>();
        for (RegionSet.Piece p : rs.pieces()) {
            Set<String> s = new HashSet<>();
            for (int i : p.regions()) {
                s.add(rs.regions().get(i).pattern());
            }
            out.add(s);
        }
        return out;
    }

    static List<Region> regions(RegionSet rs) {
        return rs.regions();
    }
}
