package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.CliRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netgeom certify} and the self-checks of regions, perturb --lipschitz and loss-surface
 * --line (issue 13): what the commands write is certified by the independent checker, on 1-D to
 * 4-D nets, a residual + batchnorm + concat net, a conv2d + maxpool net on a slice and a polytope;
 * every tampering is rejected with exit 5, CERT_REJECTED and its own reason.
 */
class CertifyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NET3 = """
            {"netgeom": 1, "input": [3], "layers": [
             {"op": "dense", "weight": [[1, -2, 1], [2, 1, -1], [-1, 1, 3], [1, 1, 1]], "bias": ["1/2", 0, "-1/3", "-1/4"]}, {"op": "relu"},
             {"op": "dense", "weight": [[1, -1, 2, 1], [-2, 1, 1, 0], [1, 1, -1, 2]], "bias": [0, "1/2", -1]}, {"op": "leaky_relu", "slope": "1/8"},
             {"op": "dense", "weight": [[1, 2, -1]], "bias": [0]}]}""";
    static final String NET4 = """
            {"netgeom": 1, "input": [4], "layers": [
             {"op": "dense", "weight": [[1, -1, 0, 1], [0, 1, 1, -1], [1, 1, -1, 0], [-1, 0, 1, 1], [1, 0, 0, -1]],
              "bias": [0, "1/2", "-1/3", "1/4", 0]}, {"op": "relu"},
             {"op": "dense", "weight": [[1, -2, 1, 1, -1], [1, 1, 1, -1, 2]], "bias": [0, 0]}]}""";
    static final String RESIDUAL = """
            {"netgeom": 1, "input": [2], "layers": [
             {"op": "dense", "weight": [[1, 1], [1, -1], [-1, 2]], "bias": [0, "1/4", "-1/2"]}, {"op": "relu"},
             {"op": "residual", "layers": [{"op": "dense", "weight": [[1, -1, 0], [0, 1, -1], [1, 0, 1]], "bias": ["-1/2", 0, "1/4"]}, {"op": "abs"}],
              "shortcut": [{"op": "batchnorm", "mean": [0, "1/2", 0], "var": [0, "3/4", 2], "eps": "1/4", "weight": [1, 2, "1/2"], "bias": [0, 0, 1]}]},
             {"op": "concat", "layers": [{"op": "dense", "weight": [[1, -1, 1]], "bias": ["-1/3"]}, {"op": "relu"}]},
             {"op": "dense", "weight": [[1, 1, -1, 2]], "bias": [0]}]}""";
    static final String CONV = """
            {"netgeom": 1, "input": [1, 3, 3], "layers": [
             {"op": "conv2d", "weight": [[[[1, -1], [0, 1]]], [[[-1, 0], [1, 1]]]], "bias": ["1/4", "-1/4"]}, {"op": "relu"},
             {"op": "maxpool2d", "kernel": 2, "stride": 1}, {"op": "flatten"}, {"op": "dense", "weight": [[1, -1]], "bias": [0]}]}""";
    static final String CONV_SLICE = "0,0,0,0,1/2,0,0,0,0;1,0,1,0,1,0,0,-1,0;0,1,0,1,0,0,1,0,-1";

    @TempDir
    Path dir;

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** regions --json: self-certified; the file then certifies on its own. */
    JsonNode regions(Path model, String... domain) throws IOException {
        List<String> args = new ArrayList<>(List.of("regions", model.toString(), "--json"));
        args.addAll(List.of(domain));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("certified").asBoolean(), "regions says certified");
        Path res = dir.resolve("res-" + System.nanoTime() + ".json");
        Files.writeString(res, r.out());
        List<String> c = new ArrayList<>(List.of("certify", model.toString(), res.toString(), "--json"));
        c.addAll(List.of(domain));
        CliRun cr = CliRun.of(c.toArray(new String[0]));
        assertEquals(0, cr.status(), cr.out() + cr.err());
        assertTrue(cr.json().path("certified").asBoolean());
        assertEquals(j.get("activationRegions").asInt(), cr.json().get("regions").asInt());
        assertEquals(j.get("affinePieces").asInt(), cr.json().get("affinePieces").asInt());
        return j;
    }

    /** certify on an edited copy: exit 5, CERT_REJECTED, the path; returns the message. */
    String rejected(Path model, JsonNode result, Consumer<ObjectNode> edit, String path, String... domain) throws IOException {
        ObjectNode o = result.deepCopy();
        edit.accept(o);
        Path res = dir.resolve("bad-" + System.nanoTime() + ".json");
        Files.writeString(res, JSON.writeValueAsString(o));
        List<String> c = new ArrayList<>(List.of("certify", model.toString(), res.toString()));
        c.addAll(List.of(domain));
        CliRun human = CliRun.of(c.toArray(new String[0]));
        assertEquals(5, human.status(), human.out() + human.err());
        assertTrue(human.err().startsWith("error[CERT_REJECTED]: "), human.err());
        c.add("--json");
        CliRun r = CliRun.of(c.toArray(new String[0]));
        assertEquals(5, r.status());
        assertEquals("CERT_REJECTED", r.code());
        String got = r.json().path("error").path("path").asText();
        if (path.endsWith("*")) {                  // any path under the prefix
            assertTrue(got.startsWith(path.substring(0, path.length() - 1)), r.out());
        } else {
            assertEquals(path, got, r.out());
        }
        assertTrue(human.err().contains("(at " + got + ")"), human.err());
        return r.json().path("error").path("message").asText();
    }

    @Test
    void whatRegionsWritesCertifies() throws IOException {
        Path tent = Fixtures.tent(dir);
        assertEquals(4, regions(tent, "--box=0,1").get("activationRegions").asInt());
        assertTrue(regions(file("n3.json", NET3), "--box=-1,1").get("activationRegions").asInt() > 10);
        assertTrue(regions(file("n4.json", NET4), "--box=-1,1").get("activationRegions").asInt() > 10);
        Path res = file("res.json", RESIDUAL);
        assertTrue(regions(res, "--box=-1,1").get("activationRegions").asInt() > 5);
        regions(res, "--box=-1,1", "--slice", "0,0;1,1");
        JsonNode conv = regions(file("conv.json", CONV), "--box=-1,1", "--slice", CONV_SLICE);
        assertTrue(conv.get("activationRegions").asInt() > conv.get("affinePieces").asInt(), "max pooling merges regions into pieces");
        Path tri = file("tri.json", "{\"A\": [[1, 1], [-1, 0], [0, -1]], \"b\": [1, 0, 0]}");
        regions(res, "--polytope", tri.toString());
        regions(file("n3b.json", NET3), "--box=-1,1", "--slice", "0,0,1/4;1,0,0;0,1,1");
    }

    @Test
    void everyTamperingIsRejectedWithItsOwnReason() throws IOException {
        Path m = file("n3.json", NET3);
        String[] box = {"--box=-1,1", "--slice", "0,0,1/4;1,0,0;0,1,1"};
        JsonNode good = regions(m, box);
        int n = good.get("regions").size();
        Set<String> reasons = new HashSet<>();
        reasons.add(rejected(m, good, o -> {
            ((ArrayNode) o.get("regions")).remove(n - 1);
            o.put("activationRegions", n - 1);
        }, "regions", box));
        reasons.add(rejected(m, good, o -> ((ArrayNode) o.get("regions")).add(o.get("regions").get(0).deepCopy()), "regions[" + n + "].pattern", box));
        // the witness of region 0 replaced by that of a region that shares a facet with it (same vertex pair)
        int nb = neighbour(good, 0);
        reasons.add(rejected(m, good, o -> ((ObjectNode) o.get("regions").get(0)).set("witness", good.get("regions").get(nb).get("witness")),
                "regions[0].witness", box));
        reasons.add(rejected(m, good, o -> ((ArrayNode) o.get("regions").get(1).get("A").get(0)).set(1, new TextNode("1234/5")),
                "regions[1].A[0][1]", box));
        reasons.add(rejected(m, good, o -> ((ArrayNode) o.get("regions").get(2).get("b")).set(0, new TextNode("-1/7")), "regions[2].b[0]", box));
        reasons.add(rejected(m, good, o -> o.put("activationRegions", n + 1), "activationRegions", box));
        reasons.add(rejected(m, good, o -> o.put("affinePieces", good.get("affinePieces").asInt() + 1), "affinePieces", box));
        // another model: one weight of the first layer changed
        Path other = file("other.json", NET3.replace("[1, -2, 1]", "[1, -2, 2]"));
        String otherModel = rejected(other, good, o -> { }, "regions[0].witness", box);
        reasons.add(otherModel);
        // another domain: a region's listed vertices, or the volumes, no longer fit
        reasons.add(rejected(m, good, o -> { }, "regions*", "--box=-1,2", "--slice", "0,0,1/4;1,0,0;0,1,1"));
        assertEquals(9, reasons.size(), "nine different reasons: " + reasons);
    }

    /** A region sharing an edge (two vertices) with region i. */
    static int neighbour(JsonNode res, int i) {
        JsonNode rs = res.get("regions");
        Set<String> vi = new HashSet<>();
        rs.get(i).get("vertices").forEach(v -> vi.add(v.toString()));
        for (int j = 0; j < rs.size(); j++) {
            int common = 0;
            for (JsonNode v : rs.get(j).get("vertices")) {
                common += j != i && vi.contains(v.toString()) ? 1 : 0;
            }
            if (common >= 2) {
                return j;
            }
        }
        throw new AssertionError("region " + i + " has no neighbour");
    }

    @Test
    void humanOutputSaysCertifiedAndNoCertifySkips() throws IOException {
        Path tent = Fixtures.tent(dir);
        CliRun h = CliRun.of("regions", tent.toString(), "--box=0,1");
        assertEquals(0, h.status());
        assertTrue(h.out().contains("certified by netgeom-certify"), h.out());
        CliRun skip = CliRun.of("regions", tent.toString(), "--box=0,1", "--no-certify", "--json");
        assertFalse(skip.json().has("certified"));
        assertFalse(CliRun.of("regions", tent.toString(), "--box=0,1", "--no-certify").out().contains("certified by"));
        Path res = file("t.json", CliRun.of("regions", tent.toString(), "--box=0,1", "--json").out());
        CliRun c = CliRun.of("certify", tent.toString(), res.toString(), "--box=0,1");
        assertEquals(0, c.status());
        assertTrue(c.out().startsWith("certified"), c.out());
        CliRun noDomain = CliRun.of("certify", tent.toString(), res.toString(), "--json");
        assertEquals(2, noDomain.status());
        assertEquals("USAGE", noDomain.code());
    }

    @Test
    void lipschitzResultsAreCertified() throws IOException {
        Path m = file("n3.json", NET3);
        CliRun r = CliRun.of("perturb", m.toString(), "--lipschitz", "--box=-1,1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("certified").asBoolean());
        assertEquals(j.get("regions").asInt(), j.get("evidence").get("regions").size());
        Path res = file("lip.json", r.out());
        CliRun c = CliRun.of("certify", m.toString(), res.toString(), "--box=-1,1", "--json");
        assertEquals(0, c.status(), c.out());
        assertEquals("lipschitz", c.json().get("kind").asText());
        Set<String> reasons = new HashSet<>();
        reasons.add(rejected(m, j, o -> ((ObjectNode) o.get("lipschitz")).put("linf", "1/3"), "lipschitz.linf", "--box=-1,1"));
        reasons.add(rejected(m, j, o -> ((ObjectNode) o.get("lipschitz")).put("l1", "100"), "lipschitz.l1", "--box=-1,1"));
        String lo = j.get("lipschitz").get("l2Enclosure").get(0).asText();
        reasons.add(rejected(m, j, o -> {
                    ArrayNode e = (ArrayNode) o.get("lipschitz").get("l2Enclosure");
                    e.set(1, new TextNode(lo));
                    e.set(0, new TextNode("0"));
                },
                "lipschitz.l2Enclosure[1]", "--box=-1,1"));
        reasons.add(rejected(m, j, o -> ((ArrayNode) o.get("evidence").get("regions")).remove(0), "evidence.regions", "--box=-1,1"));
        assertEquals(4, reasons.size());
        CliRun human = CliRun.of("perturb", m.toString(), "--lipschitz", "--box=-1,1");
        assertTrue(human.out().contains("certified by netgeom-certify"), human.out());
    }

    @Test
    void lossLinesAreCertified() throws IOException {
        Path tent = Fixtures.tent(dir);
        Path data = Fixtures.tentData(dir);
        Path d = file("dir.json", "{\"weight\": [[\"0\", \"0\"]], \"bias\": [\"1\"]}");
        CliRun r = CliRun.of("loss-surface", tent.toString(), "--data", data.toString(), "--layer", "6", "--line", d.toString(), "--range=-1,1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertTrue(j.path("certified").asBoolean());
        Path res = file("line.json", r.out());
        CliRun c = CliRun.of("certify", tent.toString(), res.toString(), "--box=-1,1", "--json");
        assertEquals(0, c.status(), c.out());
        assertEquals("loss-line", c.json().get("kind").asText());
        Set<String> reasons = new HashSet<>();
        reasons.add(rejected(tent, j, o -> ((ArrayNode) o.get("pieces").get(1).get("coeffs")).set(2, new TextNode("1/5")), "pieces[1].coeffs[2]", "--box=-1,1"));
        reasons.add(rejected(tent, j, o -> ((ArrayNode) o.get("pieces")).remove(1), "pieces[1].interval", "--box=-1,1"));
        reasons.add(rejected(tent, j, o -> ((ArrayNode) o.get("pieces").get(0).get("interval")).set(1, new TextNode("-1/2")), "pieces[0].pattern", "--box=-1,1"));
        reasons.add(rejected(tent, j, o -> { }, "evidence.range", "--box=-1,2"));
        assertEquals(4, reasons.size());
        assertFalse(CliRun.of("loss-surface", tent.toString(), "--data", data.toString(), "--layer", "6", "--line", d.toString(),
                "--range=-1,1", "--json", "--no-certify").json().has("certified"));
    }
}
