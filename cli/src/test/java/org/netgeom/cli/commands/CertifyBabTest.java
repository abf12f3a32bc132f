package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.CliRun;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.symbolic.regions.RandomNets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The independent checker on branch-and-bound trees of {@code range} and {@code verify}
 * (docs/certify.md, "Branch-and-bound trees"): trees the real search writes on seeded nets (relu,
 * leaky relu and abs MLPs, residual, conv2d + max pooling, concat + batchnorm), with input splits
 * and with unit splits only, certify (and certify again from the file with {@code netgeom
 * certify}); every tampering (a dropped child, a pruned node whose prune its own bound does not
 * reproduce, an altered dual or Farkas multiplier, a moved witness, a lower claimed maximum, a sat
 * answer marked unsat, a changed property, an open node) is rejected with CERT_REJECTED, exit 5
 * and the path of what failed.
 */
class CertifyBabTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Seeded nets of every op the search supports (the models of the symbolic tests' family, rebuilt here). */
    static Model net(int i) {
        long seed = 2000 + i;
        SplittableRandom r = new SplittableRandom(seed);
        return switch (i) {
            case 0 -> RandomNets.mlp(seed, 2, new int[]{6, 5}, 2, "relu", 8);
            case 1 -> RandomNets.mlp(seed, 3, new int[]{5, 4}, 2, "leaky_relu", 8);
            case 2 -> RandomNets.mlp(seed, 2, new int[]{5, 5}, 1, "abs", 6);
            case 3 -> residual(r);
            case 4 -> convMax(r);
            case 5 -> concatBn(r);
            default -> RandomNets.mlp(seed, 2, new int[]{8, 8, 6}, 3, "relu", 10);
        };
    }

    static final int NETS = 7;

    static Model residual(SplittableRandom r) {
        int h = 4;
        List<Layer> body = List.of(RandomNets.activation("relu"), RandomNets.dense(r, h, h, 4));
        List<Layer> body2 = List.of(RandomNets.dense(r, h, h, 4), RandomNets.activation("leaky_relu"), RandomNets.dense(r, h, h, 4));
        return new Model("residual", Shape.of(2), List.of(RandomNets.dense(r, 2, h, 4), new Layer.Residual("b1", body, null),
                RandomNets.activation("relu"), new Layer.Residual("b2", body2, List.of(RandomNets.dense(r, h, h, 4))),
                RandomNets.activation("relu"), RandomNets.dense(r, h, 2, 4)));
    }

    /** Input [1, 3, 3]: conv2d 1→2 (kernel 2), relu, maxpool 2 stride 1 (overlapping windows), flatten, dense. */
    static Model convMax(SplittableRandom r) {
        int c = 2;
        Scalar[] w = new Scalar[c * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Scalar[] b = new Scalar[c];
        for (int i = 0; i < c; i++) {
            b[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Layer.Conv2d conv = new Layer.Conv2d(null, Tensor.of(Shape.of(c, 1, 2, 2), w), Tensor.of(Shape.of(c), b), Layer.Hw.of(1), Layer.Hw.of(0));
        return new Model("conv-maxpool", Shape.of(1, 3, 3), List.of(conv, RandomNets.activation("relu"),
                new Layer.MaxPool2d(null, Layer.Hw.of(2), Layer.Hw.of(1)), new Layer.Flatten(null), RandomNets.dense(r, c, 2, 4)));
    }

    static Model concatBn(SplittableRandom r) {
        int h = 3;
        List<Layer> inner = List.of(RandomNets.dense(r, h, h, 4), RandomNets.activation("relu"));
        int w = 2 * h;
        Rational[] mean = new Rational[w];
        Rational[] var = new Rational[w];
        Rational[] g = new Rational[w];
        Rational[] b = new Rational[w];
        for (int i = 0; i < w; i++) {
            mean[i] = Rational.of(r.nextInt(-4, 5), 8);
            int s = r.nextInt(1, 4);
            var[i] = Rational.of(s * s).subtract(Layer.BatchNorm.DEFAULT_EPS);
            g[i] = Rational.of(r.nextInt(1, 5), 2);
            b[i] = Rational.of(r.nextInt(-4, 5), 4);
        }
        Layer.BatchNorm bn = new Layer.BatchNorm(null, Tensor.vector(mean), Tensor.vector(var), Tensor.vector(g), Tensor.vector(b),
                Layer.BatchNorm.DEFAULT_EPS);
        return new Model("concat-bn", Shape.of(2), List.of(RandomNets.dense(r, 2, h, 4), new Layer.Concat("cat", inner), bn,
                RandomNets.activation("relu"), RandomNets.dense(r, w, 2, 4)));
    }

    Path model(int i) throws IOException {
        Path p = dir.resolve("net" + i + ".json");
        if (!Files.exists(p)) {
            Files.writeString(p, IrWriter.toJson(net(i)));
        }
        return p;
    }

    Path write(String name, JsonNode j) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j));
        return p;
    }

    /** Runs a command that self-certifies; its JSON says so, and netgeom certify agrees on the file. */
    JsonNode certified(Path model, String box, String... args) throws IOException {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.status() == 3 ? 0 : r.status(), r.out() + r.err());
        JsonNode j = r.json();
        assertTrue(j.path("certified").asBoolean(), "certified: " + String.join(" ", args));
        Path f = write("res-" + System.nanoTime() + ".json", j);
        CliRun c = box == null ? CliRun.of("certify", model.toString(), f.toString(), "--json")
                : CliRun.of("certify", model.toString(), f.toString(), "--box=" + box, "--json");
        assertEquals(0, c.status(), c.out() + c.err());
        assertTrue(c.json().path("certified").asBoolean());
        return j;
    }

    /** netgeom certify rejects the tampered result: exit 5, CERT_REJECTED, a path the predicate accepts. */
    String rejected(Path model, JsonNode tampered, String box, Predicate<String> path) throws IOException {
        Path f = write("tampered-" + System.nanoTime() + ".json", tampered);
        CliRun c = box == null ? CliRun.of("certify", model.toString(), f.toString(), "--json")
                : CliRun.of("certify", model.toString(), f.toString(), "--box=" + box, "--json");
        assertEquals(5, c.status(), c.out() + c.err());
        assertEquals("CERT_REJECTED", c.code());
        String p = c.json().path("error").path("path").asText(null);
        assertNotNull(p, c.out());
        assertTrue(path.test(p), "path " + p + ": " + c.json().path("error").path("message").asText());
        return p;
    }

    String range(int i, String... extra) throws IOException {
        List<String> a = new ArrayList<>(List.of("range", model(i).toString(), "--box=-1,1", "--json"));
        a.addAll(List.of(extra));
        return String.join("\u0000", a);
    }

    JsonNode runRange(int i, String... extra) throws IOException {
        return certified(model(i), "-1,1", range(i, extra).split("\u0000"));
    }

    @Test
    void dumpNets() throws IOException {
        if (System.getProperty("bab.dump") != null) {
            for (int i = 0; i < NETS; i++) {
                Files.createDirectories(Path.of(System.getProperty("bab.dump")));
                Files.writeString(Path.of(System.getProperty("bab.dump"), "net" + i + ".json"), IrWriter.toJson(net(i)));
            }
        }
    }

    @Test
    void rangeTreesOfTheRealSearchCertify() throws IOException {
        int branched = 0;
        for (int i = 0; i < NETS; i++) {
            for (String splits : new String[]{"0", "2"}) {
                JsonNode j = runRange(i, "--input-splits", splits);
                assertTrue(j.path("exact").asBoolean());
                branched += j.path("nodes").asInt() > 2 * j.path("outputs").size() ? 1 : 0;
            }
        }
        // IBP bounding the search, and an objective
        runRange(0, "--method", "ibp", "--input-splits", "0");
        runRange(6, "--objective", "1,-1,1/2");
        assertTrue(branched >= 8, "most searches branch (" + branched + ")");
    }

    @Test
    void rangeWithoutTheTreesInItsOutputStillCertifiesAndNoCertifySkips() throws IOException {
        CliRun r = CliRun.of(range(0, "--no-certificate").split("\u0000"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.json().path("certified").asBoolean());
        assertTrue(r.json().path("certificate").isMissingNode());
        CliRun s = CliRun.of(range(0, "--no-certify").split("\u0000"));
        assertTrue(s.json().path("certified").isMissingNode());
        CliRun h = CliRun.of("range", model(0).toString(), "--box=-1,1");
        assertTrue(h.out().contains("certified by netgeom-certify: "), h.out());
    }

    /** The VNN-LIB text of "over [−1, 1]^n (X_fix = 1/4 when fix ≥ 0), each a·Y ≥ t" for the rows given. */
    static String vnnlib(int n, int outputs, int fix, String... constraints) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < n; j++) {
            s.append("(declare-const X_").append(j).append(" Real)\n");
        }
        for (int j = 0; j < outputs; j++) {
            s.append("(declare-const Y_").append(j).append(" Real)\n");
        }
        for (int j = 0; j < n; j++) {
            String lo = j == fix ? "0.25" : "-1";
            String hi = j == fix ? "0.25" : "1";
            s.append("(assert (>= X_").append(j).append(' ').append(lo).append("))\n");
            s.append("(assert (<= X_").append(j).append(' ').append(hi).append("))\n");
        }
        for (String c : constraints) {
            s.append("(assert ").append(c).append(")\n");
        }
        return s.toString();
    }

    static String num(Rational q) {
        return q.signum() < 0 ? "(- (/ " + q.numerator().negate() + " " + q.denominator() + "))" : "(/ " + q.numerator() + " " + q.denominator() + ")";
    }

    /** The exact max of y0 − y1 (or of y0 for one output) over [−1, 1]^n, from a certified range. */
    Rational maxGap(int i) throws IOException {
        int k = outputs(i);
        JsonNode j = runRange(i, k == 1 ? new String[]{"--output", "0"} : new String[]{"--objective", "1,-1" + ",0".repeat(k - 2)});
        return Rational.parse(j.path("outputs").get(0).path("max").asText());
    }

    static int outputs(int i) {
        return switch (i) {
            case 2 -> 1;
            case 6 -> 3;
            default -> 2;
        };
    }

    static int inputs(int i) {
        return i == 1 ? 3 : i == 4 ? 9 : 2;
    }

    Path spec(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    JsonNode runVerify(int i, Path spec, String... extra) throws IOException {
        List<String> a = new ArrayList<>(List.of("verify", model(i).toString(), "--spec", spec.toString(), "--json"));
        a.addAll(List.of(extra));
        return certified(model(i), null, a.toArray(new String[0]));
    }

    static String gap(int i, Rational t) {
        return outputs(i) == 1 ? "(>= Y_0 " + num(t) + ")" : "(>= (- Y_0 Y_1) " + num(t) + ")";
    }

    @Test
    void verifyAnswersOfTheRealSearchCertify() throws IOException {
        Rational eps = Rational.of(1, 64);
        for (int i = 0; i < NETS; i++) {
            Rational m = maxGap(i);
            int n = inputs(i);
            int k = outputs(i);
            Path unsat = spec("u" + i + ".vnnlib", vnnlib(n, k, -1, gap(i, m.add(eps))));
            Path sat = spec("s" + i + ".vnnlib", vnnlib(n, k, -1, gap(i, m.subtract(eps))));
            for (String splits : new String[]{"0", "2"}) {
                JsonNode u = runVerify(i, unsat, "--no-attack", "--input-splits", splits);
                assertEquals("unsat", u.path("result").asText());
                JsonNode s = runVerify(i, sat, "--no-attack", "--input-splits", splits);
                assertEquals("sat", s.path("result").asText());
            }
            // two constraints (the leaf LP in (x, t), the mean row's bound), and with the attack first
            Path two = spec("t" + i + ".vnnlib", vnnlib(n, k, -1, gap(i, m.add(eps)), "(>= Y_0 -1000)"));
            assertEquals("unsat", runVerify(i, two, "--no-attack").path("result").asText());
            assertEquals("sat", runVerify(i, sat).path("result").asText());
            if (i != 4) {
                // a fixed input: the search runs over the free inputs (the checker folds the fixed one in itself)
                Path fixed = spec("f" + i + ".vnnlib", vnnlib(n, k, 0, gap(i, m.add(eps))));
                assertEquals("unsat", runVerify(i, fixed, "--no-attack", "--input-splits", "1").path("result").asText());
            }
        }
    }

    /** A tree 1500 levels deep (3000 JSON levels, beyond Jackson's default 1000) still certifies from its file. */
    @Test
    void deepTreesAreRead() throws IOException {
        Path model = dir.resolve("relu.json");
        Files.writeString(model, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[1]], \"bias\": [0]}, {\"op\": \"relu\"}]}");
        // max of relu(x) on [-1, 1] is 1 at x = 1: bisect [m, 1] at its midpoint 1500 times, every low side pruned (its bound ≤ 1)
        StringBuilder t = new StringBuilder("{");
        Rational lo = Rational.of(-1);
        int depth = 1500;
        for (int d = 0; d < depth; d++) {
            Rational m = lo.add(Rational.ONE).divide(Rational.TWO);
            t.append("\"status\": \"branch\", \"children\": [{\"input\": 0, \"side\": \"low\", \"at\": \"").append(m)
                    .append("\", \"status\": \"pruned\"}, {\"input\": 0, \"side\": \"high\", \"at\": \"").append(m)
                    .append("\", \"status\": \"branch\", \"children\": [{\"unit\": 0, \"phase\": 0, \"status\": \"pruned\"}, {\"unit\": 0, \"phase\": 1, ");
            lo = m;
        }
        t.append("\"status\": \"pruned\"");
        t.append("}]}]".repeat(depth)).append("}");
        String min = "{\"status\": \"branch\", \"children\": [{\"unit\": 0, \"phase\": 0, \"status\": \"pruned\"}, {\"unit\": 0, \"phase\": 1, \"status\": \"pruned\"}]}";
        String json = "{\"outputs\": [{\"index\": 0, \"exact\": true, \"min\": \"0\", \"max\": \"1\", \"argmin\": [\"0\"], \"argmax\": [\"1\"]}], \"exact\": true,"
                + " \"certificate\": {\"kind\": \"branch-and-bound\", \"searches\": [{\"output\": 0, \"sense\": \"max\", \"root\": " + t
                + "}, {\"output\": 0, \"sense\": \"min\", \"root\": " + min + "}]}}";
        Path f = dir.resolve("deep.json");
        Files.writeString(f, json);
        CliRun c = CliRun.of("certify", model.toString(), f.toString(), "--box=-1,1", "--json");
        assertEquals(0, c.status(), c.out() + c.err());
        assertEquals(2 * depth * 2 + 1 + 3, c.json().path("nodes").asInt());
    }

    // ---- tamperings ----

    /** Every node with its path, depth first. */
    static void nodes(JsonNode n, String path, List<Object[]> out) {
        out.add(new Object[]{path, n});
        JsonNode ch = n.path("children");
        for (int i = 0; i < ch.size(); i++) {
            nodes(ch.get(i), path + ".children[" + i + "]", out);
        }
    }

    static List<Object[]> nodes(JsonNode result, int search) {
        List<Object[]> out = new ArrayList<>();
        nodes(result.path("certificate").path("searches").get(search).path("root"), "certificate.searches[" + search + "].root", out);
        return out;
    }

    @Test
    void tamperedRangeTreesAreRejectedWithAPath() throws IOException {
        int net = 6;
        JsonNode good = runRange(net, "--input-splits", "0", "--output", "0");
        Path model = model(net);
        // a dropped child
        JsonNode t = good.deepCopy();
        Object[] br = nodes(t, 0).stream().filter(x -> ((JsonNode) x[1]).path("status").asText().equals("branch")).findFirst().orElseThrow();
        ((ArrayNode) ((JsonNode) br[1]).get("children")).remove(1);
        String p = rejected(model, t, "-1,1", x -> x.startsWith((String) br[0]));
        // a branch node made a pruned leaf, where its own bound is above the max: the prune is not reproduced
        t = good.deepCopy();
        Rational max = Rational.parse(t.path("outputs").get(0).path("max").asText());
        Object[] loose = nodes(t, 0).stream().filter(x -> ((JsonNode) x[1]).path("status").asText().equals("branch")
                && Rational.parse(((JsonNode) x[1]).path("bound").asText()).compareTo(max.add(Rational.of(1, 100))) > 0).findFirst().orElseThrow();
        ((ObjectNode) loose[1]).put("status", "pruned");
        ((ObjectNode) loose[1]).remove("children");
        rejected(model, t, "-1,1", x -> x.equals(loose[0]));
        // an altered LP dual
        t = good.deepCopy();
        Object[] leaf = null;
        for (int s = 0; s < 2 && leaf == null; s++) {
            leaf = nodes(t, s).stream().filter(x -> ((JsonNode) x[1]).path("status").asText().equals("leaf")
                    && ((JsonNode) x[1]).path("lp").path("dual").size() > 0).findFirst().orElse(null);
        }
        assertNotNull(leaf, "a leaf with a dual");
        ObjectNode dual = (ObjectNode) ((JsonNode) leaf[1]).path("lp").path("dual");
        String key = dual.fieldNames().next();
        dual.put(key, Rational.parse(dual.get(key).asText()).multiply(Rational.TWO).toString());
        String lp = (String) leaf[0];
        rejected(model, t, "-1,1", x -> x.startsWith(lp + ".lp"));
        // a leaf's LP said infeasible
        t = good.deepCopy();
        Object[] leaf2 = nodes(t, 0).stream().filter(x -> ((JsonNode) x[1]).path("status").asText().equals("leaf")).findFirst().orElseThrow();
        ((ObjectNode) ((JsonNode) leaf2[1]).path("lp")).put("status", "infeasible");
        rejected(model, t, "-1,1", x -> x.startsWith(leaf2[0] + ".lp"));
        // the witness moved (to the minimiser)
        t = good.deepCopy();
        ObjectNode o = (ObjectNode) t.path("outputs").get(0);
        o.set("argmax", o.get("argmin").deepCopy());
        rejected(model, t, "-1,1", x -> x.equals("outputs[0].argmax"));
        // a lower maximum claimed, with a witness that attains it (the minimum): the tree must fail
        t = good.deepCopy();
        o = (ObjectNode) t.path("outputs").get(0);
        o.set("argmax", o.get("argmin").deepCopy());
        o.set("max", o.get("min").deepCopy());
        rejected(model, t, "-1,1", x -> x.startsWith("certificate.searches[0].root"));
        // a unit split whose children name different units
        t = good.deepCopy();
        Object[] us = nodes(t, 0).stream().filter(x -> ((JsonNode) x[1]).path("children").path(0).has("unit")).findFirst().orElseThrow();
        ObjectNode c1 = (ObjectNode) ((JsonNode) us[1]).path("children").get(1);
        c1.put("unit", c1.get("unit").asInt() + 1);
        rejected(model, t, "-1,1", x -> x.startsWith((String) us[0]));
        // another domain
        rejected(model, good, "-2,1", x -> x.startsWith("outputs") || x.startsWith("certificate"));
        // a search stopped at a limit: nothing exact to certify
        CliRun lim = CliRun.of("range", model.toString(), "--box=-1,1", "--json", "--max-nodes", "2", "--input-splits", "0");
        assertEquals(0, lim.status(), lim.err());
        rejected(model, lim.json(), "-1,1", x -> x.equals("exact"));
        assertTrue(p.startsWith("certificate"));
    }

    @Test
    void tamperedInputSplitsAndFarkasAreRejected() throws IOException {
        // input splits: one child moved to another point
        int net = 0;
        JsonNode good = runRange(net, "--input-splits", "2");
        Path model = model(net);
        JsonNode t = good.deepCopy();
        Object[] is = nodes(t, 0).stream().filter(x -> ((JsonNode) x[1]).path("children").path(0).has("input")).findFirst().orElseThrow();
        ((ObjectNode) ((JsonNode) is[1]).path("children").get(1)).put("at", "1/3");
        rejected(model, t, "-1,1", x -> x.startsWith((String) is[0]));
        // a Farkas certificate altered (the first empty node with multipliers, over the nets)
        boolean found = false;
        for (int i = 0; i < NETS && !found; i++) {
            JsonNode g = runRange(i, "--input-splits", "0");
            int searches = g.path("certificate").path("searches").size();
            for (int s = 0; s < searches && !found; s++) {
                for (Object[] x : nodes(g, s)) {
                    JsonNode nd = (JsonNode) x[1];
                    if (nd.path("status").asText().equals("empty") && nd.path("farkas").size() > 0) {
                        JsonNode bad = g.deepCopy();
                        ObjectNode f = (ObjectNode) nodes(bad, s).stream().filter(y -> y[0].equals(x[0])).findFirst().orElseThrow()[1];
                        f = (ObjectNode) f.get("farkas");
                        String key = f.fieldNames().next();
                        f.put(key, Rational.parse(f.get(key).asText()).add(Rational.ONE).toString());
                        rejected(model(i), bad, "-1,1", y -> y.equals(x[0] + ".farkas"));
                        found = true;
                        break;
                    }
                }
            }
        }
        assertTrue(found, "some search proves a child empty by Farkas multipliers");
    }

    @Test
    void tamperedVerifyResultsAreRejected() throws IOException {
        int i = 0;
        Rational m = maxGap(i);
        Path model = model(i);
        Path unsat = spec("u.vnnlib", vnnlib(2, 2, -1, gap(i, m.add(Rational.of(1, 64)))));
        Path sat = spec("s.vnnlib", vnnlib(2, 2, -1, gap(i, m.subtract(Rational.of(1, 64)))));
        JsonNode u = runVerify(i, unsat, "--no-attack", "--input-splits", "0");
        // the property changed (its constant moved up by 1/32: the largest margin is then 1/64 > 0)
        JsonNode t = u.deepCopy();
        ObjectNode c = (ObjectNode) t.path("terms").get(0).path("outputConstraints").get(0);
        c.put("b", Rational.parse(c.get("b").asText()).add(Rational.of(1, 32)).toString());
        rejected(model, t, null, x -> x.startsWith("certificate.searches[0].root"));
        // a counterexample's y altered, a sat answer marked unsat (by the branch and bound: open nodes; by the attack: no tree)
        JsonNode s = runVerify(i, sat, "--no-attack", "--input-splits", "0");
        t = s.deepCopy();
        ((ArrayNode) t.path("counterexample").path("y")).set(0, new TextNode("7"));
        rejected(model, t, null, x -> x.equals("counterexample.y[0]"));
        t = s.deepCopy();
        ((ObjectNode) t).put("result", "unsat");
        ((ObjectNode) t.path("terms").get(0)).put("result", "unsat");
        rejected(model, t, null, x -> x.startsWith("certificate.searches[0].root"));
        JsonNode sa = runVerify(i, sat);
        assertEquals("attack", sa.path("terms").get(0).path("by").asText());
        t = sa.deepCopy();
        ((ObjectNode) t).put("result", "unsat");
        ((ObjectNode) t.path("terms").get(0)).put("result", "unsat");
        rejected(model, t, null, x -> x.equals("terms[0]"));
        // the recorded constraints missing
        t = u.deepCopy();
        ((ObjectNode) t.path("terms").get(0)).remove("outputConstraints");
        rejected(model, t, null, x -> x.equals("terms[0].outputConstraints"));
    }
}
