package org.netgeom.numeric.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.engine.Net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge's process side: interpreter discovery, the shared random streams, and export of user models. */
class BridgeTest {
    static String python(Path dir, String script) throws IOException, InterruptedException {
        TorchBridge b = TorchBridge.get();
        Path f = dir.resolve("script.py");
        Files.writeString(f, script);
        ProcessBuilder pb = new ProcessBuilder(b.python(), f.toString()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", b.home().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.trim();
    }

    @Test
    void aMissingInterpreterIsACodedErrorWithTheInstallHint() {
        NetgeomException e = assertThrows(NetgeomException.class,
                () -> TorchBridge.find(List.of("/nonexistent/python3", "/bin/false")));
        assertEquals(NumericError.TORCH_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("apt-get install python3-torch"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/python3: not found"), e.getMessage());
    }

    @Test
    void pythonDrawsTheSameRandomStreamsAsJava(@TempDir Path dir) throws Exception {
        String out = python(dir, String.join("\n",
                "from netgeom_torch.rng import Rng, permutation",
                "r = Rng.stream(-3, 2)",
                "print(' '.join(str(r.next()) for _ in range(4)))",
                "print(' '.join(repr(r.gaussian()) for _ in range(3)))",
                "print(' '.join(repr(r.rademacher()) for _ in range(5)))",
                "print(' '.join(str(i) for i in permutation(17, 123456789, 4)))"));
        String[] lines = out.split("\n");
        Rng r = Rng.stream(-3, 2);
        for (String v : lines[0].split(" ")) {
            assertEquals(Long.parseUnsignedLong(v), r.next());
        }
        for (String v : lines[1].split(" ")) {
            assertEquals(Double.parseDouble(v), r.gaussian(), 1e-15);
        }
        for (String v : lines[2].split(" ")) {
            assertEquals(Double.parseDouble(v), r.rademacher());
        }
        int[] p = Rng.permutation(17, 123456789, 4);
        String[] q = lines[3].split(" ");
        for (int i = 0; i < p.length; i++) {
            assertEquals(Integer.parseInt(q[i]), p[i]);
        }
    }

    /** A user's torch model (Sequential of standard layers) saved with torch.save, imported, and evaluated by Java. */
    @Test
    void importedModelsComputeWhatTorchComputes(@TempDir Path dir) throws Exception {
        python(dir, String.join("\n",
                "import torch, torch.nn as nn",
                "from netgeom_torch import safetensors",
                "torch.manual_seed(0)",
                "m = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),",
                "                  nn.Linear(3 * 3 * 3, 5), nn.Tanh(), nn.Linear(5, 2)).double()",
                "with torch.no_grad():",
                "    m[1].running_mean.uniform_(-0.3, 0.3); m[1].running_var.uniform_(0.5, 2); m[1].weight.uniform_(0.5, 1.5)",
                "m.eval()",
                "torch.save(m, '" + dir.resolve("user.pt") + "')",
                "x = torch.randn(4, 2, 6, 6, dtype=torch.float64)",
                "safetensors.write('" + dir.resolve("io.safetensors") + "', {'x': x.reshape(4, -1), 'y': m(x).detach()})",
                "torch.save(m.state_dict(), '" + dir.resolve("weights-only.pt") + "')"));
        Safetensors io = Safetensors.open(dir.resolve("io.safetensors"));
        double[] x = io.read("x", "io").nearestDoubles();
        double[] want = io.read("y", "io").nearestDoubles();
        for (boolean inline : new boolean[]{false, true}) {
            Path json = dir.resolve(inline ? "inline.json" : "refs.json");
            int[] shape = TorchEngine.export(dir.resolve("user.pt"), new int[]{2, 6, 6}, json,
                    inline ? null : dir.resolve("refs.safetensors"), "user");
            assertArrayEquals(new int[]{2, 6, 6}, shape);
            Model m = IrReader.read(json);
            TestNets.assertClose(Net.of(m).forward(x, 4, false), want, 1e-12, (inline ? "inline" : "safetensors") + " weights");
        }
        assertTrue(Files.readString(dir.resolve("refs.json")).contains("\"file\": \"refs.safetensors\""));
        NetgeomException e = assertThrows(NetgeomException.class,
                () -> TorchEngine.export(dir.resolve("weights-only.pt"), new int[]{2, 6, 6}, dir.resolve("w.json"), null, null));
        assertEquals(NumericError.TORCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("state_dict"), e.getMessage());
    }

    /**
     * A user's own nn.Module class whose forward chains layers and functional calls (the usual way
     * to write a net; its class lives in a .py file beside the .pt), the same net as a TorchScript
     * file, and a scripted nn.Sequential: each imported and evaluated by Java against PyTorch's own
     * output. A forward with a branch (x + f(x)) is a coded error, not a wrong model.
     */
    @Test
    void customChainModulesAndTorchScriptImport(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("usernet.py"), String.join("\n",
                "import torch, torch.nn as nn, torch.nn.functional as F",
                "class CNN(nn.Module):",
                "    def __init__(s):",
                "        super().__init__()",
                "        s.conv = nn.Conv2d(1, 2, 3, padding=1); s.bn = nn.BatchNorm2d(2); s.pool = nn.MaxPool2d(2)",
                "        s.fc1 = nn.Linear(8, 5); s.fc2 = nn.Linear(5, 3)",
                "    def forward(s, x):",
                "        x = s.pool(F.relu(s.bn(s.conv(x))))",
                "        x = torch.flatten(x, 1)",
                "        return s.fc2(torch.tanh(F.leaky_relu(s.fc1(x), 0.1)))",
                "class Block(nn.Module):",
                "    def __init__(s, n):",
                "        super().__init__(); s.fc1 = nn.Linear(n, n); s.fc2 = nn.Linear(n, n)",
                "    def forward(s, x):",
                "        return x + s.fc2(F.relu(s.fc1(x)))",
                "class Res(nn.Module):",
                "    def __init__(s):",
                "        super().__init__()",
                "        s.inp = nn.Linear(16, 4); s.b1 = Block(4); s.proj = nn.Linear(4, 4, bias=False); s.body = nn.Linear(4, 4)",
                "        s.dense = nn.Linear(4, 2); s.out = nn.Linear(6, 3)",
                "    def forward(s, x):",
                "        x = F.relu(s.inp(x))",
                "        x = s.b1(x)",
                "        x = s.proj(x) + torch.tanh(s.body(x))",
                "        y = torch.cat([x, F.leaky_relu(s.dense(x), 0.2)], dim=1)",
                "        return s.out(y)",
                "class Product(nn.Module):",
                "    def __init__(s):",
                "        super().__init__(); s.a = nn.Linear(3, 3); s.b = nn.Linear(3, 3)",
                "    def forward(s, x):",
                "        return s.a(x) * s.b(x)",
                ""));
        python(dir, String.join("\n",
                "import sys; sys.path.insert(0, '" + dir + "')",
                "import torch, torch.nn as nn, usernet",
                "from netgeom_torch import safetensors",
                "torch.manual_seed(4)",
                "m = usernet.CNN().double()",
                "m.train(); m(torch.randn(6, 1, 4, 4, dtype=torch.float64)); m.eval()",
                "torch.save(m, '" + dir.resolve("custom.pt") + "')",
                "s = nn.Sequential(nn.Linear(16, 4), nn.LeakyReLU(0.2), nn.Linear(4, 3, bias=False)).double()",
                "torch.jit.script(s).save('" + dir.resolve("scripted.pt") + "')",
                "torch.jit.script(m).save('" + dir.resolve("scripted-custom.pt") + "')",
                "r = usernet.Res().double()",
                "torch.save(r, '" + dir.resolve("branch.pt") + "')",
                "torch.save(usernet.Product(), '" + dir.resolve("product.pt") + "')",
                "x = torch.randn(5, 1, 4, 4, dtype=torch.float64)",
                "safetensors.write('" + dir.resolve("io.safetensors") + "', {'x': x.reshape(5, -1), 'y': m(x).detach(),",
                "    'ys': torch.jit.load('" + dir.resolve("scripted.pt") + "')(x.reshape(5, -1)).detach(),",
                "    'yr': r(x.reshape(5, -1)).detach()})"));
        Safetensors io = Safetensors.open(dir.resolve("io.safetensors"));
        double[] x = io.read("x", "io").nearestDoubles();
        Path json = dir.resolve("custom.json");
        TorchEngine.export(dir.resolve("custom.pt"), new int[]{1, 4, 4}, json, dir.resolve("custom.safetensors"), null);
        TestNets.assertClose(Net.of(IrReader.read(json)).forward(x, 5, false), io.read("y", "io").nearestDoubles(), 1e-12, "custom module");
        assertTrue(Files.readString(json).contains("\"key\": \"fc1.weight\""), "tensor keys are the state_dict's");
        json = dir.resolve("scripted.json");
        assertArrayEquals(new int[]{16}, TorchEngine.export(dir.resolve("scripted.pt"), null, json, null, null));
        TestNets.assertClose(Net.of(IrReader.read(json)).forward(x, 5, false), io.read("ys", "io").nearestDoubles(), 1e-12, "TorchScript");
        // residual sums x + f(x) (in a nested module), a projection shortcut g(x) + f(x) and a concat [x, f(x)]
        json = dir.resolve("branch.json");
        TorchEngine.export(dir.resolve("branch.pt"), new int[]{16}, json, dir.resolve("branch.safetensors"), null);
        TestNets.assertClose(Net.of(IrReader.read(json)).forward(x, 5, false), io.read("yr", "io").nearestDoubles(), 1e-12, "branches");
        String ir = Files.readString(json);
        assertTrue(ir.contains("\"op\": \"residual\"") && ir.contains("\"shortcut\"") && ir.contains("\"op\": \"concat\""), ir);
        assertTrue(ir.contains("\"key\": \"b1.fc2.weight\""), "nested submodules keep their state_dict names");
        for (String bad : new String[]{"product.pt", "scripted-custom.pt"}) {
            NetgeomException e = assertThrows(NetgeomException.class,
                    () -> TorchEngine.export(dir.resolve(bad), new int[]{3}, dir.resolve("bad.json"), null, null));
            assertEquals(NumericError.TORCH_FAILED, e.code(), bad);
        }
        assertTrue(!Files.exists(dir.resolve("bad.json")), "nothing half-written");
    }

    /** IR -> torch module -> to_ir gives the same model back (the bridge's own modules included). */
    @Test
    void irRoundTripsThroughTorch(@TempDir Path dir) throws Exception {
        Net net = Net.of(TestNets.allVectorOps(3));
        Path json = TorchEngine.writeModel(net, dir);
        python(dir, String.join("\n",
                "from netgeom_torch import load_ir, save_ir",
                "m = load_ir('" + json + "')",
                "save_ir(m, [3], '" + dir.resolve("back.json") + "')"));
        Net back = Net.of(IrReader.read(dir.resolve("back.json")));
        assertArrayEquals(net.params(), back.params(), "weights survive as the same doubles");
        assertArrayEquals(net.buffers(), back.buffers());
        double[] xs = TestNets.data(4, 3, 3);
        assertArrayEquals(net.forward(xs, 3, false), back.forward(xs, 3, false));
    }
}
