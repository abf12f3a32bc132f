package org.netgeom.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import org.netgeom.symbolic.regions.SplitMerge;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge without Spark: the sub-boxes enumerated one after another in this JVM. The glued merge
 * (affine pieces from the sub-boxes' own pieces plus the cut-plane facets) against two references:
 * the plain enumeration of the whole box and the merge that recomputes the affine pieces from
 * scratch (exact LPs on the merged regions' own inequalities). And the binary records round trip
 * exactly.
 */
class SplitMergeTest {

    static RegionSet split(Model m, Domain d, Options o, int n, boolean glued) {
        List<SplitMerge.Piece> pieces = new ArrayList<>();
        List<Domain> boxes = SplitMerge.grid(d, n);
        for (int i = 0; i < boxes.size(); i++) {
            RegionSet sub = Regions.enumerate(m, AffineMap.identity(d.dimension()), boxes.get(i), o);
            for (SplitMerge.Piece p : SplitMerge.pieces(sub, i, d)) {
                pieces.add(glued ? p : new SplitMerge.Piece(p.pattern(), p.witness(), p.map(), p.vertices()));
            }
        }
        return SplitMerge.merge(m, AffineMap.identity(d.dimension()), d, o, pieces, new Stats());
    }

    @ParameterizedTest(name = "glued = recomputed = plain: {0} inputs, widths {1}, split {2}")
    @CsvSource({"1, 6;6, 5", "2, 6;6, 4", "2, 5;5;5, 12", "3, 5;5, 8", "3, 4;4;4, 12"})
    void gluedPiecesEqualRecomputedAndPlain(int inputs, String widths, int n) {
        int[] ws = Arrays.stream(widths.split(";")).mapToInt(Integer::parseInt).toArray();
        Options o = Options.defaults().withProgress(Progress.NONE);
        for (long seed = 1; seed <= 5; seed++) {
            for (Model m : List.of(RandomNets.mlp(seed, inputs, ws, 1, "relu", 8), SplitEnumerationTest.cutNet(inputs, n, seed))) {
                Domain d = SplitEnumerationTest.box(inputs);
                RegionSet plain = Regions.enumerate(m, AffineMap.identity(inputs), d, o);
                RegionSet glued = split(m, d, o, n, true);
                RegionSet recomputed = split(m, d, o, n, false);
                assertNull(SplitCompare.difference(plain, glued), "seed " + seed + " " + m.name() + ": glued vs plain");
                assertNull(SplitCompare.difference(recomputed, glued), "seed " + seed + " " + m.name() + ": glued vs recomputed");
                SplitEnumerationTest.compare(plain, glued, "seed " + seed + " " + m.name());
            }
        }
    }

    /** LP mode (6 variables: no vertices or facets): the pieces carry no local pieces and are recomputed; still = plain. */
    @ParameterizedTest(name = "LP mode, 6 inputs, split {0}")
    @CsvSource({"2", "4"})
    void lpModeFallsBackToRecomputedPieces(int n) {
        Options o = Options.defaults().withProgress(Progress.NONE);
        for (long seed = 1; seed <= 3; seed++) {
            Model m = RandomNets.mlp(seed, 6, new int[]{4}, 1, "relu", 8);
            Domain d = SplitEnumerationTest.box(6);
            List<Domain> boxes = SplitMerge.grid(d, n);
            for (int i = 0; i < boxes.size(); i++) {
                for (SplitMerge.Piece p : SplitMerge.pieces(Regions.enumerate(m, boxes.get(i), o), i, d)) {
                    assertEquals(-1, p.box());
                    assertNull(p.cuts());
                }
            }
            RegionSet plain = Regions.enumerate(m, AffineMap.identity(6), d, o);
            assertNull(SplitCompare.difference(plain, split(m, d, o, n, true)), "seed " + seed);
        }
    }

    @Test
    void cutFacetsAreReportedOnInteriorCutPlanesOnly() {
        Model m = org.netgeom.ir.io.IrReader.read(java.nio.file.Path.of("../examples/square2d.json"));
        Domain d = SplitEnumerationTest.box(2);
        List<Domain> boxes = SplitMerge.grid(d, 4);
        Options o = Options.defaults().withProgress(Progress.NONE);
        int cuts = 0;
        for (int i = 0; i < boxes.size(); i++) {
            for (SplitMerge.Piece p : SplitMerge.pieces(Regions.enumerate(m, boxes.get(i), o), i, d)) {
                for (SplitMerge.CutFacet c : p.cuts()) {
                    assertEquals(Rational.ZERO, c.at(), "the 2x2 grid of [-1,1]^2 cuts at 0 only");
                    Rational side = boxes.get(i).lower()[c.coordinate()];
                    assertEquals(side.signum() == 0, c.above(), "a piece of the upper sub-box lies above the cut");
                    assertTrue(c.lo().compareTo(c.hi()) < 0, "the facet has positive length");
                    cuts++;
                }
            }
        }
        assertTrue(cuts > 0);
    }

    @Test
    void recordsRoundTripExactly() {
        Rational big = Rational.of(BigInteger.TWO.pow(130).add(BigInteger.ONE), BigInteger.valueOf(3).pow(50));
        List<SplitMerge.Piece> ps = List.of(
                new SplitMerge.Piece("0110100111", new Rational[]{Rational.of(1, 3), big.negate()},
                        new AffineMap(new Rational[][]{{big, Rational.ZERO}}, new Rational[]{Rational.of(Long.MAX_VALUE, 7)}),
                        List.of(new Rational[]{Rational.ONE, Rational.ZERO}, new Rational[]{big, Rational.of(-5, 2)}), 3, 17,
                        List.of(new SplitMerge.CutFacet(1, Rational.ZERO, true, Rational.of(-1, 2), big),
                                new SplitMerge.CutFacet(0, Rational.of(1, 3), false, null, null))),
                new SplitMerge.Piece("10z3", new Rational[]{Rational.ZERO, Rational.ONE},
                        new AffineMap(new Rational[][]{{Rational.ONE, Rational.TWO}}, new Rational[]{Rational.ZERO}), null));
        List<SplitMerge.Piece> back = new ArrayList<>();
        Records.decode(Records.encode(ps), ps.size(), 3, 2, back);
        assertEquals(ps.size(), back.size());
        for (int i = 0; i < ps.size(); i++) {
            SplitMerge.Piece a = ps.get(i);
            SplitMerge.Piece b = back.get(i);
            assertEquals(a.pattern(), b.pattern());
            assertTrue(Arrays.equals(a.witness(), b.witness()));
            assertEquals(a.map(), b.map());
            assertEquals(a.vertices() == null, b.vertices() == null);
            if (a.vertices() != null) {
                assertEquals(a.vertices().size(), b.vertices().size());
                for (int j = 0; j < a.vertices().size(); j++) {
                    assertTrue(Arrays.equals(a.vertices().get(j), b.vertices().get(j)));
                }
            }
            assertEquals(a.box(), b.box());
            assertEquals(a.localPiece(), b.localPiece());
            assertEquals(a.cuts(), b.cuts());
        }
    }
}
