package org.netgeom.numeric.engine;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.linalg.Gemm;
import org.netgeom.numeric.loss.Loss;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model compiled for the Java engine: batched float64 (or float32-storage) forward and
 * backward passes over every IR op, with all parameters in one flat vector ({@link #params()},
 * laid out by {@link #layout()}) and batchnorm's running statistics in another
 * ({@link #buffers()}). Not thread-safe: one pass at a time (the kernels inside use the
 * engine's threads).
 *
 * <p>Entry points: {@link #forward}, {@link #lossGradient} (loss and its gradient),
 * {@link #lossHvp} (Hessian-vector product of the loss, forward-over-reverse), and per-example
 * Jacobians {@link #jacobianInput} / {@link #jacobianParams}.
 */
public final class Net {
    private final Model model;
    private final Precision precision;
    private final ParamLayout layout = new ParamLayout();
    private final Map<String, int[]> offsets = new java.util.HashMap<>();
    private final Seq root;
    private final double[] params;
    private final double[] buffers;

    private Net(Model model, Precision precision) {
        Binder.requireNoSymbols(model);
        this.model = model;
        this.precision = precision;
        List<double[]> pv = new ArrayList<>();
        List<double[]> bv = new ArrayList<>();
        this.root = seq("layers", model.shapes(), model.input().size(), pv, bv);
        this.params = flat(pv, layout.paramCount());
        this.buffers = flat(bv, layout.bufferCount());
        if (precision == Precision.F32) {
            Precision.toFloat(params);
            Precision.toFloat(buffers);
        }
    }

    /** Compiles a model (free symbols must be bound) in float64. */
    public static Net of(Model m) {
        return new Net(m, Precision.F64);
    }

    /** Compiles a model in the given precision. */
    public static Net of(Model m, Precision p) {
        return new Net(m, p);
    }

    private static double[] flat(List<double[]> parts, int n) {
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ compilation

    private Seq seq(String path, List<LayerShape> shapes, int inSize, List<double[]> pv, List<double[]> bv) {
        List<Op> ops = new ArrayList<>();
        int size = inSize;
        for (LayerShape s : shapes) {
            Op op = compile(s, pv, bv);
            ops.add(op);
            size = op.outSize;
        }
        return new Seq(path, inSize, size, ops);
    }

    private int param(LayerShape s, String key, org.netgeom.ir.Tensor t, List<double[]> pv) {
        if (t == null) {
            return -1;
        }
        pv.add(t.nearestDoubles());
        return layout.addParam(s.path().toString(), key, t.shape());
    }

    private Op compile(LayerShape s, List<double[]> pv, List<double[]> bv) {
        return s.layer().accept(new Compiler(s, pv, bv));
    }

    /** One layer to one op; a visitor so that a new IR op is a compile error here. */
    private final class Compiler implements LayerVisitor<Op> {
        private final LayerShape s;
        private final List<double[]> pv;
        private final List<double[]> bv;
        private final String path;
        private final int in;
        private final int[] dims;

        Compiler(LayerShape s, List<double[]> pv, List<double[]> bv) {
            this.s = s;
            this.pv = pv;
            this.bv = bv;
            this.path = s.path().toString();
            this.in = s.in().size();
            this.dims = s.in().dims();
        }

        @Override
        public Op visit(Layer.Dense d) {
            int w = param(s, "weight", d.weight(), pv);
            int b = param(s, "bias", d.bias(), pv);
            offsets.put(path, new int[]{w, b});
            return new DenseOp(path, d.in(), d.out(), w, b);
        }

        @Override
        public Op visit(Layer.AbRelu a) {
            return ActOp.abrelu(path, in, a);
        }

        @Override
        public Op visit(Layer.Identity l) {
            return new FlattenOp(path, in);
        }

        @Override
        public Op visit(Layer.Square l) {
            return ActOp.square(path, in);
        }

        @Override
        public Op visit(Layer.Smooth sm) {
            return ActOp.smooth(path, in, sm.fn());
        }

        @Override
        public Op visit(Layer.Residual r) {
            Seq body = seq(path + ".layers", s.body(), in, pv, bv);
            Seq shortcut = seq(path + ".shortcut", r.shortcut() == null ? List.of() : s.shortcut(), in, pv, bv);
            return new ResidualOp(path, body, shortcut);
        }

        @Override
        public Op visit(Layer.Concat c) {
            return new ConcatOp(path, seq(path + ".layers", s.body(), in, pv, bv));
        }

        @Override
        public Op visit(Layer.BatchNorm bn) {
            int g = param(s, "weight", bn.weight(), pv);
            int b = param(s, "bias", bn.bias(), pv);
            bv.add(bn.mean().nearestDoubles());
            int mean = layout.addBuffer(path, "running_mean", bn.mean().shape());
            bv.add(bn.var().nearestDoubles());
            int var = layout.addBuffer(path, "running_var", bn.var().shape());
            offsets.put(path, new int[]{g, b, mean, var});
            return new BatchNormOp(path, in, bn.features(), g, b, mean, var, bn.eps().rational().doubleValue());
        }

        @Override
        public Op visit(Layer.Conv2d c) {
            int w = param(s, "weight", c.weight(), pv);
            int b = param(s, "bias", c.bias(), pv);
            offsets.put(path, new int[]{w, b});
            return new Conv2dOp(path, dims, c.outChannels(), c.kernel().h(), c.kernel().w(), c.stride().h(), c.stride().w(),
                    c.padding().h(), c.padding().w(), w, b);
        }

        @Override
        public Op visit(Layer.MaxPool2d m) {
            return new PoolOp(path, dims, m.kernel().h(), m.kernel().w(), m.stride().h(), m.stride().w(), true);
        }

        @Override
        public Op visit(Layer.AvgPool2d m) {
            return new PoolOp(path, dims, m.kernel().h(), m.kernel().w(), m.stride().h(), m.stride().w(), false);
        }

        @Override
        public Op visit(Layer.Flatten l) {
            return new FlattenOp(path, in);
        }

        /** Maxout over n·k values is max pooling of a 1 × n × k image with kernel and stride 1 × k (same order, same ties). */
        @Override
        public Op visit(Layer.Maxout l) {
            return new PoolOp(path, new int[]{1, in / l.k(), l.k()}, 1, l.k(), 1, l.k(), true);
        }

        @Override
        public Op visit(Layer.HardTanh l) {
            return ActOp.hardtanh(path, in, l);
        }
    }

    // ------------------------------------------------------------------ state

    public Model model() {
        return model;
    }

    public Precision precision() {
        return precision;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** P. */
    public int paramCount() {
        return params.length;
    }

    /** The live parameter vector (the optimizer updates it in place). */
    public double[] params() {
        return params;
    }

    /** The live running statistics of the batchnorm layers. */
    public double[] buffers() {
        return buffers;
    }

    /** Values per example in (the model's flattened input) and out. */
    public int inputSize() {
        return root.inSize;
    }

    public int outputSize() {
        return root.outSize;
    }

    /** Copies a parameter vector in (rounded to float32 in F32 mode). */
    public void setParams(double[] p) {
        System.arraycopy(p, 0, params, 0, params.length);
        if (precision == Precision.F32) {
            Precision.toFloat(params);
        }
    }

    public void setBuffers(double[] b) {
        System.arraycopy(b, 0, buffers, 0, buffers.length);
    }

    /** The model with the current parameters and running statistics (double-backed tensors). */
    public Model toModel() {
        return NetExport.toModel(model, offsets, params, buffers, null, null);
    }

    /**
     * The model with the current parameters, each tensor referring to {@code weightsFile} under
     * its state_dict name; the tensors by name (parameters and running statistics, in model
     * order) go into {@code tensors}, to be written to that file.
     */
    public Model toModel(String weightsFile, Map<String, org.netgeom.ir.Tensor> tensors) {
        return NetExport.toModel(model, offsets, params, buffers, weightsFile, tensors);
    }

    // ------------------------------------------------------------------ passes

    private Pass pass(int n, boolean train) {
        Pass p = new Pass(params, buffers, n, train, precision);
        p.paramCount = params.length;
        return p;
    }

    private void checkInput(double[] x, int n) {
        if (x.length != n * inputSize()) {
            throw IrError.BAD_INPUT.error("expected " + n + " rows of " + inputSize() + " input values, got " + x.length + " values");
        }
    }

    /** f(x) for n rows {@code [n][in]}: {@code [n][out]}; {@code train} uses batch statistics in batchnorm and updates the running ones. */
    public double[] forward(double[] x, int n, boolean train) {
        checkInput(x, n);
        Pass p = pass(n, train);
        double[] y = root.forward(p, Dual.of(p.round(x.clone()))).v();
        root.clear();
        return y;
    }

    /** The mean loss on n rows in inference mode (batchnorm's running statistics), in chunks of 2048 rows. */
    public double meanLoss(double[] x, double[] y, int n, Loss loss) {
        int d = inputSize();
        int w = y.length / n;
        double s = 0;
        for (int from = 0; from < n; from += 2048) {
            int m = Math.min(2048, n - from);
            double[] out = forward(java.util.Arrays.copyOfRange(x, from * d, (from + m) * d), m, false);
            s += loss.sum(out, java.util.Arrays.copyOfRange(y, from * w, (from + m) * w), m, outputSize());
        }
        return s / loss.denominator(n, outputSize());
    }

    /**
     * The loss on n rows and its gradient: returns the summed per-row loss (see {@link Loss#sum})
     * and adds {@code scale}·∇ of that sum to {@code grad} (scale = 1/denominator gives the
     * gradient of the mean loss).
     */
    public double lossGradient(double[] x, double[] y, int n, Loss loss, double scale, boolean train, double[] grad) {
        checkInput(x, n);
        Pass p = pass(n, train);
        p.grad = grad;
        Dual out = root.forward(p, Dual.of(p.round(x.clone())));
        double sum = loss.sum(out.v(), y, n, outputSize());
        double[] g = loss.gradient(out.v(), y, n, outputSize(), scale);
        root.backward(p, Dual.of(p.round(g)), false);
        root.clear();
        if (precision == Precision.F32) {
            Precision.toFloat(grad);
        }
        return sum;
    }

    /**
     * Adds {@code scale}·H·v to {@code hv}, H the Hessian of the summed loss on n rows with
     * respect to the parameters (inference-mode batchnorm), by forward-over-reverse
     * differentiation (Pearlmutter 1994): tangents along v through the forward pass, then the
     * R-derivative of the backward pass. Returns the summed loss; adds scale·∇ to {@code grad}
     * when it is not null.
     */
    public double lossHvp(double[] x, double[] y, int n, Loss loss, double scale, double[] v, double[] hv, double[] grad) {
        checkInput(x, n);
        Pass p = pass(n, false);
        p.grad = grad != null ? grad : new double[params.length];
        p.dir = v;
        p.hv = hv;
        Dual out = root.forward(p, Dual.of(p.round(x.clone())));
        double sum = loss.sum(out.v(), y, n, outputSize());
        double[] g = loss.gradient(out.v(), y, n, outputSize(), scale);
        double[] rg = loss.hvp(out.v(), out.t(), y, n, outputSize(), scale);
        root.backward(p, new Dual(g, rg), false);
        root.clear();
        return sum;
    }

    /**
     * The Jacobian of the outputs with respect to the input, per example (inference mode):
     * {@code [n][out][in]} flattened. Row (r, i) is the backward pass of the unit vector e_i at
     * example r.
     */
    public double[] jacobianInput(double[] x, int n) {
        return jacobian(x, n, false);
    }

    /**
     * The Jacobian of the outputs with respect to all parameters, per example (inference mode):
     * {@code [n][out][P]} flattened, columns in {@link #layout()} order.
     */
    public double[] jacobianParams(double[] x, int n) {
        return jacobian(x, n, true);
    }

    /**
     * The empirical neural tangent kernel Θ = J Jᵀ at the n examples (Jacot, Gabriel and Hongler
     * 2018), J = {@link #jacobianParams}: {@code [n·k][n·k]}, row (r, i) at r·k + i.
     */
    public double[] ntk(double[] x, int n) {
        double[] j = jacobianParams(x, n);
        int r = n * outputSize();
        double[] theta = new double[r * r];
        Gemm.get().mul(false, true, r, r, params.length, j, 0, j, 0, theta, 0, false);
        return theta;
    }

    /** Backward passes of the unit vectors e_i at every example (rows replicated k times): dx, or per-row dθ. */
    private double[] jacobian(double[] x, int n, boolean params) {
        checkInput(x, n);
        int k = outputSize();
        Pass p = pass(n * k, false);
        if (params) {
            p.perRow = new double[(long) n * k * this.params.length > Integer.MAX_VALUE - 8 ? tooLarge(n, k) : n * k * this.params.length];
        }
        root.forward(p, Dual.of(replicate(x, n, k)));
        Dual g = root.backward(p, Dual.of(seeds(n, k)), !params);
        root.clear();
        return params ? p.perRow : g.v();
    }

    private int tooLarge(int n, int k) {
        throw NumericError.BAD_OPTION.error("the parameter Jacobian of " + n + " examples × " + k + " outputs × " + params.length
                + " parameters does not fit in one array; use fewer examples");
    }

    private double[] replicate(double[] x, int n, int k) {
        int d = inputSize();
        double[] xs = new double[n * k * d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < k; i++) {
                System.arraycopy(x, r * d, xs, (r * k + i) * d, d);
            }
        }
        return xs;
    }

    private static double[] seeds(int n, int k) {
        double[] g = new double[n * k * k];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < k; i++) {
                g[(r * k + i) * k + i] = 1;
            }
        }
        return g;
    }
}
