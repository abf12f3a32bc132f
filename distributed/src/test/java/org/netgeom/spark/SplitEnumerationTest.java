package org.netgeom.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Point;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * regions --split on local[2]: the merged enumeration of seeded random nets in 1-D, 2-D and 3-D
 * equals the plain single-process enumeration of the whole box (the reference: one search over
 * the full domain, no sub-boxes): the same counts, patterns, exact maps, affine-piece partition
 * and (2-D) closure vertices; every merged witness satisfies, exactly and strictly, the reference
 * region's own inequalities.
 */
class SplitEnumerationTest {
    static SparkRuntime rt;

    @BeforeAll
    static void start() {
        rt = SparkRuntime.open(new SparkConf().setMaster("local[2,4]").setAppName("split-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    static Domain box(int k) {
        Rational[] lo = new Rational[k];
        Rational[] hi = new Rational[k];
        Arrays.fill(lo, Rational.MINUS_ONE);
        Arrays.fill(hi, Rational.ONE);
        return Domain.box(lo, hi);
    }

    @ParameterizedTest(name = "{0} inputs, widths {1}, seeds 1-5, split {2}")
    @CsvSource({"1, 6;6, 3", "2, 6;6, 4", "2, 5;5;5, 6", "3, 5;5, 4", "3, 4;4;4, 8"})
    void mergedEqualsSingleProcess(int inputs, String widths, int split) {
        int[] ws = Arrays.stream(widths.split(";")).mapToInt(Integer::parseInt).toArray();
        for (long seed = 1; seed <= 5; seed++) {
            Model m = RandomNets.mlp(seed, inputs, ws, 1, "relu", 8);
            Domain d = box(inputs);
            AffineMap id = AffineMap.identity(inputs);
            Options o = Options.defaults().withProgress(Progress.NONE);
            RegionSet ref = Regions.enumerate(m, id, d, o);
            RegionSet got = new SparkSplitter().enumerate(m, id, d, o, split, null);
            compare(ref, got, "seed " + seed);
        }
    }

    @Test
    void gridCutsThroughUnitHyperplanes() {
        // square2d-like net: hyperplanes x1 = 0 and x2 = 0 lie on the cut planes of a 2x2 grid
        Model m = org.netgeom.ir.io.IrReader.read(java.nio.file.Path.of("../examples/square2d.json"));
        Options o = Options.defaults().withProgress(Progress.NONE);
        RegionSet ref = Regions.enumerate(m, AffineMap.identity(2), box(2), o);
        RegionSet got = new SparkSplitter().enumerate(m, AffineMap.identity(2), box(2), o, 4, null);
        compare(ref, got, "square2d");
    }

    /**
     * Units whose hyperplanes are the cut planes and whose output weight is 0: the regions on
     * either side of such a cut have the same map and share a facet on the cut plane, so the
     * whole box's affine pieces cross the cut, and the merge must join them across it (the
     * sub-boxes alone never see that facet). The reference is the plain enumeration; the test also
     * checks that the reference really has pieces that cross a cut.
     */
    @ParameterizedTest(name = "pieces joined across cut planes: {0} inputs, split {1}")
    @CsvSource({"2, 4", "2, 6", "3, 8"})
    void piecesAreJoinedAcrossCutPlanes(int inputs, int split) {
        for (long seed = 1; seed <= 5; seed++) {
            Model m = cutNet(inputs, split, seed);
            Domain d = box(inputs);
            AffineMap id = AffineMap.identity(inputs);
            Options o = Options.defaults().withProgress(Progress.NONE);
            RegionSet ref = Regions.enumerate(m, id, d, o);
            assertTrue(crossesACut(ref, inputs), "seed " + seed + ": the reference has a piece joined across a cut-plane unit");
            RegionSet got = new SparkSplitter().enumerate(m, id, d, o, split, null);
            compare(ref, got, "cut net, seed " + seed);
        }
    }

    /** An output relu: every region where it is off has the map 0, one large group of equal maps. */
    @ParameterizedTest(name = "output relu (one large group of equal maps): {0} inputs, split {1}")
    @CsvSource({"2, 4", "2, 9", "3, 8"})
    void outputReluGroupsAreMergedLikeTheReference(int inputs, int split) {
        for (long seed = 1; seed <= 5; seed++) {
            Model base = RandomNets.mlp(seed, inputs, inputs == 2 ? new int[]{6, 6} : new int[]{5, 5}, 1, "relu", 8);
            List<org.netgeom.ir.Layer> layers = new java.util.ArrayList<>(base.layers());
            layers.add(RandomNets.activation("relu"));
            Model m = new Model("relu-out-" + seed, base.input(), layers);
            Domain d = box(inputs);
            AffineMap id = AffineMap.identity(inputs);
            Options o = Options.defaults().withProgress(Progress.NONE);
            RegionSet ref = Regions.enumerate(m, id, d, o);
            RegionSet got = new SparkSplitter().enumerate(m, id, d, o, split, null);
            compare(ref, got, "output relu, seed " + seed);
        }
    }

    /**
     * A 1-hidden-layer net with, among seeded random units, one unit on each cut plane of the
     * split's grid (x_j = c for every interior cut point c) with output weight 0.
     */
    static Model cutNet(int inputs, int split, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        List<Domain> boxes = org.netgeom.symbolic.regions.SplitMerge.grid(box(inputs), split);
        List<String> rows = new java.util.ArrayList<>();
        List<String> bias = new java.util.ArrayList<>();
        List<String> out = new java.util.ArrayList<>();
        for (int j = 0; j < inputs; j++) {
            Set<Rational> cuts = new TreeSet<>();
            for (Domain b : boxes) {
                Rational c = b.lower()[j];
                if (c.compareTo(Rational.MINUS_ONE) > 0) {
                    cuts.add(c);
                }
            }
            for (Rational c : cuts) {
                String[] r = new String[inputs];
                Arrays.fill(r, "0");
                r[j] = rnd.nextBoolean() ? "1" : "-1";
                rows.add("[" + String.join(",", r) + "]");
                bias.add("\"" + (r[j].equals("1") ? c.negate() : c) + "\"");
                out.add("0");
            }
        }
        for (int u = 0; u < 5; u++) {
            String[] r = new String[inputs];
            for (int j = 0; j < inputs; j++) {
                r[j] = "\"" + Rational.of(rnd.nextInt(-8, 9), 8) + "\"";
            }
            rows.add("[" + String.join(",", r) + "]");
            bias.add("\"" + Rational.of(rnd.nextInt(-4, 5), 8) + "\"");
            out.add("\"" + Rational.of(rnd.nextInt(1, 9) * (rnd.nextBoolean() ? 1 : -1), 4) + "\"");
        }
        String json = "{\"netgeom\": 1, \"name\": \"cut-net\", \"input\": [" + inputs + "], \"layers\": ["
                + "{\"op\": \"dense\", \"weight\": [" + String.join(",", rows) + "], \"bias\": [" + String.join(",", bias) + "]},"
                + "{\"op\": \"relu\"},"
                + "{\"op\": \"dense\", \"weight\": [[" + String.join(",", out) + "]], \"bias\": [0]}]}";
        return org.netgeom.ir.io.IrReader.read(json, java.nio.file.Path.of("."));
    }

    /** Whether some affine piece holds two regions whose patterns differ at a unit on a cut plane (an axis unit). */
    static boolean crossesACut(RegionSet rs, int inputs) {
        for (RegionSet.Piece p : rs.pieces()) {
            for (int a : p.regions()) {
                for (int b : p.regions()) {
                    String x = rs.regions().get(a).pattern();
                    String y = rs.regions().get(b).pattern();
                    int cutUnits = x.length() - 5;
                    for (int i = 0; i < cutUnits; i++) {
                        if (x.charAt(i) != y.charAt(i)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * The CLI's output of a split enumeration through the independent checker (netgeom-certify:
     * regions, witnesses, maps and the affine pieces: equal maps, connected through shared facets,
     * no two pieces with equal maps sharing one): a seeded net, and a net whose pieces cross the
     * cut planes ({@link #cutNet}), so the glued pieces are certified too.
     */
    @ParameterizedTest(name = "certified through the CLI: {0} inputs, {1}, split {2}")
    @CsvSource({"2, seeded, 4", "3, seeded, 4", "2, cut, 4", "2, cut, 6", "3, cut, 8"})
    void splitOutputIsCertifiedByTheIndependentChecker(int inputs, String net, int split,
                                                       @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("m.json");
        Model model = net.equals("cut") ? cutNet(inputs, split, 3) : RandomNets.mlp(11, inputs, new int[]{5, 5}, 1, "relu", 8);
        org.netgeom.ir.io.IrWriter.write(model, f, org.netgeom.ir.io.IrWriter.Options.DEFAULT);
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int code = org.netgeom.cli.Main.run(new String[]{"regions", f.toString(), "--box=-1,1", "--split", Integer.toString(split), "--json"},
                new java.io.PrintStream(o, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        assertEquals(0, code);
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.toString());
        assertTrue(j.get("certified").asBoolean(), "regions --split output re-verified by netgeom-certify");
        java.nio.file.Path res = dir.resolve("r.json");
        java.nio.file.Files.writeString(res, o.toString());
        int cert = org.netgeom.cli.Main.run(new String[]{"certify", f.toString(), res.toString(), "--box=-1,1", "--json"},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true), new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        assertEquals(0, cert, "netgeom certify accepts the merged result");
    }

    /** The benchmark's split part runs and reports its profile (a smoke test: no time is asserted). */
    @Test
    void benchSweepSplitPartRunsAndReportsItsProfile() throws Exception {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int code = org.netgeom.cli.Main.run(new String[]{"bench", "sweep", "--part", "split", "--quick", "--split", "4", "--repeat", "2",
                "--json"}, new java.io.PrintStream(o, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        assertEquals(0, code, o.toString());
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.toString());
        com.fasterxml.jackson.databind.JsonNode en = j.get("splitEnumeration");
        assertTrue(en.get("mergedEqualsSingle").asBoolean());
        assertTrue(en.get("regions").asInt() > 100);
        assertEquals(2, en.get("repeat").asInt());
        for (String m : List.of("local1", "local2")) {
            assertTrue(en.get(m).get("executorCpuSeconds").asDouble() > 0, m);
            assertTrue(en.get(m).get("subBoxPieces").asInt() >= en.get("regions").asInt(), m + ": every region is met in some sub-box");
        }
        assertTrue(j.get("theoremSweep") == null, "--part split runs no theorem sweep");
    }

    static void compare(RegionSet ref, RegionSet got, String what) {
        assertEquals(ref.activationRegions(), got.activationRegions(), what + ": regions");
        assertEquals(ref.affinePieces(), got.affinePieces(), what + ": affine pieces");
        Map<String, Region> byPattern = new HashMap<>();
        for (Region r : ref.regions()) {
            byPattern.put(r.pattern(), r);
        }
        for (Region g : got.regions()) {
            Region r = byPattern.get(g.pattern());
            assertNotNull(r, what + ": pattern " + g.pattern() + " is not a region of the whole box");
            assertTrue(Arrays.deepEquals(r.map().a(), g.map().a()) && Arrays.equals(r.map().b(), g.map().b()),
                    what + ": map of " + g.pattern());
            for (CellEnumerator.Inequality q : ref.inequalities(r)) {
                assertTrue(q.form().signAt(new Point(g.witness())) > 0, what + ": witness of " + g.pattern() + " outside its region");
            }
            assertTrue(ref.domain().containsStrictly(g.witness()), what + ": witness outside the box");
            if (ref.dimension() <= 2) {
                assertEquals(vertexSet(r.vertices()), vertexSet(g.vertices()), what + ": vertices of " + g.pattern());
            }
        }
        assertEquals(pieces(ref), pieces(got), what + ": affine pieces group the patterns alike");
    }

    static Set<String> vertexSet(List<Rational[]> vs) {
        Set<String> s = new TreeSet<>();
        for (Rational[] v : vs) {
            s.add(Arrays.toString(v));
        }
        return s;
    }

    static Set<Set<String>> pieces(RegionSet rs) {
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
}
