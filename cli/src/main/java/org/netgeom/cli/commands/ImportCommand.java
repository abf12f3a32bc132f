package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.onnx.OnnxImport;
import org.netgeom.numeric.torch.TorchEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom import MODEL.pt [--input-shape 784|3,32,32] [--out model.json] [--weights-file
 * model.safetensors | --inline]}: exports a PyTorch module saved with {@code torch.save(model,
 * path)} (or TorchScript) to the IR through the bridge's {@code to_ir}, weights into a safetensors
 * file beside the IR (default) or inline as JSON numbers; then reads the result back and compiles
 * it for the Java engine.
 *
 * <p>{@code netgeom import MODEL.onnx [-o model.json]} converts an ONNX file instead, through
 * {@link OnnxImport} (Python with Debian's python3-onnx, no torch): the op table is in
 * docs/import.md. The files are published only after the IR read back and compiled.
 */
@Command(name = "import", description = "Convert a saved PyTorch model (torch.save(model, path)) or an ONNX file (MODEL.onnx) to the netgeom IR.")
public final class ImportCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL.pt|MODEL.onnx", description = "A pickled torch.nn.Module, a TorchScript file or an ONNX model (.onnx).")
    Path module;

    @Option(names = "--input-shape", paramLabel = "N|C,H,W", description = "The input shape without the batch dimension (optional when the model starts with a Linear).")
    String inputShape;

    @Option(names = {"-o", "--out"}, paramLabel = "model.json", description = "The IR file to write (default: MODEL.json beside MODEL.pt or MODEL.onnx).")
    Path out;

    @Option(names = "--weights-file", paramLabel = "PATH", description = "The safetensors file for the weights, beside --out (default: the --out name with .safetensors).")
    Path weights;

    @Option(names = "--inline", description = "Write the weights inline instead of a safetensors file (JSON numbers for PyTorch, exact \"p/q\" strings for ONNX).")
    boolean inline;

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name in the IR.")
    String name;

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isRegularFile(module)) {
            throw org.netgeom.ir.IrError.IR_IO.error("no such file: " + module);
        }
        boolean onnx = module.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        if (onnx && inputShape != null) {
            throw NumericError.BAD_OPTION.at("--input-shape", "an ONNX file states its input shape; --input-shape is for PyTorch files");
        }
        int[] shape = null;
        if (inputShape != null) {
            String[] p = inputShape.split(",");
            shape = new int[p.length];
            try {
                for (int i = 0; i < p.length; i++) {
                    shape[i] = Integer.parseInt(p[i].trim());
                    if (shape[i] < 1) {
                        throw new NumberFormatException();
                    }
                }
            } catch (NumberFormatException e) {
                throw NumericError.BAD_OPTION.at("--input-shape", "--input-shape is a list of positive sizes such as 784 or 3,32,32");
            }
        }
        String base = module.getFileName().toString().replaceFirst("(?i)\\.(pt|pth|bin|onnx)$", "");
        Path o = out != null ? out : module.toAbsolutePath().resolveSibling(base + ".json");
        Path w = null;
        if (!inline) {
            w = weights != null ? weights : o.toAbsolutePath().resolveSibling(o.getFileName().toString().replaceFirst("\\.json$", "") + ".safetensors");
            if (!w.toAbsolutePath().getParent().equals(o.toAbsolutePath().getParent())) {
                throw NumericError.BAD_OPTION.at("--weights-file", "the weights file goes beside the IR file (same directory)");
            }
        }
        int[] used;
        Model m;
        Net net;
        String dtype = null;
        if (onnx) {
            // converted into a private directory, read back and compiled there, then published
            try (OnnxImport.Job job = OnnxImport.convert(module, AtomicFiles.target(o), w == null ? null : AtomicFiles.target(w), name)) {
                m = IrReader.readWithWarnings(job.json(), tensorPaths()).model();
                net = Net.of(m);
                used = job.input();
                dtype = job.dtype();
                job.publish();
            }
        } else {
            // PyTorch writes the files: check the targets here (symlinks, directories) and hand it the real paths
            used = TorchEngine.export(module, shape, AtomicFiles.target(o), w == null ? null : AtomicFiles.target(w), name);
            m = IrReader.readWithWarnings(o, tensorPaths()).model();
            net = Net.of(m);
        }
        Map<String, Object> r = JsonOut.object();
        r.put("out", o.toString());
        r.put("weightsFile", w == null ? null : w.toString());
        r.put("input", java.util.Arrays.stream(used).boxed().toList());
        r.put("output", JsonOut.shape(m.output()));
        r.put("layers", m.layers().size());
        r.put("parameters", net.paramCount());
        if (dtype != null) {
            r.put("dtype", dtype);
        }
        if (json) {
            printJson(r);
        } else {
            out().printf(Locale.ROOT, "imported %s: input %s -> output %s, %d layers, %d parameters%nwrote %s%s%n", module, m.input(),
                    m.output(), m.layers().size(), net.paramCount(), o, w == null ? "" : " and " + w);
        }
        return 0;
    }
}
