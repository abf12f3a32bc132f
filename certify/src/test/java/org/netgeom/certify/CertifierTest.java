package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker on certificates written by hand (every pattern, witness, map, vertex and count
 * below is derived in the comments, not by netgeom), and on each tampering the issue lists.
 */
class CertifierTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENT2 = """
            {"netgeom": 1, "input": [1], "layers": [
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}""";
    // tent t(x) = 2 relu(x) - 4 relu(x - 1/2) on [0, 1]: units (x, x - 1/2 | t | t, t - 1/2 | out).
    // (0,1/4): 10 1 10 1, f = 4x; (1/4,1/2): t in (1/2,1): 10 1 11 1, f = 2 - 4x;
    // (1/2,3/4): 11 1 11 1, f = 4x - 2; (3/4,1): 11 1 10 1, f = 4 - 4x.
    static final String TENT_CERT = """
            {"activationRegions": 4, "affinePieces": 4, "regions": [
             {"pattern": "101101", "witness": ["1/8"], "A": [["4"]], "b": ["0"], "piece": 0, "vertices": [["0"], ["1/4"]]},
             {"pattern": "101111", "witness": ["3/8"], "A": [["-4"]], "b": ["2"], "piece": 1, "vertices": [["1/4"], ["1/2"]]},
             {"pattern": "111111", "witness": ["5/8"], "A": [["4"]], "b": ["-2"], "piece": 2, "vertices": [["1/2"], ["3/4"]]},
             {"pattern": "111101", "witness": ["7/8"], "A": [["-4"]], "b": ["4"], "piece": 3, "vertices": [["3/4"], ["1"]]}],
             "breakpoints": ["1/4", "1/2", "3/4"]}""";
    // f = relu(x + 1/2) - 2 relu(x) + relu(x - 1/2) on [-1, 1]: 000: 0; 100: x + 1/2; 110: 1/2 - x; 111: 0
    static final String HAT = """
            {"netgeom": 1, "input": [1], "layers": [
            {"op": "dense", "weight": [[1], [1], [1]], "bias": [0.5, 0, -0.5]}, {"op": "relu"},
            {"op": "dense", "weight": [[1, -2, 1]]}]}""";
    static final String HAT_CERT = """
            {"activationRegions": 4, "affinePieces": 4, "regions": [
             {"pattern": "000", "witness": ["-3/4"], "A": [["0"]], "b": ["0"], "piece": 0},
             {"pattern": "100", "witness": ["-1/4"], "A": [["1"]], "b": ["1/2"], "piece": 1},
             {"pattern": "110", "witness": ["1/4"], "A": [["-1"]], "b": ["1/2"], "piece": 2},
             {"pattern": "111", "witness": ["3/4"], "A": [["0"]], "b": ["0"], "piece": 3}]}""";
    // relu(x) + relu(y) on [-1, 1]^2: four quadrants, maps 0, y, x, x + y
    static final String RELU2 = """
            {"netgeom": 1, "input": [2], "layers": [
            {"op": "dense", "weight": [["1", "0"], ["0", "1"]]}, {"op": "relu"}, {"op": "dense", "weight": [["1", "1"]]}]}""";
    static final String RELU2_CERT = """
            {"activationRegions": 4, "affinePieces": 4, "regions": [
             {"pattern": "00", "witness": ["-1/2", "-1/2"], "A": [["0", "0"]], "b": ["0"], "piece": 0,
              "vertices": [["-1", "-1"], ["0", "-1"], ["0", "0"], ["-1", "0"]]},
             {"pattern": "01", "witness": ["-1/2", "1/2"], "A": [["0", "1"]], "b": ["0"], "piece": 1},
             {"pattern": "10", "witness": ["1/2", "-1/2"], "A": [["1", "0"]], "b": ["0"], "piece": 2},
             {"pattern": "11", "witness": ["1/2", "1/2"], "A": [["1", "1"]], "b": ["0"], "piece": 3}]}""";
    // max(x1, x2) as a 1x1x2 image: winner 0 below the diagonal, 1 above; two triangles of area 2
    static final String MAX2 = """
            {"netgeom": 1, "input": [1, 1, 2], "layers": [{"op": "maxpool2d", "kernel": [1, 2]}, {"op": "flatten"}]}""";
    static final String MAX2_CERT = """
            {"activationRegions": 2, "affinePieces": 2, "regions": [
             {"pattern": "0", "witness": ["1/2", "-1/2"], "A": [["1", "0"]], "b": ["0"], "piece": 0},
             {"pattern": "1", "witness": ["-1/2", "1/2"], "A": [["0", "1"]], "b": ["0"], "piece": 1}]}""";

    @TempDir
    Path dir;

    static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Path model(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static ObjectNode cert(String text, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode o = (ObjectNode) JSON.readTree(text);
        edit.accept(o);
        return o;
    }

    static ObjectNode reg(ObjectNode o, int i) {
        return (ObjectNode) o.get("regions").get(i);
    }

    CertRejected rejects(Path m, JsonNode c, DomainSpec d, String reason, String path) {
        CertRejected e = assertThrows(CertRejected.class, () -> Certifier.certify(m, c, d));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(path, e.path());
        return e;
    }

    @Test
    void handDerivedCertificatesPass() throws IOException {
        Certifier.Report r = Certifier.certify(model("t.json", TENT2), JSON.readTree(TENT_CERT), DomainSpec.box("0,1"));
        assertEquals(4, r.regions());
        assertEquals(4, r.affinePieces());
        assertEquals("1", r.domainVolume());
        assertEquals(4, Certifier.certify(model("h.json", HAT), JSON.readTree(HAT_CERT), DomainSpec.box("-1,1")).affinePieces());
        assertEquals("4", Certifier.certify(model("r.json", RELU2), JSON.readTree(RELU2_CERT), DomainSpec.box("-1,1")).domainVolume());
        assertEquals(2, Certifier.certify(model("m.json", MAX2), JSON.readTree(MAX2_CERT), DomainSpec.box("-1,1")).regions());
        // the same relu net on the slice x = (t, t): patterns 00 (t < 0) and 11, maps 0 and 2t
        String slice = """
                {"activationRegions": 2, "affinePieces": 2, "regions": [
                 {"pattern": "00", "witness": ["-1/2"], "A": [["0"]], "b": ["0"], "piece": 0, "input": ["-1/2", "-1/2"]},
                 {"pattern": "11", "witness": ["1/2"], "A": [["2"]], "b": ["0"], "piece": 1, "input": ["1/2", "1/2"]}]}""";
        assertEquals(2, Certifier.certify(dir.resolve("r.json"), JSON.readTree(slice), new DomainSpec("-1,1", null, "0,0;1,1")).regions());
    }

    @Test
    void everyTamperingHasItsOwnReason() throws IOException {
        Path t = model("t.json", TENT2);
        DomainSpec d = DomainSpec.box("0,1");
        rejects(t, cert(TENT_CERT, o -> {
            ((ArrayNode) o.get("regions")).remove(2);
            o.put("activationRegions", 3);
        }), d, "volumes sum to 3/4, the domain's volume is 1: regions are missing", "regions");
        rejects(t, cert(TENT_CERT, o -> ((ArrayNode) o.get("regions")).add(o.get("regions").get(1).deepCopy())),
                d, "repeats that of regions[1]", "regions[4].pattern");
        rejects(t, cert(TENT_CERT, o -> reg(o, 0).set("witness", JSON.createArrayNode().add("3/8"))),
                d, "witness is not strictly inside the region", "regions[0].witness");
        rejects(t, cert(TENT_CERT, o -> reg(o, 0).set("witness", JSON.createArrayNode().add("1/4"))),
                d, "witness is not strictly inside the region", "regions[0].witness");
        rejects(t, cert(TENT_CERT, o -> ((ArrayNode) reg(o, 2).get("A").get(0)).set(0, new TextNode("5"))),
                d, "exact map on this pattern has 4 here, not 5", "regions[2].A[0][0]");
        rejects(t, cert(TENT_CERT, o -> ((ArrayNode) reg(o, 3).get("b")).set(0, new TextNode("3"))),
                d, "has 4 here, not 3", "regions[3].b[0]");
        rejects(t, cert(TENT_CERT, o -> o.put("activationRegions", 5)), d, "activationRegions is 5 but 4 regions", "activationRegions");
        rejects(t, cert(TENT_CERT, o -> o.put("affinePieces", 3)), d, "affinePieces is 3 but the regions form 4", "affinePieces");
        rejects(t, cert(TENT_CERT, o -> reg(o, 1).set("vertices", JSON.createArrayNode().add(JSON.createArrayNode().add("1/4")).add(JSON.createArrayNode().add("5/8")))),
                d, "not the region's exact vertices", "regions[1].vertices");
        rejects(t, cert(TENT_CERT, o -> ((ArrayNode) o.get("breakpoints")).set(1, new TextNode("1/3"))), d, "changes at 1/2", "breakpoints[1]");
        rejects(t, cert(TENT_CERT, o -> reg(o, 0).put("pattern", "1011010")), d, "7 characters, the network 6 units", "regions[0].pattern");
        // another domain: larger (the regions miss [1, 2]) or smaller (a witness falls outside)
        rejects(t, JSON.readTree(TENT_CERT), DomainSpec.box("0,2"), "regions are missing", "regions");
        rejects(t, JSON.readTree(TENT_CERT), DomainSpec.box("1/4,1"), "not strictly inside the domain", "regions[0].witness");
        // another model: the tent with its inner kink at 1/3 instead of 1/2
        Path other = model("o.json", TENT2.replaceFirst("\"-1/2\"", "\"-1/3\""));
        rejects(other, JSON.readTree(TENT_CERT), d, "not strictly inside the region", "regions[1].witness");
    }

    @Test
    void affinePiecesMustHaveOneMapAndBeConnectedAndMaximal() throws IOException {
        Path h = model("h.json", HAT);
        DomainSpec d = DomainSpec.box("-1,1");
        // regions 0 and 3 have the same map 0 but do not touch: one piece would not be connected
        rejects(h, cert(HAT_CERT, o -> {
            reg(o, 3).put("piece", 0);
            o.put("affinePieces", 3);
        }), d, "affine piece 0 is not connected", "regions[3].piece");
        rejects(h, cert(HAT_CERT, o -> reg(o, 2).put("piece", 1)), d, "map differs from that of regions[1]", "regions[2].piece");
        // relu(|x| - 1/2) has the map 0 on (-1/2, 0) and on (0, 1/2): they share the point 0, so they are one piece
        Path v = model("v.json", """
                {"netgeom": 1, "input": [1], "layers": [{"op": "abs"}, {"op": "dense", "weight": [[1]], "bias": ["-1/2"]}, {"op": "relu"}]}""");
        String vc = """
                {"activationRegions": 4, "affinePieces": %d, "regions": [
                 {"pattern": "01", "witness": ["-3/4"], "A": [["-1"]], "b": ["-1/2"], "piece": 0},
                 {"pattern": "00", "witness": ["-1/4"], "A": [["0"]], "b": ["0"], "piece": 1},
                 {"pattern": "10", "witness": ["1/4"], "A": [["0"]], "b": ["0"], "piece": %d},
                 {"pattern": "11", "witness": ["3/4"], "A": [["1"]], "b": ["-1/2"], "piece": %d}]}""";
        assertEquals(3, Certifier.certify(v, JSON.readTree(vc.formatted(3, 1, 2)), d).affinePieces());
        rejects(v, JSON.readTree(vc.formatted(4, 2, 3)), d, "same map, but they are in different affine pieces", "regions[2].piece");
    }

    @Test
    void twoDimensionalAndMaxPoolTamperings() throws IOException {
        Path r = model("r.json", RELU2);
        DomainSpec d = DomainSpec.box("-1,1");
        rejects(r, cert(RELU2_CERT, o -> ((ArrayNode) o.get("regions")).remove(3)), d, "volumes sum to 3, the domain's volume is 4", "regions");
        rejects(r, cert(RELU2_CERT, o -> reg(o, 0).set("witness", tree("[\"-1/2\", \"0\"]"))), d, "not strictly inside the region", "regions[0].witness");
        rejects(r, cert(RELU2_CERT, o -> ((ArrayNode) reg(o, 0).get("vertices")).remove(3)), d, "exact vertices", "regions[0].vertices");
        // other domains: region 00's listed vertices are those of [-1, 1]^2; a witness falls outside a smaller box
        rejects(r, JSON.readTree(RELU2_CERT), new DomainSpec("-2,1,-1,1", null, null), "exact vertices", "regions[0].vertices");
        rejects(r, JSON.readTree(RELU2_CERT), new DomainSpec("-1,1,-1,1/4", null, null), "not strictly inside the domain", "regions[1].witness");
        // ... while on [-1, 1] x [-1, 2] the same four quadrants (00's vertices unchanged) are a true certificate: 1 + 2 + 1 + 2 = 6
        assertEquals("6", Certifier.certify(r, JSON.readTree(RELU2_CERT), new DomainSpec("-1,1,-1,2", null, null)).domainVolume());
        Path m = model("m.json", MAX2);
        rejects(m, cert(MAX2_CERT, o -> reg(o, 0).put("pattern", "2")), d, "winner index out of its window", "regions[0].pattern[0]");
        rejects(m, cert(MAX2_CERT, o -> reg(o, 0).set("witness", tree("[\"-1/2\", \"1/2\"]"))), d, "not strictly inside the region", "regions[0].witness");
        // identically tied max-pool entries (a zero 1x1 convolution): the lower index wins, so only winner 0 has a region
        Path tie = model("tie.json", """
                {"netgeom": 1, "input": [1, 1, 2], "layers": [{"op": "conv2d", "weight": [[[[0]]]], "bias": [0]},
                 {"op": "maxpool2d", "kernel": [1, 2]}, {"op": "flatten"}]}""");
        String one = """
                {"activationRegions": 1, "affinePieces": 1, "regions": [
                 {"pattern": "%s", "witness": ["1/2", "-1/2"], "A": [["0", "0"]], "b": ["0"], "piece": 0}]}""";
        assertEquals(1, Certifier.certify(tie, tree(one.formatted("0")), d).regions());
        rejects(tie, tree(one.formatted("1")), d, "tie identically; the lower index wins", "regions[0].pattern[0]");
    }

    @Test
    void hugeWeightsTakeTheBigIntegerPathsToTheSameVerdicts() throws IOException {
        // relu(x) + relu(y) written as relu((T/S)·relu(S·x))/T + ...: for every S, T > 0 the same function, regions and
        // certificate (RELU2_CERT; the second layer's units are identically zero where the first layer's are off), but
        // hidden forms of size S and T: longs throughout (1), products past 64 bits in cuts, meets and the forward pass
        // (2^40, 2^45), BigInteger from the model on (2^70, 2^75). Each scale must reach the verdict of the first.
        String cert = RELU2_CERT.replace("\"00\"", "\"0000\"").replace("\"01\"", "\"0101\"").replace("\"10\"", "\"1010\"").replace("\"11\"", "\"1111\"");
        List<Consumer<ObjectNode>> edits = List.of(o -> { }, o -> ((ArrayNode) o.get("regions")).remove(3),
                o -> reg(o, 0).set("witness", tree("[\"-1/2\", \"0\"]")), o -> ((ArrayNode) reg(o, 0).get("vertices")).remove(3),
                o -> ((ArrayNode) reg(o, 3).get("A").get(0)).set(1, new TextNode("2")), o -> ((ArrayNode) o.get("regions")).add(reg(o, 2).deepCopy()),
                o -> reg(o, 1).put("pattern", "0111"));
        List<String> expected = List.of("certified 4 4 4", "volumes sum to 3, the domain's volume is 4 @ regions",
                "not strictly inside the region @ regions[0].witness", "exact vertices @ regions[0].vertices",
                "has 1 here, not 2 @ regions[3].A[0][1]", "repeats that of regions[2] @ regions[4].pattern",
                "identically zero pre-activation; the pattern cannot say 1 @ regions[1].pattern[2]");
        long[][] scales = {{0, 0}, {20, 25}, {40, 45}, {70, 75}};
        for (long[] e : scales) {
            String sc = BigInteger.TWO.pow((int) e[0]).toString();
            String t = BigInteger.TWO.pow((int) e[1]).toString();
            Path m = model("scaled" + e[0] + ".json", """
                    {"netgeom": 1, "input": [2], "layers": [
                     {"op": "dense", "weight": [["%1$s", "0"], ["0", "%1$s"]]}, {"op": "relu"},
                     {"op": "dense", "weight": [["%2$s/%1$s", "0"], ["0", "%2$s/%1$s"]]}, {"op": "relu"},
                     {"op": "dense", "weight": [["1/%2$s", "1/%2$s"]]}]}""".formatted(sc, t));
            for (int i = 0; i < edits.size(); i++) {
                String got;
                try {
                    Certifier.Report r = Certifier.certify(m, cert(cert, edits.get(i)), DomainSpec.box("-1,1"));
                    got = "certified " + r.regions() + " " + r.affinePieces() + " " + r.domainVolume();
                } catch (CertRejected x) {
                    got = x.getMessage() + " @ " + x.path();
                }
                String[] want = expected.get(i).split(" @ ");
                assertTrue(want.length == 1 ? got.equals(want[0]) : got.contains(want[0]) && got.endsWith(" @ " + want[1]), "scale 2^" + e[0] + ", case " + i + ": " + got);
            }
        }
    }

    @Test
    void smoothOpsAndBadDomainsAreRefused() throws IOException {
        Path s = model("s.json", """
                {"netgeom": 1, "input": [1], "layers": [{"op": "tanh"}]}""");
        rejects(s, JSON.readTree(TENT_CERT), DomainSpec.box("0,1"), "not piecewise linear", "layers[0].op");
        Path t = model("t.json", TENT2);
        rejects(t, JSON.readTree(TENT_CERT), DomainSpec.box("1,1"), "empty interior", "--box");
        Files.writeString(dir.resolve("half.json"), "{\"A\": [[-1]], \"b\": [0]}");
        rejects(t, JSON.readTree(TENT_CERT), new DomainSpec(null, dir.resolve("half.json"), null), "unbounded", "--polytope");
        Files.writeString(dir.resolve("unit.json"), "{\"A\": [[-1], [1]], \"b\": [0, 1]}");
        assertEquals(4, Certifier.certify(t, JSON.readTree(TENT_CERT), new DomainSpec(null, dir.resolve("unit.json"), null)).regions());
    }

    @Test
    void safetensorsAreReadAsExactBinaryValues() throws IOException {
        // relu(w1 x + b1) then w2 h + b2 with w1 = F16 0x3555 = 1365/4096, b1 = BF16 0x3EAB = 171/512,
        // w2 = F32 0.1f, b2 = F64 0.1: on [0, 1] one region (w1 x + b1 > 0), f = w2 w1 x + w2 b1 + b2
        String head = "{\"w1\":{\"dtype\":\"F16\",\"shape\":[1,1],\"data_offsets\":[0,2]},\"b1\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"w2\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[4,8]},\"b2\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putShort((short) 0x3555).putShort((short) 0x3EAB).putFloat(0.1f).putDouble(0.1);
        Files.write(dir.resolve("w.safetensors"), b.array());
        Path m = model("st.json", """
                {"netgeom": 1, "input": [1], "layers": [
                 {"op": "dense", "weight": {"file": "w.safetensors", "key": "w1"}, "bias": {"file": "w.safetensors", "key": "b1"}}, {"op": "relu"},
                 {"op": "dense", "weight": {"file": "w.safetensors", "key": "w2"}, "bias": {"file": "w.safetensors", "key": "b2"}}]}""");
        BigDecimal w1 = new BigDecimal(1365).divide(new BigDecimal(4096));
        BigDecimal b1 = new BigDecimal(171).divide(new BigDecimal(512));
        BigDecimal w2 = new BigDecimal(0.1f);          // the JDK's exact binary expansions, the test's reference
        BigDecimal b2 = new BigDecimal(0.1);
        String c = """
                {"activationRegions": 1, "affinePieces": 1, "regions": [
                 {"pattern": "1", "witness": ["1/2"], "A": [["%s"]], "b": ["%s"], "piece": 0}]}""";
        String exact = c.formatted(w2.multiply(w1).toPlainString(), w2.multiply(b1).add(b2).toPlainString());
        assertEquals(1, Certifier.certify(m, JSON.readTree(exact), DomainSpec.box("0,1")).regions());
        String rounded = c.formatted(w2.multiply(w1).toPlainString(), "0.1334");
        rejects(m, JSON.readTree(rounded), DomainSpec.box("0,1"), "exact map", "regions[0].b[0]");
        assertEquals(1365.0 / 4096, Net.half(0x3555));
        assertEquals(-2.0, Net.half(0xC000));
        assertEquals(0x1p-24, Net.half(0x0001));
    }

    @Test
    void definitenessByExactElimination() {
        Q[][] pd = {{Q.of(2), Q.ONE}, {Q.ONE, Q.of(2)}};
        Q[][] psd = {{Q.ONE, Q.ONE}, {Q.ONE, Q.ONE}};
        Q[][] indefinite = {{Q.ZERO, Q.ONE}, {Q.ONE, Q.ZERO}};
        assertTrue(Lipschitz.definite(copy(pd), true));
        assertTrue(Lipschitz.definite(copy(psd), false));
        assertFalse(Lipschitz.definite(copy(psd), true));
        assertFalse(Lipschitz.definite(copy(indefinite), false));
        assertFalse(Lipschitz.definite(new Q[][]{{Q.of(-1)}}, false));
    }

    private static Q[][] copy(Q[][] m) {
        return java.util.Arrays.stream(m).map(Q[]::clone).toArray(Q[][]::new);
    }
}
