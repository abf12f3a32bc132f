package org.netgeom.numeric.train;

import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Progress;
import org.netgeom.ir.io.MemoryBudget;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.ParamLayout;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.optim.Optimizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Java engine's training loop: for each step, the batch's loss and gradient at the current
 * parameters (the loss logged is this pre-update batch loss, as a PyTorch loop prints it), then
 * one optimizer update. Deterministic: the batches are a function of the step
 * ({@link Batches}) and every kernel is bit-reproducible, so a run resumed from a
 * {@link Checkpoint} ends bit-identical to an uninterrupted one. A non-finite loss or gradient
 * stops the run with {@link NumericError#NON_FINITE} before the bad update; the checkpoint on
 * disk is then the last good one.
 */
public final class Trainer {
    /** Called as training goes. */
    public interface Listener {
        /** Before the first step: the step training starts from and the metrics rows so far (non-empty when resumed). */
        default void onStart(long step, double[] metrics) {
        }

        default void onStep(long step, long epoch, double loss) {
        }

        /** After a checkpoint is written; {@code metrics} as in {@link Checkpoint.State}. */
        default void onCheckpoint(long step, double[] metrics) {
        }
    }

    /**
     * What a run did: the steps done in all and where it started (non-zero when resumed), and the
     * metrics rows (step, epoch, batch loss) for every step from the first.
     */
    public record Result(long steps, long resumedFrom, double[] metrics) {
        public double firstLoss() {
            return metrics.length == 0 ? Double.NaN : metrics[2];
        }

        public double lastLoss() {
            return metrics.length == 0 ? Double.NaN : metrics[metrics.length - 1];
        }
    }

    private Trainer() {
    }

    /**
     * Trains {@code net} in place on the data {@code x [n][d]}, {@code y [n][w]}.
     *
     * @param listener may be null
     */
    public static Result run(Net net, double[] x, double[] y, int n, TrainConfig c, Progress progress, Listener listener) {
        org.netgeom.numeric.engine.Warmup.stop();
        Listener l = listener == null ? new Listener() {
        } : listener;
        int d = net.inputSize();
        int k = net.outputSize();
        int w = y.length / n;
        c.loss().checkTargets(y, n, w, k);
        if (c.steps() < 0) {
            throw NumericError.BAD_OPTION.at("--steps", "the number of steps must be >= 0");
        }
        Batches batches = new Batches(n, c.batch(), c.shuffle(), c.seed());
        Optimizer opt = c.optimizer().create(net.paramCount());
        String fingerprint = fingerprint(net, x, y, c);
        long start = 0;
        double[] metrics = new double[0];
        if (c.checkpointDir() != null) {
            Checkpoint.removeStale(c.checkpointDir());
        }
        if (c.checkpointDir() != null && c.resume()) {
            Checkpoint.State s = Checkpoint.read(c.checkpointDir());
            if (s != null) {
                if (!fingerprint.equals(s.fingerprint())) {
                    throw NumericError.CHECKPOINT.at(Checkpoint.file(c.checkpointDir()).toString(), "the checkpoint belongs to another "
                            + "run (different model, initial weights, data or settings); remove it or use another --checkpoint directory");
                }
                if (s.params().length != net.paramCount() || s.buffers().length != net.buffers().length) {
                    throw NumericError.CHECKPOINT.error("the checkpoint's parameter count does not match the model");
                }
                net.setParams(s.params());
                net.setBuffers(s.buffers());
                opt.restore(s.optimizerSteps(), s.optimizer());
                start = s.step();
                metrics = s.metrics();
            }
        }
        long total = Math.max(c.steps(), start);
        int chunk = chunkRows(net, w, Math.min(n, batches.batchSize()), c);
        double[] grad = new double[net.paramCount()];
        double[] xb = new double[0];
        double[] yb = new double[0];
        GrowableMetrics rows = new GrowableMetrics(metrics, total);
        l.onStart(start, metrics);
        progress.start("train", total);
        progress.set(start);
        try {
            for (long step = start; step < total; step++) {
                int[] idx = batches.rows(step);
                int nb = idx.length;
                Arrays.fill(grad, 0.0);
                double denom = c.loss().denominator(nb, k);
                double sum = 0;
                // the batch in row blocks of at most `chunk` rows, their gradients summed: the
                // full batch's gradient (rows are independent without train-mode batchnorm)
                for (int r0 = 0; r0 < nb; r0 += chunk) {
                    int m = Math.min(chunk, nb - r0);
                    if (xb.length != m * d) {
                        xb = new double[m * d];
                        yb = new double[m * w];
                    }
                    for (int i = 0; i < m; i++) {
                        System.arraycopy(x, idx[r0 + i] * d, xb, i * d, d);
                        System.arraycopy(y, idx[r0 + i] * w, yb, i * w, w);
                    }
                    sum += net.lossGradient(xb, yb, m, c.loss(), 1 / denom, c.batchNormTrain(), grad);
                }
                double loss = sum / denom;
                if (c.precision() == Precision.F32) {
                    loss = (float) loss;
                }
                long epoch = batches.epoch(step);
                if (!Double.isFinite(loss) || !finite(grad)) {
                    throw NumericError.NON_FINITE.error("the " + (Double.isFinite(loss) ? "gradient" : "loss (" + loss + ")")
                                    + " is not finite at step " + (step + 1) + " (epoch " + (epoch + 1) + "); training stopped"
                                    + (c.checkpointDir() != null ? ", the last good checkpoint is kept in " + c.checkpointDir() : "")
                                    + " (try a smaller --lr)")
                            .with("step", step + 1).with("lastGoodStep", step);
                }
                opt.step(net.params(), grad);
                if (c.precision() == Precision.F32) {
                    Precision.toFloat(net.params());
                    opt.state().values().forEach(Precision::toFloat);
                }
                rows.add(step + 1, epoch + 1, loss);
                l.onStep(step + 1, epoch + 1, loss);
                progress.step(1);
                progress.status(String.format(java.util.Locale.ROOT, "loss %.6g", loss));
                boolean last = step + 1 == total;
                if (c.checkpointDir() != null && ((step + 1) % Math.max(1, c.checkpointEvery()) == 0 || last)) {
                    if (finite(net.params())) {
                        Checkpoint.write(c.checkpointDir(), new Checkpoint.State(step + 1, fingerprint, net.params(), net.buffers(),
                                opt.steps(), opt.state(), rows.toArray()));
                        l.onCheckpoint(step + 1, rows.toArray());
                    }
                }
            }
        } finally {
            progress.done();
        }
        return new Result(total, start, rows.toArray());
    }

    /** Bytes per row of a step's working set, per value of the layers' outputs (value, mask, gradient, temporaries). */
    static final int BYTES_PER_ACTIVATION = 32;

    /**
     * Rows per block of a step: the whole batch when its working set (the rows' inputs and
     * targets, and {@link #BYTES_PER_ACTIVATION} per value of every layer's output) fits a
     * quarter of the memory budget ({@link MemoryBudget}; the data set itself takes the rest),
     * else as many rows as fit it (at least 64). With train-mode batchnorm the batch's statistics
     * couple its rows, so a batch that does not fit is refused up front ({@code DATA_TOO_LARGE},
     * with the estimate; a smaller {@code --batch} is the way out).
     */
    static int chunkRows(Net net, int targets, int rows, TrainConfig c) {
        double perRow = bytesPerRow(net, targets);
        double allowed = MemoryBudget.bytes() / 4.0;
        if (rows * perRow <= allowed) {
            return Math.max(1, rows);
        }
        if (c.batchNormTrain() && hasBatchNorm(net)) {
            MemoryBudget.require(4 * rows * perRow, "a training step on " + rows + " rows with train-mode batchnorm (its statistics "
                    + "couple the rows, so the batch is not split)", "--batch", "a smaller --batch");
        }
        return (int) Math.max(64, Math.min(rows, Math.floor(allowed / perRow)));
    }

    /** The estimate of {@link #chunkRows}: 8 bytes per input and target value, and per layer output value. */
    static double bytesPerRow(Net net, int targets) {
        double[] acts = {0};
        net.model().walk((LayerShape s) -> acts[0] += s.out().size());
        return 8.0 * (net.inputSize() + targets) + BYTES_PER_ACTIVATION * acts[0];
    }

    private static boolean hasBatchNorm(Net net) {
        boolean[] any = {false};
        net.model().walk((LayerShape s) -> any[0] |= s.layer() instanceof org.netgeom.ir.Layer.BatchNorm);
        return any[0];
    }

    static boolean finite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * SHA-256 of what determines the trajectory: the model's structure and initial parameters
     * (bit patterns), the data, and the settings of {@link TrainConfig#describe()}.
     */
    public static String fingerprint(Net net, double[] x, double[] y, TrainConfig c) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            net.model().walk((LayerShape s) -> sb.append(s.path()).append(' ').append(s.layer().op()).append(' ')
                    .append(s.in()).append(s.out()).append(constants(s)).append('\n'));
            for (ParamLayout.Entry e : net.layout().params()) {
                sb.append(e.name()).append(e.shape()).append('\n');
            }
            for (Map.Entry<String, String> e : c.describe().entrySet()) {
                sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            digest(md, net.params());
            digest(md, net.buffers());
            digest(md, x);
            digest(md, y);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every constant of the op that is not a tensor or a sub-network: read from the record's own
     * components, so an op added to the IR (or a constant added to an op) is fingerprinted without
     * a change here. A list of maxpool kernels 2 and 3 with stride 2 on a 5×5 input have the same
     * shapes; only the kernel tells them apart.
     */
    static String constants(LayerShape s) {
        StringBuilder sb = new StringBuilder();
        for (java.lang.reflect.RecordComponent rc : s.layer().getClass().getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(s.layer());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v == null || v instanceof org.netgeom.ir.Tensor || v instanceof java.util.List<?> || rc.getName().equals("name")) {
                continue;       // tensors are digested by value below; sub-layers are walked on their own
            }
            sb.append(' ').append(rc.getName()).append('=').append(v);
        }
        return sb.toString();
    }

    private static void digest(MessageDigest md, double[] a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * 4096);
        for (int i = 0; i < a.length; i++) {
            if (!b.hasRemaining()) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putLong(Double.doubleToRawLongBits(a[i]));
        }
        md.update(b.array(), 0, b.position());
        md.update((byte) 0x7f);
    }

    /** Metrics rows (step, epoch, loss) in a growable array. */
    private static final class GrowableMetrics {
        private double[] a;
        private int size;

        GrowableMetrics(double[] initial, long expected) {
            a = Arrays.copyOf(initial, (int) Math.max(initial.length, Math.min(3 * expected, 1 << 24)));
            size = initial.length;
        }

        void add(double step, double epoch, double loss) {
            if (size + 3 > a.length) {
                a = Arrays.copyOf(a, Math.max(16, a.length * 2));
            }
            a[size++] = step;
            a[size++] = epoch;
            a[size++] = loss;
        }

        double[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
