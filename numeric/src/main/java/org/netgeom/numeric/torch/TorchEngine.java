package org.netgeom.numeric.torch;

import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric commands run by PyTorch through {@link TorchBridge}, with the same inputs and
 * outputs as the Java engine: the model goes over as IR JSON with its weights in a safetensors
 * file (the float64 values the Java engine uses), the data as safetensors {@code x}, {@code y};
 * results come back as safetensors (and trained models as IR + safetensors). Parameter vectors
 * are in the order of {@link org.netgeom.numeric.engine.ParamLayout}, which is PyTorch's
 * {@code parameters()} order for the module the bridge builds.
 */
public final class TorchEngine {
    /** Where and how torch runs: {@code cpu} or {@code cuda}, dtype, intra-op threads (0: torch's default), processes (DDP). */
    public record Options(String device, Precision dtype, int threads, int nproc) {
        public static final Options CPU64 = new Options("cpu", Precision.F64, 0, 1);

        public Options {
            if (!device.equals("cpu") && !device.equals("cuda")) {
                throw NumericError.BAD_OPTION.at("--device", "--device is cpu or cuda, not " + device);
            }
            if (nproc < 1) {
                throw NumericError.BAD_OPTION.at("--nproc", "--nproc must be at least 1");
            }
        }
    }

    private final TorchBridge bridge;
    private final Options opt;

    public TorchEngine(Options opt) {
        this.bridge = TorchBridge.get();
        this.opt = opt;
    }

    public TorchBridge bridge() {
        return bridge;
    }

    /** A fresh working directory for one command, removed by {@link Job#close()} unless the command failed. */
    private final class Job implements AutoCloseable {
        final Path dir;
        final Map<String, Object> req = new LinkedHashMap<>();
        boolean ok;

        Job(Net net, double[] x, double[] y, int n) {
            try {
                dir = Files.createTempDirectory("netgeom-torch-job-");
            } catch (IOException e) {
                throw NumericError.TORCH_FAILED.error("cannot create a temporary directory: " + e.getMessage());
            }
            req.put("device", opt.device());
            req.put("dtype", opt.dtype() == Precision.F64 ? "float64" : "float32");
            if (opt.threads() > 0) {
                req.put("threads", opt.threads());
            }
            if (net != null) {
                req.put("model", writeModel(net, dir).toString());
            }
            if (x != null) {
                Map<String, Tensor> t = new LinkedHashMap<>();
                t.put("x", Tensor.ofDoubles(Shape.of(n, x.length / n), x));
                if (y != null) {
                    t.put("y", Tensor.ofDoubles(Shape.of(n, y.length / n), y));
                }
                Path data = dir.resolve("data.safetensors");
                Safetensors.write(data, t, Map.of(), false);
                req.put("data", data.toString());
            }
        }

        JsonNode run(String command, int nproc) {
            JsonNode r = bridge.run(command, req, dir, nproc);
            ok = true;
            return r;
        }

        double[] tensor(String key) {
            return Safetensors.open(dir.resolve("result.safetensors")).read(key, "result.safetensors").nearestDoubles();
        }

        @Override
        public void close() {
            if (ok) {
                TorchBridge.deleteTree(dir);
            }
        }
    }

    /** Writes the net (current parameters) as {@code dir/model.json} + {@code dir/model.safetensors}. */
    public static Path writeModel(Net net, Path dir) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Model m = net.toModel("model.safetensors", tensors);
        Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of(), false);
        Path json = dir.resolve("model.json");
        IrWriter.write(m, json, new IrWriter.Options(IrWriter.DoubleStyle.EXACT, true));
        return json;
    }

    /** f(x), {@code [n][out]}. */
    public double[] forward(Net net, double[] x, int n, boolean trainBatchNorm) {
        try (Job j = new Job(net, x, null, n)) {
            j.req.put("train_bn", trainBatchNorm);
            j.run("forward", 1);
            return j.tensor("y");
        }
    }

    /** The mean loss and its gradient (flat, layout order); batchnorm in inference mode unless {@code trainBatchNorm}. */
    public record Gradient(double loss, double[] grad) {
    }

    public Gradient gradient(Net net, double[] x, double[] y, int n, Loss loss, boolean trainBatchNorm) {
        try (Job j = new Job(net, x, y, n)) {
            j.req.put("loss", loss.spelling);
            j.req.put("train_bn", trainBatchNorm);
            JsonNode r = j.run("gradient", 1);
            return new Gradient(r.get("loss").asDouble(), j.tensor("grad"));
        }
    }

    /** Per-example Jacobian {@code [n][out][in]} (wrtParams false) or {@code [n][out][P]}. */
    public double[] jacobian(Net net, double[] x, int n, boolean wrtParams) {
        try (Job j = new Job(net, x, null, n)) {
            j.req.put("wrt", wrtParams ? "params" : "input");
            j.run("jacobian", 1);
            return j.tensor("jacobian");
        }
    }

    /** The empirical NTK Θ = J Jᵀ, {@code [n·out][n·out]}. */
    public double[] ntk(Net net, double[] x, int n) {
        try (Job j = new Job(net, x, null, n)) {
            j.run("ntk", 1);
            return j.tensor("ntk");
        }
    }

    /** H·v for the full-batch mean loss (inference mode), by double backward. */
    public double[] hvp(Net net, double[] x, double[] y, int n, Loss loss, double[] v) {
        try (Job j = new Job(net, x, y, n)) {
            Path vf = j.dir.resolve("v.safetensors");
            Safetensors.write(vf, Map.of("v", Tensor.ofDoubles(Shape.of(v.length), v)), Map.of(), false);
            j.req.put("loss", loss.spelling);
            j.req.put("vector", vf.toString());
            j.run("hvp", 1);
            return j.tensor("hv");
        }
    }

    /**
     * The bridge's Hessian spectrum: {@code settings} holds top_k, max_iter, tol, trace,
     * trace_samples, trace_tol, density, density_iter, density_runs, seed as the Java engine's
     * options; the answer has topEigenvalues, trace, nodes/weights (per density run) and hvps.
     */
    public JsonNode hessian(Net net, double[] x, double[] y, int n, Loss loss, Map<String, Object> settings) {
        try (Job j = new Job(net, x, y, n)) {
            j.req.put("loss", loss.spelling);
            j.req.putAll(settings);
            return j.run("hessian", 1);
        }
    }

    /**
     * Times full-batch training steps on torch ({@code warmup} untimed, then {@code steps} timed
     * one by one); the answer has {@code times} (seconds per step), {@code losses} (pre-update,
     * warmup included) and {@code threads}.
     */
    public JsonNode bench(Net net, double[] x, double[] y, int n, Loss loss, Optimizer.Config o, int steps, int warmup) {
        try (Job j = new Job(net, x, y, n)) {
            j.req.put("optimizer", optimizerRequest(o));
            j.req.put("loss", loss.spelling);
            j.req.put("steps", steps);
            j.req.put("warmup", warmup);
            return j.run("bench", 1);
        }
    }

    private static Map<String, Object> optimizerRequest(Optimizer.Config o) {
        Map<String, Object> oc = new LinkedHashMap<>();
        oc.put("name", o.name());
        oc.put("lr", o.lr());
        oc.put("momentum", o.momentum());
        oc.put("dampening", o.dampening());
        oc.put("nesterov", o.nesterov());
        oc.put("weight_decay", o.weightDecay());
        oc.put("beta1", o.beta1());
        oc.put("beta2", o.beta2());
        oc.put("eps", o.eps());
        oc.put("amsgrad", o.amsgrad());
        return oc;
    }

    /** What a torch training run gives back: the trained model and its metrics rows (step, epoch, loss). */
    public record Trained(Model model, double[] metrics, double seconds) {
    }

    /** Trains on torch with the Java engine's batches and settings (checkpoints are the Java engine's only). */
    public Trained train(Net net, double[] x, double[] y, int n, TrainConfig c) {
        try (Job j = new Job(net, x, y, n)) {
            j.req.put("optimizer", optimizerRequest(c.optimizer()));
            j.req.put("loss", c.loss().spelling);
            j.req.put("steps", c.steps());
            j.req.put("batch", c.batch());
            j.req.put("shuffle", c.shuffle());
            j.req.put("seed", c.seed());
            j.req.put("train_bn", c.batchNormTrain());
            j.req.put("out_model", j.dir.resolve("trained.json").toString());
            j.req.put("out_weights", j.dir.resolve("trained.safetensors").toString());
            JsonNode r = j.run("train", opt.nproc());
            Model trained = IrReader.read(j.dir.resolve("trained.json"));
            List<double[]> rows = new java.util.ArrayList<>();
            for (JsonNode row : r.get("metrics")) {
                rows.add(new double[]{row.get(0).asDouble(), row.get(1).asDouble(), row.get(2).asDouble()});
            }
            double[] m = new double[rows.size() * 3];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, m, 3 * i, 3);
            }
            return new Trained(trained, m, r.path("seconds").asDouble());
        }
    }

    /**
     * Exports a PyTorch module saved with {@code torch.save(model, path)} (or TorchScript) to the
     * IR: {@code outJson} with the weights inline as JSON numbers, or as references into
     * {@code weights} (beside outJson) when given. {@code inputShape} may be null for a model that
     * starts with a Linear layer. Returns the input shape used.
     */
    public static int[] export(Path module, int[] inputShape, Path outJson, Path weights, String name) {
        TorchBridge b = TorchBridge.get();
        Path dir;
        try {
            dir = Files.createTempDirectory("netgeom-torch-job-");
        } catch (IOException e) {
            throw NumericError.TORCH_FAILED.error("cannot create a temporary directory: " + e.getMessage());
        }
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("module", module.toAbsolutePath().toString());
        if (inputShape != null) {
            req.put("input_shape", inputShape);
        }
        req.put("out_model", outJson.toAbsolutePath().toString());
        if (weights != null) {
            req.put("out_weights", weights.toAbsolutePath().toString());
        }
        if (name != null) {
            req.put("name", name);
        }
        JsonNode r = b.run("export", req, dir, 1);
        TorchBridge.deleteTree(dir);
        JsonNode s = r.get("input");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asInt();
        }
        return shape;
    }
}
