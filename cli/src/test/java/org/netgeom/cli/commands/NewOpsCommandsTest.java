package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.CliRun;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.Forward64;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops added with issue 15 (hardtanh, maxout) through every command that takes a model:
 * validate, eval (exact and float64), regions (self-certified, then certified again by
 * {@code netgeom certify}), bounds, formula, loss-surface (a certified line, a plane, a cell),
 * perturb (a local map, a certified Lipschitz constant), range, verify, jacobian, ntk, hessian,
 * train (Java engine and PyTorch, which must agree), and {@code netgeom import} of PyTorch
 * modules, checked against the module's own outputs (PyTorch is the reference). Exact region counts
 * are checked against brute force in symbolic's RegionsCaseTest; here the counts are the
 * certifier's.
 */
class NewOpsCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HARDTANH = """
            {"netgeom": 1, "name": "ht", "input": [2], "layers": [
             {"op": "dense", "weight": [[1, -2], [2, 1], ["-1/2", 1]], "bias": ["1/4", 0, "-1/3"]},
             {"op": "hardtanh", "min_val": "-1/2", "max_val": 1},
             {"op": "dense", "weight": [[1, -1, 2], [2, 1, 1]], "bias": [0, "1/2"]},
             {"op": "hardtanh"},
             {"op": "dense", "weight": [[1, -2]], "bias": [0]}]}""";
    static final String DATA = "x1,x2,y1\n0.25,0.5,1\n-0.5,0.25,-1\n1,-1,0.5\n0.75,0.125,0\n-0.875,-0.625,0.25\n";

    @TempDir
    Path dir;

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.status(), String.join(" ", args) + ":\n" + r.out() + r.err());
        return r;
    }

    /** Every model command on one net with the op; returns the certified region count on [-2, 2]². */
    int everyCommand(Path m, String evalAt, String evalExact, String evalPattern, String sat, String dir1, String dir2)
            throws IOException {
        String mf = m.toString();
        Path data = file("d.csv", DATA);
        assertTrue(ok("validate", mf, "--json").json().path("piecewiseLinear").asBoolean());
        JsonNode exact = ok("eval", mf, "--at=" + evalAt, "--exact", "--json").json();
        JsonNode f64 = ok("eval", mf, "--at=" + evalAt, "--json").json();
        assertEquals(evalExact, exact.get("output").get(0).asText(), "exact value (by hand)");
        assertEquals(evalPattern, exact.get("pattern").asText());
        assertEquals(org.netgeom.ir.Rational.parse(evalExact).doubleValue(), f64.get("output").get(0).asDouble(), 1e-15);
        CliRun regions = ok("regions", mf, "--box=-2,2", "--json");
        JsonNode rj = regions.json();
        assertTrue(rj.path("certified").asBoolean(), "regions certifies itself");
        Path res = file("regions.json", regions.out());
        JsonNode cj = ok("certify", mf, res.toString(), "--box=-2,2", "--json").json();
        assertTrue(cj.path("certified").asBoolean());
        assertEquals(rj.get("activationRegions").asInt(), cj.get("regions").asInt(), "certify recounts the regions");
        ok("bounds", mf, "--json");
        ok("formula", mf);
        Path d1 = file("d1.json", dir1);
        Path d2 = file("d2.json", dir2);
        JsonNode line = ok("loss-surface", mf, "--data=" + data, "--layer=2", "--line=" + d1, "--range=-2,2", "--json").json();
        assertTrue(line.path("certified").asBoolean(), "loss line certified: " + line);
        ok("loss-surface", mf, "--data=" + data, "--layer=2", "--plane=" + d1 + "," + d2, "--range=-1,1,-1,1", "--json");
        ok("loss-surface", mf, "--data=" + data, "--layer=2", "--at", "--json");
        ok("perturb", mf, "--at=1/3,-1/4", "--json");
        JsonNode lip = ok("perturb", mf, "--lipschitz", "--box=-1,1", "--json").json();
        assertTrue(lip.path("certified").asBoolean(), "Lipschitz constant certified: " + lip);
        ok("range", mf, "--box=-1,1", "--json");
        Path spec = file("p.vnnlib", "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (<= X_0 1))\n(assert (>= X_0 -1))\n(assert (<= X_1 1))\n(assert (>= X_1 -1))\n(assert (>= Y_0 100))\n");
        assertEquals("unsat", ok("verify", mf, "--spec=" + spec, "--json").json().path("result").asText());
        Files.writeString(spec, Files.readString(spec).replace("(>= Y_0 100)", "(>= Y_0 " + sat + ")"));
        CliRun sv = CliRun.of("verify", mf, "--spec=" + spec, "--json");
        assertEquals(3, sv.status(), "verify: exit 3 for sat\n" + sv.out() + sv.err());
        assertEquals("sat", sv.json().path("result").asText());
        ok("jacobian", mf, "--data=" + data, "--json");
        ok("ntk", mf, "--data=" + data, "--json");
        ok("hessian", mf, "--data=" + data, "--json");
        Path tj = dir.resolve("tj.json");
        Path tt = dir.resolve("tt.json");
        ok("train", mf, "--data=" + data, "--epochs=4", "--lr=0.1", "--out=" + tj, "--json");
        ok("train", mf, "--data=" + data, "--epochs=4", "--lr=0.1", "--out=" + tt, "--engine=torch", "--json");
        Model a = IrReader.read(tj);
        Model b = IrReader.read(tt);
        for (double[] x : new double[][]{{0.25, -0.5}, {-1, 0.75}, {0.5, 0.5}}) {
            double fa = Forward64.eval(a, x)[0];
            double fb = Forward64.eval(b, x)[0];
            assertEquals(fb, fa, 1e-10 * Math.max(1, Math.abs(fb)), "trained by the Java engine vs PyTorch at " + x[0] + "," + x[1]);
        }
        return rj.get("activationRegions").asInt();
    }

    @Test
    void hardtanhThroughEveryCommand() throws IOException {
        // at (1/3, -1/4): layer 1 gets 13/12 (clamped to 1: "11"), 5/12 ("10"), -3/4 (to -1/2: "00"); layer 3 gets
        // -5/12 ("10") and 29/12 (to 1: "11"); f = -5/12 - 2 = -29/12. range gives max 2 on [-1, 1]², so Y ≥ 1.9 is sat
        assertTrue(everyCommand(file("ht.json", HARDTANH), "1/3,-1/4", "-29/12", "1110001011", "1.9",
                "{\"weight\": [[1, 0, -1], [0, 1, 1]], \"bias\": [1, -1]}", "{\"weight\": [[0, 1, 0], [1, 0, 0]], \"bias\": [0, 1]}") > 10);
    }

    static final String MAXOUT = """
            {"netgeom": 1, "name": "mo", "input": [2], "layers": [
             {"op": "dense", "weight": [[1, -2], [2, 1], ["-1/2", 1], [0, 1], [1, 1], [-1, 0]], "bias": ["1/4", 0, "-1/3", 0, "-1/2", "1/4"]},
             {"op": "maxout", "k": 3},
             {"op": "dense", "weight": [[1, -1], [2, 1], [-1, 2], ["1/2", -1]], "bias": [0, "1/2", 0, "-1/4"]},
             {"op": "maxout", "k": 2},
             {"op": "dense", "weight": [[1, -2]], "bias": [0]}]}""";

    @Test
    void maxoutThroughEveryCommand() throws IOException {
        // at (1/3, -1/4) (by plain fractions): layer 0 gives 13/12, 5/12, -3/4 | -1/4, -5/12, -1/12, winners 0 and 2
        // (values 13/12, -1/12); layer 2 gives 7/6, 31/12 | -5/4, 3/8, winners 1 and 1; f = 31/12 - 3/4 = 11/6.
        // range gives max 8 on [-1, 1]² (at (1, 1)), so Y ≥ 7.5 is sat
        assertTrue(everyCommand(file("mo.json", MAXOUT), "1/3,-1/4", "11/6", "0211", "7.5",
                "{\"weight\": [[1, 0], [0, 1], [1, -1], [0, 1]], \"bias\": [1, -1, 0, 1]}",
                "{\"weight\": [[0, 1], [1, 0], [0, 0], [1, 1]], \"bias\": [0, 1, 1, 0]}") > 5);
    }

    /**
     * A module saved by PyTorch, imported, then evaluated by netgeom in float64 against the
     * module's own outputs (written by the same script): the outputs must agree to 1e-12.
     */
    void importMatchesTorch(String moduleSource, String build, int inputs, String expectOps) throws Exception {
        org.netgeom.numeric.torch.TorchBridge b = org.netgeom.numeric.torch.TorchBridge.get();
        Files.writeString(dir.resolve("mods.py"), moduleSource);
        Path script = dir.resolve("make.py");
        Files.writeString(script, "import json, torch\nfrom mods import *\ntorch.manual_seed(5)\nm = " + build + "\n"
                + "m = m.double().eval()\ntorch.save(m, 'user.pt')\nx = torch.randn(16, " + inputs + ", dtype=torch.float64) * 2\n"
                + "with torch.no_grad():\n    y = m(x)\njson.dump({'x': x.tolist(), 'y': y.tolist()}, open('ref.json', 'w'))\n");
        ProcessBuilder pb = new ProcessBuilder(b.python(), script.toString()).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        CliRun r = ok("import", dir.resolve("user.pt").toString(), "--json");
        Model m = IrReader.read(dir.resolve("user.json"));
        List<String> ops = new ArrayList<>();
        m.layers().forEach(l -> ops.add(l.op()));
        assertEquals(expectOps, String.join(",", ops), r.out());
        JsonNode ref = JSON.readTree(dir.resolve("ref.json").toFile());
        for (int i = 0; i < ref.get("x").size(); i++) {
            double[] x = new double[inputs];
            for (int j = 0; j < inputs; j++) {
                x[j] = ref.get("x").get(i).get(j).asDouble();
            }
            double[] y = Forward64.eval(m, x);
            for (int k = 0; k < y.length; k++) {
                double t = ref.get("y").get(i).get(k).asDouble();
                assertEquals(t, y[k], 1e-12 * Math.max(1, Math.abs(t)), "output " + k + " at example " + i);
            }
        }
    }

    @Test
    void hardtanhImportsFromPyTorch() throws Exception {
        String mods = """
                import torch, torch.nn as nn, torch.nn.functional as F
                class M(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.a = nn.Linear(3, 5); self.b = nn.Linear(5, 4); self.c = nn.Linear(4, 2)
                        self.h = nn.Hardtanh(-0.5, 0.75)
                    def forward(self, x):
                        x = self.h(self.a(x))
                        x = F.hardtanh(self.b(x), -0.25, 0.5)
                        x = torch.clamp(x, -1.5, 2.0)
                        x = F.relu6(x)
                        return self.c(x)
                """;
        importMatchesTorch(mods, "M()", 3, "dense,hardtanh,dense,hardtanh,hardtanh,hardtanh,dense");
        importMatchesTorch("import torch.nn as nn\n", "nn.Sequential(nn.Linear(3, 4), nn.ReLU6(), nn.Linear(4, 4), "
                + "nn.Hardtanh(-2, 0.5), nn.Linear(4, 1))", 3, "dense,hardtanh,dense,hardtanh,dense");
    }

    /**
     * PyTorch has no maxout layer: a module whose forward is x.view(-1, n, k).max(-1).values (or
     * .reshape, .max(dim=-1)[0], .amax(-1)) is traced with torch.fx and imported as maxout; taking the
     * indices instead (max(-1)[1]) is refused, naming the step.
     */
    @Test
    void maxoutImportsFromPyTorch() throws Exception {
        String mods = """
                import torch, torch.nn as nn
                class M(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.a = nn.Linear(3, 12); self.b = nn.Linear(4, 6); self.c = nn.Linear(3, 2); self.d = nn.Linear(2, 4)
                    def forward(self, x):
                        x = self.a(x).view(-1, 4, 3).max(-1).values
                        x = self.b(x).reshape(-1, 3, 2).max(dim=-1)[0]
                        x = self.c(x)
                        x = self.d(x).view(-1, 2, 2).amax(-1)
                        return x
                """;
        importMatchesTorch(mods, "M()", 3, "dense,maxout,dense,maxout,dense,dense,maxout");
        Model m = IrReader.read(dir.resolve("user.json"));
        assertEquals(3, ((org.netgeom.ir.Layer.Maxout) m.layers().get(1)).k());
        assertEquals(2, ((org.netgeom.ir.Layer.Maxout) m.layers().get(3)).k());
        Files.writeString(dir.resolve("mods.py"), mods.replace(".max(dim=-1)[0]", ".max(dim=-1)[1].double()"));
        Path script = dir.resolve("bad.py");
        Files.writeString(script, "import torch\nfrom mods import *\ntorch.save(M(), 'bad.pt')\n");
        org.netgeom.numeric.torch.TorchBridge b = org.netgeom.numeric.torch.TorchBridge.get();
        Process p = new ProcessBuilder(b.python(), script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        CliRun bad = CliRun.of("import", dir.resolve("bad.pt").toString(), "--json");
        assertEquals(2, bad.status(), bad.out() + bad.err());
        assertTrue(bad.out().contains("reshape"), "the refusal names the step: " + bad.out());
    }
}
