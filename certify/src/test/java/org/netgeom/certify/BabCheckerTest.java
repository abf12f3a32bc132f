package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The branch-and-bound tree checker on hand-derived trees for f(x) = relu(x) on [−1, 1]
 * (max 1 at x = 1, min 0): every claim below is worked out by hand in its comment (the LP duals,
 * the Farkas multipliers, the relaxation's bounds); each tampering must be rejected with its path.
 * The trees of the real search are checked by the cli's CertifyBabTest.
 */
class BabCheckerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RELU = """
            {"netgeom": 1, "input": [1], "layers": [{"op": "dense", "weight": [[1]], "bias": [0]}, {"op": "relu"}]}""";

    /*
     * max search: the root splits unit 0 (z = x). Phase 0 (x ≤ 0): f = 0 ≤ 1, pruned (the relaxation with
     * the unit clamped off bounds f by 0). Phase 1 (x > 0): f = x, a leaf; its constraints are
     * [0] x + 1 ≥ 0, [1] 1 − x ≥ 0, [2] x > 0; max x has the dual y1 = 1: y1·(−1) = −1 = −o, value y1·1 = 1.
     * min search (max −f): both phases pruned: off, −f = 0 ≤ 0; on, f = z ∈ [0, 1] (clamped), −f ≤ 0.
     */
    static final String RANGE = """
            {"outputs": [{"index": 0, "exact": true, "min": "0", "max": "1", "argmin": ["-1/2"], "argmax": ["1"], "nodes": 6}],
             "exact": true, "nodes": 6,
             "certificate": {"kind": "branch-and-bound", "relaxation": "crown", "searches": [
               {"output": 0, "sense": "max", "root": {"status": "branch", "children": [
                 {"unit": 0, "phase": 0, "status": "pruned"},
                 {"unit": 0, "phase": 1, "status": "leaf", "lp": {"status": "optimal", "point": ["1"], "dual": {"1": "1"}}}]}},
               {"output": 0, "sense": "min", "root": {"status": "branch", "children": [
                 {"unit": 0, "phase": 0, "status": "pruned"}, {"unit": 0, "phase": 1, "status": "pruned"}]}}]}}""";

    /*
     * max search with an input split at 0. Low (x ≤ 0, constraint [2] 0 − x ≥ 0) splits unit 0 again: phase 1 adds
     * [3] x > 0, infeasible by y2 = y3 = 1 (−x + x = 0, constants 0 + 0 = 0, weight on the strict [3]); phase 0 is a
     * leaf with f = 0 (o = 0, no multipliers, value 0). High (x > 0, [2] x > 0): the relaxation decides unit 0 on,
     * f = x, the leaf's dual y1 = 1 (value 1).
     */
    static final String SPLIT = """
            {"outputs": [{"index": 0, "exact": true, "min": "0", "max": "1", "argmin": ["-1/2"], "argmax": ["1"], "nodes": 8}],
             "exact": true, "nodes": 8,
             "certificate": {"kind": "branch-and-bound", "relaxation": "crown", "searches": [
               {"output": 0, "sense": "max", "root": {"status": "branch", "children": [
                 {"input": 0, "side": "low", "at": "0", "status": "branch", "children": [
                   {"unit": 0, "phase": 0, "status": "leaf", "lp": {"status": "optimal", "point": ["0"], "dual": {}}},
                   {"unit": 0, "phase": 1, "status": "empty", "farkas": {"2": "1", "3": "1"}}]},
                 {"input": 0, "side": "high", "at": "0", "status": "leaf", "lp": {"status": "optimal", "point": ["1"], "dual": {"1": "1"}}}]}},
               {"output": 0, "sense": "min", "root": {"status": "branch", "children": [
                 {"unit": 0, "phase": 0, "status": "pruned"}, {"unit": 0, "phase": 1, "status": "pruned"}]}}]}}""";

    /*
     * verify: the violation Y_0 − 2 ≥ 0 on [−1, 1]. The root's relaxation: the chord z/2 + 1/2 bounds f by 1, so
     * the margin is ≤ −1 < 0: pruned. The sat variant Y_0 − 1/2 ≥ 0 at x = 1: y = 1, margin 1/2.
     */
    static final String UNSAT = """
            {"result": "unsat", "counterexample": null,
             "terms": [{"index": 0, "box": 0, "constraints": 1, "result": "unsat", "by": "branch-and-bound",
                        "outputConstraints": [{"a": ["1"], "b": "-2"}]}],
             "dropped": 0, "boxes": [{"lower": ["-1"], "upper": ["1"]}], "nodes": 1,
             "certificate": {"kind": "branch-and-bound", "relaxation": "crown", "target": "0",
                             "searches": [{"term": 0, "root": {"status": "pruned"}}]}}""";
    static final String SAT = """
            {"result": "sat", "counterexample": {"term": 0, "box": 0, "x": ["1"], "y": ["1"], "margin": "1/2"},
             "terms": [{"index": 0, "box": 0, "constraints": 1, "result": "sat", "by": "attack",
                        "outputConstraints": [{"a": ["1"], "b": "-1/2"}]}],
             "dropped": 0, "boxes": [{"lower": ["-1"], "upper": ["1"]}], "nodes": 0}""";

    @TempDir
    Path dir;

    Path model() throws IOException {
        Path p = dir.resolve("relu.json");
        Files.writeString(p, RELU);
        return p;
    }

    Certifier.Report check(String json, Consumer<ObjectNode> tamper) throws IOException {
        ObjectNode j = (ObjectNode) JSON.readTree(json);
        tamper.accept(j);
        return Certifier.certify(model(), j, DomainSpec.box("-1,1"));
    }

    void rejected(String json, Consumer<ObjectNode> tamper, String path) {
        CertRejected e = assertThrows(CertRejected.class, () -> check(json, tamper));
        assertEquals(path, e.path(), e.getMessage());
    }

    static ObjectNode at(JsonNode j, String... keys) {
        JsonNode n = j;
        for (String k : keys) {
            n = k.matches("\\d+") ? n.get(Integer.parseInt(k)) : n.get(k);
        }
        return (ObjectNode) n;
    }

    static ObjectNode root(JsonNode j, int s) {
        return at(j, "certificate", "searches", Integer.toString(s), "root");
    }

    @Test
    void handDerivedTreesCertify() throws IOException {
        Certifier.Report r = check(RANGE, j -> { });
        assertEquals("range", r.kind());
        assertEquals(6, r.regions());
        assertEquals(1, r.inequalities());
        assertTrue(check(SPLIT, j -> { }).summary().contains("8 branch-and-bound nodes"));
        assertEquals("verify", check(UNSAT, j -> { }).kind());
        assertTrue(check(SAT, j -> { }).summary().startsWith("sat"));
        // the min search's root alone is prunable too: the lower line of slope 0 (the near tie l = −1, u = 1 flipped) gives −f ≤ 0
        check(RANGE, j -> {
            root(j, 1).remove("children");
            root(j, 1).put("status", "pruned");
        });
    }

    /** Weights of 2^40 overflow the fast relaxation's longs: the precise one takes over, with the same verdicts. */
    @Test
    void hugeWeightsFallBackToThePreciseRelaxation() throws IOException {
        String big = "1099511627776";
        Path m = dir.resolve("big.json");
        Files.writeString(m, RELU.replace("[[1]]", "[[" + big + "]]"));
        String range = RANGE.replace("\"max\": \"1\"", "\"max\": \"" + big + "\"").replace("{\"1\": \"1\"}", "{\"1\": \"" + big + "\"}");
        Certifier.Report r = Certifier.certify(m, JSON.readTree(range), DomainSpec.box("-1,1"));
        assertTrue(r.summary().contains("3 needed the 2^-80 relaxation"), r.summary());
        ObjectNode j = (ObjectNode) JSON.readTree(range);
        at(j, "outputs", "0").put("max", "1099511627775");
        ((ArrayNode) at(j, "outputs", "0").get("argmax")).set(0, JSON.getNodeFactory().textNode("1099511627775/1099511627776"));
        CertRejected e = assertThrows(CertRejected.class, () -> Certifier.certify(m, j, DomainSpec.box("-1,1")));
        assertEquals("certificate.searches[0].root.children[1].lp", e.path(), e.getMessage());
    }

    @Test
    void tamperedTreesAreRejectedWithTheirPath() {
        String leaf = "certificate.searches[0].root.children[1]";
        // a child dropped
        rejected(RANGE, j -> ((ArrayNode) root(j, 0).get("children")).remove(0), "certificate.searches[0].root.children");
        // both children in one phase
        rejected(RANGE, j -> at(root(j, 0), "children", "0").put("phase", 1), "certificate.searches[0].root.children[1]");
        // a lower maximum, with a witness that attains it: the leaf's dual bounds the max by 1
        rejected(RANGE, j -> {
            at(j, "outputs", "0").put("max", "1/2");
            ((ArrayNode) at(j, "outputs", "0").get("argmax")).set(0, JSON.getNodeFactory().textNode("1/2"));
        }, leaf + ".lp");
        // the same lower maximum with the root pruned: the checker's bound (1, on every one of its own halves too) is not ≤ 1/2
        rejected(RANGE, j -> {
            at(j, "outputs", "0").put("max", "1/2");
            ((ArrayNode) at(j, "outputs", "0").get("argmax")).set(0, JSON.getNodeFactory().textNode("1/2"));
            root(j, 0).remove("children");
            root(j, 0).put("status", "pruned");
        }, "certificate.searches[0].root");
        // the dual altered, a negative multiplier, a multiplier on no constraint
        rejected(RANGE, j -> at(root(j, 0), "children", "1", "lp", "dual").put("1", "2"), leaf + ".lp.dual");
        rejected(RANGE, j -> at(root(j, 0), "children", "1", "lp", "dual").put("0", "-1"), leaf + ".lp.dual.0");
        rejected(RANGE, j -> at(root(j, 0), "children", "1", "lp", "dual").put("7", "1"), leaf + ".lp.dual.7");
        // an open node (a search stopped at a limit)
        rejected(RANGE, j -> at(root(j, 0), "children", "1").put("status", "open"), leaf);
        // the witness moved, or outside the domain
        rejected(RANGE, j -> ((ArrayNode) at(j, "outputs", "0").get("argmax")).set(0, JSON.getNodeFactory().textNode("0")), "outputs[0].argmax");
        rejected(RANGE, j -> ((ArrayNode) at(j, "outputs", "0").get("argmax")).set(0, JSON.getNodeFactory().textNode("2")), "outputs[0].argmax");
        // a search missing
        rejected(RANGE, j -> ((ArrayNode) at(j, "certificate").get("searches")).remove(1), "outputs[0]");
        // the Farkas multipliers altered; the input split's sides at different points
        rejected(SPLIT, j -> at(root(j, 0), "children", "0", "children", "1", "farkas").put("3", "2"),
                "certificate.searches[0].root.children[0].children[1].farkas");
        rejected(SPLIT, j -> at(root(j, 0), "children", "1").put("at", "1/2"), "certificate.searches[0].root.children[1]");
        rejected(SPLIT, j -> at(root(j, 0), "children", "1").put("side", "low"), "certificate.searches[0].root.children[1].side");
        // verify: the property made satisfiable; the counterexample's output or margin altered; sat marked unsat
        rejected(UNSAT, j -> at(j, "terms", "0", "outputConstraints", "0").put("b", "-1/2"), "certificate.searches[0].root");
        rejected(SAT, j -> ((ArrayNode) at(j, "counterexample").get("y")).set(0, JSON.getNodeFactory().textNode("2")), "counterexample.y[0]");
        rejected(SAT, j -> at(j, "counterexample").put("margin", "1"), "counterexample.margin");
        rejected(SAT, j -> {
            j.put("result", "unsat");
            at(j, "terms", "0").put("result", "unsat");
        }, "certificate");
        rejected(UNSAT, j -> j.put("result", "unknown"), "result");
    }

    @Test
    void fixedPointRoundingIsOutward() {
        // floor/ceil of rationals at 2^-F and their values bracket the rational
        for (String s : new String[]{"1/3", "-1/3", "2/7", "-5/11", "0", "3"}) {
            Q q = Q.parse(s);
            assertTrue(Relax.value(Relax.floorFix(q)).compareTo(q) <= 0);
            assertTrue(Relax.value(Relax.ceilFix(q)).compareTo(q) >= 0);
        }
        assertEquals(Q.parse("3"), Relax.value(Relax.floorFix(Q.parse("3"))));
    }
}
