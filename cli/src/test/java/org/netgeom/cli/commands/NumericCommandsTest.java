package org.netgeom.cli.commands;

import org.netgeom.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.exact.ExactEigen;
import org.netgeom.numeric.exact.ExactNet;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;
import org.netgeom.numeric.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train, jacobian, ntk and hessian commands: JSON contracts, files written, coded errors, exact checks. */
class NumericCommandsTest {
    static final String TENT2 = """
            {"netgeom": 1, "name": "tent-2", "input": [1], "layers": [
              {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
              {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
              {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
              {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}
            """;
    static final String LINE = "x1,y1\n0.0625,0.5\n0.125,0.5\n0.375,0.5\n0.6875,0.5\n";

    static Path[] files(Path dir) throws Exception {
        Path m = dir.resolve("tent2.json");
        Path d = dir.resolve("line.csv");
        Files.writeString(m, TENT2);
        Files.writeString(d, LINE);
        return new Path[]{m, d};
    }

    @Test
    void trainWritesWeightsThatReadBackToTheEnginesDoubles(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        Path out = dir.resolve("trained.json");
        CliRun r = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--loss", "mse", "--optimizer", "sgd", "--lr", "0.05",
                "--momentum", "0.9", "--steps", "7", "--batch", "full", "--out", out.toString(), "--log", dir.resolve("m.csv").toString(),
                "--plot", dir.resolve("loss.svg").toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertEquals(7, j.get("steps").asInt());
        assertEquals("java", j.get("engine").asText());
        Model m = IrReader.read(f[0]);
        Net net = Net.of(m);
        TrainConfig c = new TrainConfig(Loss.MSE, Optimizer.Config.of("sgd", 0.05, 0.9, null, false, null, null, null, null, false), 7, 0,
                true, 0, true, org.netgeom.numeric.engine.Precision.F64, null, 100, false);
        Trainer.Result tr = Trainer.run(net, new double[]{0.0625, 0.125, 0.375, 0.6875}, new double[]{0.5, 0.5, 0.5, 0.5}, 4, c,
                Progress.NONE, null);
        assertArrayEquals(net.params(), Net.of(IrReader.read(out)).params(), "JSON numbers read back to the same doubles");
        assertEquals(tr.lastLoss(), j.get("finalLoss").asDouble());
        assertEquals(8, Files.readAllLines(dir.resolve("m.csv")).size(), "header and one row per step");
        assertTrue(Files.readString(dir.resolve("loss.svg")).contains("<svg"));
        assertTrue(Files.readString(out).contains("\"weight\": [[1.0"), "trained weights are JSON numbers");

        Path out2 = dir.resolve("refs.json");
        CliRun r2 = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--lr", "0.05", "--momentum", "0.9", "--steps", "7",
                "--out", out2.toString(), "--weights-file", dir.resolve("w.safetensors").toString());
        assertEquals(0, r2.status(), r2.err());
        assertTrue(Files.readString(out2).contains("{\"file\": \"w.safetensors\", \"key\": \"layers.0.weight\"}"));
        assertArrayEquals(net.params(), Net.of(IrReader.read(out2)).params());
    }

    @Test
    void trainOnTorchMatchesTheJavaEngine(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        CliRun a = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--optimizer", "adam", "--lr", "0.01", "--epochs", "6",
                "--batch", "3", "--shuffle", "--out", dir.resolve("a.json").toString());
        CliRun b = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--optimizer", "adam", "--lr", "0.01", "--epochs", "6",
                "--batch", "3", "--shuffle", "--engine", "torch", "--out", dir.resolve("b.json").toString(), "--json");
        assertEquals(0, a.status(), a.err());
        assertEquals(0, b.status(), b.err());
        assertEquals(12, b.json().get("steps").asInt(), "6 epochs of 2 batches");
        double[] pa = Net.of(IrReader.read(dir.resolve("a.json"))).params();
        double[] pb = Net.of(IrReader.read(dir.resolve("b.json"))).params();
        for (int i = 0; i < pa.length; i++) {
            assertEquals(pb[i], pa[i], 1e-10 * Math.max(1, Math.abs(pb[i])));
        }
    }

    @Test
    void nonFiniteLossIsACodedErrorAndTheLastGoodCheckpointStays(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        f[0] = dir.resolve("quadratic.json");
        Files.writeString(f[0], "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[\"1\"], [\"2\"]]}, "
                + "{\"op\": \"square\"}, {\"op\": \"dense\", \"weight\": [[\"1\", \"1\"]]}]}");
        Path ck = dir.resolve("ck");
        Path out = dir.resolve("never.json");
        CliRun r = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--lr", "100", "--steps", "50", "--out", out.toString(),
                "--checkpoint", ck.toString(), "--checkpoint-every", "1", "--log", dir.resolve("m.csv").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("error[NON_FINITE]"), r.err());
        assertFalse(Files.exists(out), "no --out after a failed run");
        assertTrue(Files.exists(ck.resolve("checkpoint.safetensors")));
        assertTrue(Files.readAllLines(dir.resolve("m.csv")).size() >= 2, "the log keeps the finite steps");
        CliRun j = CliRun.of("train", f[0].toString(), "--data", f[1].toString(), "--lr", "100", "--steps", "50", "--out", out.toString(), "--json");
        assertEquals("NON_FINITE", j.json().get("error").get("code").asText());
    }

    @Test
    void userErrorsAreCoded(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "x1,y1,y2\n0.5,1,2\n");
        String[][] cases = {
                {"BAD_OPTION", "train", f[0].toString(), "--data", f[1].toString(), "--steps", "1", "--out", "x.json"},           // sgd without --lr
                {"BAD_OPTION", "train", f[0].toString(), "--data", f[1].toString(), "--lr", "1", "--out", "x.json"},              // no steps
                {"BAD_TARGETS", "train", f[0].toString(), "--data", two.toString(), "--lr", "1", "--steps", "1", "--out", "x.json"},
                {"BAD_OPTION", "jacobian", f[0].toString(), "--data", f[1].toString(), "--wrt", "bias"},
                {"BAD_OPTION", "hessian", f[0].toString(), "--data", f[1].toString(), "--top-k", "15"},
                {"BAD_OPTION", "hessian", f[0].toString(), "--data", f[1].toString(), "--device", "cuda"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length];
            System.arraycopy(c, 1, args, 0, c.length - 1);
            args[c.length - 1] = "--json";
            CliRun r = CliRun.of(args);
            assertEquals(2, r.status(), String.join(" ", args) + "\n" + r.err());
            assertEquals(c[0], r.json().get("error").get("code").asText(), String.join(" ", args));
        }
    }

    @Test
    void hessianTopEigenvalueIsTheExactHessiansLargest(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        CliRun r = CliRun.of("hessian", f[0].toString(), "--data", f[1].toString(), "--loss", "mse", "--top-k", "1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        double top = j.get("topEigenvalues").get(0).asDouble();
        assertTrue(j.get("hvps").asInt() >= 1);
        assertFalse(j.has("trace"), "keys not asked for are omitted");
        assertFalse(j.has("density"));
        Model m = IrReader.read(f[0]);
        Rational h = Rational.of(1, 2);
        Rational[][] x = {{Rational.of(1, 16)}, {Rational.of(1, 8)}, {Rational.of(3, 8)}, {Rational.of(11, 16)}};
        Rational[][] y = {{h}, {h}, {h}, {h}};
        Rational[][] exact = new ExactNet(m).hessian(x, y);
        assertTrue(ExactEigen.certify(exact, 1, top, 1e-11 * Math.abs(top)), "λmax = " + top + " is certified to 1e-11 relative");
    }

    @Test
    void hessianTraceAndDensityShapes(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        CliRun r = CliRun.of("hessian", f[0].toString(), "--data", f[1].toString(), "--top-k", "2", "--trace", "--density",
                "--density-bins", "50", "--plot", dir.resolve("d.png").toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertEquals(2, j.get("topEigenvalues").size());
        assertTrue(j.get("topEigenvalues").get(0).asDouble() >= j.get("topEigenvalues").get(1).asDouble(), "descending");
        assertTrue(j.get("trace").isNumber());
        assertEquals(50, j.get("density").get("grid").size());
        assertEquals(50, j.get("density").get("values").size());
        assertTrue(Files.size(dir.resolve("d.png")) > 0);
    }

    @Test
    void jacobianAndNtkShapes(@TempDir Path dir) throws Exception {
        Path[] f = files(dir);
        CliRun j = CliRun.of("jacobian", f[0].toString(), "--data", f[1].toString(), "--wrt", "params", "--json");
        assertEquals(0, j.status(), j.err());
        JsonNode jj = j.json();
        assertEquals(4, jj.get("jacobian").size());
        assertEquals(1, jj.get("jacobian").get(0).size());
        assertEquals(14, jj.get("jacobian").get(0).get(0).size());
        assertEquals("layers.0.weight", jj.get("parameters").get(0).get("name").asText());
        CliRun x = CliRun.of("jacobian", f[0].toString(), "--data", f[1].toString(), "--json");
        assertEquals(4.0, x.json().get("jacobian").get(0).get(0).get(0).asDouble(), 0.0, "tent2 has slope 4 at 1/16");
        CliRun n = CliRun.of("ntk", f[0].toString(), "--data", f[1].toString(), "--json");
        assertEquals(0, n.status(), n.err());
        JsonNode nn = n.json();
        assertEquals(4, nn.get("ntk").size());
        double trace = 0;
        double frob = 0;
        for (int r = 0; r < 4; r++) {
            JsonNode row = jj.get("jacobian").get(r).get(0);
            double s = 0;
            for (JsonNode v : row) {
                s += v.asDouble() * v.asDouble();
            }
            assertEquals(s, nn.get("ntk").get(r).get(r).asDouble(), 1e-12 * s, "Θ_rr = ‖∂f(x_r)/∂θ‖²");
            trace += s;
        }
        for (JsonNode e : nn.get("eigenvalues")) {
            frob += e.asDouble();
        }
        assertEquals(trace, frob, 1e-10 * trace, "the eigenvalues sum to the trace");
    }

    @Test
    void importWrapsToIr(@TempDir Path dir) throws Exception {
        org.netgeom.numeric.torch.TorchBridge b = org.netgeom.numeric.torch.TorchBridge.get();
        Path script = dir.resolve("make.py");
        Files.writeString(script, "import torch, torch.nn as nn\ntorch.manual_seed(1)\n"
                + "m = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 2))\n"
                + "torch.save(m, '" + dir.resolve("user.pt") + "')\n");
        ProcessBuilder pb = new ProcessBuilder(b.python(), script.toString()).redirectErrorStream(true);
        assertEquals(0, pb.start().waitFor());
        CliRun r = CliRun.of("import", dir.resolve("user.pt").toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        assertEquals(3, j.get("input").get(0).asInt(), "the input width comes from the first Linear");
        assertEquals(26, j.get("parameters").asInt());
        assertTrue(Files.exists(dir.resolve("user.json")));
        assertTrue(Files.exists(dir.resolve("user.safetensors")));
        Model m = IrReader.read(dir.resolve("user.json"));
        assertEquals("leaky_relu", m.layers().get(1).op());
        CliRun missing = CliRun.of("import", dir.resolve("none.pt").toString(), "--json");
        assertEquals(2, missing.status());
    }
}
