package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netgeom.cli.CliRun;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.onnx.OnnxImport;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code netgeom import MODEL.onnx}: nets exported from PyTorch (and Gemm/MatMul graphs built with
 * onnx.helper) by {@code make_onnx.py}, imported, and evaluated with {@code netgeom eval}; the
 * reference is independent of the importer: the torch module the file came from, run in float64
 * on the same weights, or numpy for the hand-built graphs. Skips only where Python has no onnx
 * (run-tests installs python3-onnx, so CI runs it).
 */
class OnnxImportTest {
    @TempDir
    static Path dir;
    static JsonNode cases;

    @BeforeAll
    static void export() throws Exception {
        String python;
        try {
            python = OnnxImport.python();
        } catch (NetgeomException e) {
            assumeTrue(e.code() != NumericError.ONNX_UNAVAILABLE, "no Python with onnx: " + e.getMessage());
            throw e;
        }
        Path script = dir.resolve("make_onnx.py");
        try (InputStream in = OnnxImportTest.class.getResourceAsStream("/org/netgeom/cli/onnx/make_onnx.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python, script.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("make.log").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "make_onnx.py finishes");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("make.log"), StandardCharsets.UTF_8));
        cases = new ObjectMapper().readTree(dir.resolve("cases.json").toFile());
    }

    private static JsonNode find(String name) {
        for (JsonNode c : cases) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no case " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "hardtanh", "mlp64", "linear", "cnn", "cnn_fold", "cnn_view", "residual", "nested", "convcat", "batchnorm", "batchnorm2d", "normalise",
            "normalise64", "gemm", "matmul"})
    void evalAgreesWithTheReference(String name) {
        JsonNode c = find(name);
        Path out = dir.resolve(name + ".json");
        CliRun r = CliRun.of("import", c.get("file").asText(), "-o", out.toString(), "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(Files.exists(dir.resolve(name + ".safetensors")), "the weights go beside the IR");
        JsonNode ins = c.get("inputs");
        JsonNode outs = c.get("outputs");
        for (int k = 0; k < ins.size(); k++) {
            List<String> x = new ArrayList<>();
            ins.get(k).forEach(v -> x.add(v.asText()));
            CliRun e = CliRun.of("eval", out.toString(), "--at=" + String.join(",", x), "--json");
            assertEquals(0, e.status(), e.err());
            JsonNode y = e.json().get("output");
            JsonNode ref = outs.get(k);
            assertEquals(ref.size(), y.size(), name + ": output width");
            double scale = 0;
            for (JsonNode v : ref) {
                scale = Math.max(scale, Math.abs(hex(v.asText())));
            }
            for (int i = 0; i < y.size(); i++) {
                double want = hex(ref.get(i).asText());
                double got = y.get(i).asDouble();
                // 1e-12 relative to the largest output, absolute below 1 (a small output can be a
                // cancelling sum of O(1) terms, whose float64 rounding is ~1e-16 absolute)
                assertTrue(Math.abs(got - want) <= 1e-12 * Math.max(scale, 1.0),
                        name + " input " + k + " output " + i + ": netgeom " + got + ", reference " + want);
            }
        }
    }

    private static double hex(String s) {
        return Double.parseDouble(s);     // Java reads float.hex's 0x1.8p+1 form
    }

    @Test
    void float32InitializersAreConvertedExactly() throws Exception {
        JsonNode c = find("linear");
        Path out = dir.resolve("linear-exact.json");
        CliRun r = CliRun.of("import", c.get("file").asText(), "-o", out.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals("float32", r.json().get("dtype").asText());
        Model m = IrReader.read(out);
        Layer.Dense d = (Layer.Dense) m.layers().get(0);
        Rational[] w = d.weight().rationals();
        Rational[] b = d.bias().rationals();
        JsonNode wi = c.get("initializers").get("weight");
        JsonNode bi = c.get("initializers").get("bias");
        assertEquals(wi.size(), w.length);
        for (int i = 0; i < w.length; i++) {
            assertEquals(Rational.parse(wi.get(i).asText()), w[i], "weight " + i + " is the float32's binary value");
        }
        for (int i = 0; i < b.length; i++) {
            assertEquals(Rational.parse(bi.get(i).asText()), b[i], "bias " + i);
        }
    }

    @Test
    void normalisationIsFoldedIntoTheFirstLayer() throws Exception {
        Path out = dir.resolve("normalise-fold.json");
        assertEquals(0, CliRun.of("import", find("normalise").get("file").asText(), "-o", out.toString()).status());
        Model m = IrReader.read(out);
        assertEquals(List.of("dense", "relu", "dense"), m.layers().stream().map(Layer::op).toList(),
                "(x - mean) / std is folded into the first Gemm, no extra layer");
        Path cnn = dir.resolve("cnn-fold.json");
        assertEquals(0, CliRun.of("import", find("cnn_fold").get("file").asText(), "-o", cnn.toString()).status());
        assertEquals("conv2d", IrReader.read(cnn).layers().get(0).op(), "per-channel normalisation folds into an unpadded Conv");
        Path padded = dir.resolve("cnn-bn.json");
        assertEquals(0, CliRun.of("import", find("cnn").get("file").asText(), "-o", padded.toString()).status());
        assertEquals("batchnorm", IrReader.read(padded).layers().get(0).op(),
                "before a padded Conv the normalisation stays an exact batchnorm (padding pads the normalised input)");
    }

    @Test
    void foldedNormalisationIsExact() {
        // eval --exact on the imported IR equals the torch module evaluated in exact rationals:
        // the fold of (x - mean) / std into the first Gemm rounds nothing; --inline gives the same
        JsonNode c = find("normalise");
        for (String mode : new String[]{"file", "inline"}) {
            Path out = dir.resolve("normalise-exact-" + mode + ".json");
            CliRun r = mode.equals("inline") ? CliRun.of("import", c.get("file").asText(), "-o", out.toString(), "--inline")
                    : CliRun.of("import", c.get("file").asText(), "-o", out.toString());
            assertEquals(0, r.status(), r.err());
            for (int k = 0; k < c.get("inputs").size(); k++) {
                List<String> x = new ArrayList<>();
                c.get("inputs").get(k).forEach(v -> x.add(v.asText()));
                CliRun e = CliRun.of("eval", out.toString(), "--at=" + String.join(",", x), "--exact", "--json");
                assertEquals(0, e.status(), e.err());
                JsonNode y = e.json().get("output");
                JsonNode want = c.get("exact").get(k);
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(Rational.parse(want.get(i).asText()), Rational.parse(y.get(i).asText()), mode + " input " + k);
                }
            }
        }
    }

    @Test
    void refusalsAreCodedAndWriteNothing() {
        Path out = dir.resolve("refused.json");
        CliRun s = CliRun.of("import", dir.resolve("sigmoid.onnx").toString(), "-o", out.toString(), "--json");
        assertEquals(2, s.status());
        assertEquals("ONNX_UNSUPPORTED", s.code());
        assertTrue(s.json().get("error").get("message").asText().startsWith("op 'Sigmoid' at node '"), s.out());
        CliRun human = CliRun.of("import", dir.resolve("sigmoid.onnx").toString(), "-o", out.toString());
        assertTrue(human.err().startsWith("error[ONNX_UNSUPPORTED]: op 'Sigmoid' at node '"), human.err());
        CliRun cat = CliRun.of("import", dir.resolve("twocat.onnx").toString(), "-o", out.toString(), "--json");
        assertEquals("ONNX_UNSUPPORTED", cat.code(), "cat of two computed branches is not the IR's concat");
        for (String[] c : new String[][]{{"transa", "transA=1"}, {"reshape", "is not a flatten"}, {"group", "group=2"}}) {
            CliRun x = CliRun.of("import", dir.resolve(c[0] + ".onnx").toString(), "-o", out.toString(), "--json");
            assertEquals("ONNX_UNSUPPORTED", x.code(), c[0]);
            assertTrue(x.json().get("error").get("message").asText().contains(c[1]), x.out());
        }
        CliRun garbage = CliRun.of("import", dir.resolve("garbage.onnx").toString(), "-o", out.toString(), "--json");
        assertEquals("ONNX_INVALID", garbage.code());
        assertFalse(Files.exists(out), "a refused import writes no IR");
        assertFalse(Files.exists(dir.resolve("refused.safetensors")), "nor weights");
    }
}
