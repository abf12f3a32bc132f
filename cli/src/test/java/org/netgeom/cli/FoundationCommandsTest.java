package org.netgeom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** validate, eval and demo through the command line: JSON contracts, coded errors, exit status. */
class FoundationCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK = Pattern.compile("(?m)^\\s*at [\\w$.]+\\(|Exception in thread|Caused by:");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static JsonNode json(CliRun r) throws IOException {
        assertFalse(STACK.matcher(r.out() + r.err()).find(), "no stack trace: " + r.err());
        return JSON.readTree(r.out());
    }

    /** A model written by hand per IR.md: dense, relu, leaky_relu, abs, residual, batchnorm, rational weights. */
    private static final String HAND = """
            {"netgeom": 1, "name": "hand", "input": [2], "layers": [
              {"op": "dense", "name": "in", "weight": [["1", "-1/2"], ["1/3", "2"], [0.5, -1]], "bias": ["0", "1/4", "-1"]},
              {"op": "batchnorm", "mean": ["0", "1", "-1"], "var": ["3", "9/16", "0"], "weight": ["2", "1", "1/2"],
               "bias": ["0", "0", "1"], "eps": "1"},
              {"op": "residual", "name": "block", "layers": [
                {"op": "leaky_relu", "slope": "1/10"},
                {"op": "dense", "weight": [["1", "0", "-1"], ["0", "1", "1"], ["1/2", "1/2", "0"]], "bias": ["0", "0", "0"]},
                {"op": "abs"}]},
              {"op": "relu"},
              {"op": "dense", "name": "out", "weight": [["1", "-1", "1/2"]]}]}""";

    @Test
    void validateReportsShapesAndPyTorchParameterCount() throws IOException {
        JsonNode v = json(CliRun.of("validate", write("hand.json", HAND).toString(), "--json"));
        assertEquals("hand", v.get("name").asText());
        assertEquals("[2]", v.get("input").toString());
        assertEquals("[1]", v.get("output").toString());
        // dense 3x2+3, batchnorm weight+bias 3+3 (running stats are buffers), inner dense 9+3, out 3 (no bias)
        assertEquals(9 + 6 + 12 + 3, v.get("parameters").asInt());
        assertTrue(v.get("parameters").isIntegralNumber());
        assertEquals("[]", v.get("symbols").toString());
        assertTrue(v.get("piecewiseLinear").asBoolean());
        JsonNode layers = v.get("layers");
        assertEquals(5, layers.size());
        assertEquals("residual", layers.get(2).get("op").asText());
        assertEquals("block", layers.get(2).get("name").asText());
        assertEquals(3, layers.get(2).get("layers").size());
        assertEquals("[3]", layers.get(2).get("layers").get(1).get("outputShape").toString());
        assertFalse(layers.get(1).has("name"), "unnamed layers carry no name key");
    }

    @Test
    void evalExactAndFloat() throws IOException {
        Path m = write("hand.json", HAND);
        JsonNode e = json(CliRun.of("eval", m.toString(), "--at=1/2,-1/3", "--exact", "--json"));
        assertEquals("[\"151/80\"]", e.get("output").toString(), "derived by hand in ExactForwardTest");
        JsonNode f = json(CliRun.of("eval", m.toString(), "--at=0.5,-1/3", "--json"));
        assertTrue(f.get("output").get(0).isNumber());
        assertEquals(151.0 / 80, f.get("output").get(0).asDouble(), 1e-12);
    }

    @Test
    void evalBindsSymbols() throws IOException {
        Path m = write("s.json", "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[\"w1\"]], \"bias\": [\"b\"]}]}");
        JsonNode v = json(CliRun.of("validate", m.toString(), "--json"));
        assertEquals("[\"w1\",\"b\"]", v.get("symbols").toString());
        JsonNode e = json(CliRun.of("eval", m.toString(), "--at=3", "--exact", "--bind", "w1=1/2,b=-1", "--json"));
        assertEquals("[\"1/2\"]", e.get("output").toString());
        CliRun unbound = CliRun.of("eval", m.toString(), "--at=3", "--exact", "--bind", "w1=1/2");
        assertEquals(2, unbound.status());
        assertTrue(unbound.err().contains("error[IR_UNBOUND_SYMBOL]") && unbound.err().contains("(at layers[0].bias[0])"), unbound.err());
    }

    @Test
    void userErrorsExitTwoWithCodeAndPath() throws IOException {
        Path bad = write("bad.json", HAND.replace("[\"1\", \"-1\", \"1/2\"]", "[\"1\", \"-1\"]"));
        CliRun r = CliRun.of("validate", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().matches("(?s)error\\[IR_SHAPE_MISMATCH\\]: .* \\(at layers\\[4\\]\\.weight\\)\\s*"), r.err());
        assertEquals("", r.out());
        JsonNode j = json(CliRun.of("validate", bad.toString(), "--json"));
        assertEquals("IR_SHAPE_MISMATCH", j.get("error").get("code").asText());
        assertEquals("layers[4].weight", j.get("error").get("path").asText());
        assertFalse(j.get("error").get("message").asText().isEmpty());

        CliRun wrongWidth = CliRun.of("eval", write("ok.json", HAND).toString(), "--at=1", "--exact");
        assertEquals(2, wrongWidth.status());
        assertTrue(wrongWidth.err().startsWith("error[BAD_INPUT]"), wrongWidth.err());
        CliRun badAt = CliRun.of("eval", write("ok2.json", HAND).toString(), "--at=1,nan");
        assertTrue(badAt.err().contains("error[IR_BAD_SCALAR]") && badAt.err().contains("(at --at[1])"), badAt.err());
        CliRun usage = CliRun.of("eval", "--nope");
        assertEquals(2, usage.status());
        assertTrue(usage.err().startsWith("error[USAGE]"), usage.err());
        CliRun missing = CliRun.of("validate", dir.resolve("none.json").toString(), "--json");
        assertEquals(2, missing.status());
        assertEquals("IR_IO", json(missing).get("error").get("code").asText());
    }

    @Test
    void demoRuns() {
        CliRun r = CliRun.of("demo");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("f(1/3) = 2/3 exactly"), r.out());
        assertFalse(STACK.matcher(r.out() + r.err()).find());
    }

    @Test
    void demoJsonIsOneJsonValue() throws IOException {
        // README: every command takes --json (one JSON value on stdout); the narrative moves to stderr
        CliRun r = CliRun.of("demo", "--json", "--plot", dir.resolve("tent.svg").toString());
        assertEquals(0, r.status(), r.err());
        JsonNode j = json(r);
        // by hand: each tent has 2 + 2 + 2 + 1 parameters; t(1/3) = 2/3, t(2/3) = 2 - 4/3 = 2/3
        assertEquals(14, j.path("validate").path("parameters").asInt());
        assertEquals("1/3", j.path("eval").path(0).path("at").path(0).asText());
        assertEquals("2/3", j.path("eval").path(0).path("output").path(0).asText());
        assertTrue(r.err().contains("f(1/3) = 2/3 exactly"), r.err());
        // Telgarsky: t∘t has 2^2 pieces on [0, 1], kinks at the preimages 1/4, 1/2, 3/4, slopes ±4
        assertEquals(4, j.path("activationRegions").asInt());
        assertEquals(4, j.path("affinePieces").asInt());
        assertEquals("[\"1/4\",\"1/2\",\"3/4\"]", j.path("breakpoints").toString());
        assertEquals("4", j.path("lipschitz").asText());
        assertEquals(dir.resolve("tent.svg").toAbsolutePath().toString(), j.path("plot").asText());
    }
}
