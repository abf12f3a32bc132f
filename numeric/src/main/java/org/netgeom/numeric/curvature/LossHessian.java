package org.netgeom.numeric.curvature;

import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.loss.Loss;

import java.util.Arrays;

/**
 * The Hessian H = ∇²L(θ) of the full-batch loss L (PyTorch's mean reduction) with respect to all
 * parameters of a net, as an operator: each {@link #apply} is one exact Hessian-vector product by
 * forward-over-reverse differentiation ({@link Net#lossHvp}), over the data in chunks of rows
 * (batchnorm in inference mode, so rows are independent).
 */
public final class LossHessian implements LinearOperator {
    private static final int CHUNK = 2048;

    private final Net net;
    private final double[] x;
    private final double[] y;
    private final int n;
    private final Loss loss;
    private long count;

    public LossHessian(Net net, double[] x, double[] y, int n, Loss loss) {
        this.net = net;
        this.x = x;
        this.y = y;
        this.n = n;
        this.loss = loss;
        loss.checkTargets(y, n, y.length / n, net.outputSize());
    }

    @Override
    public int dim() {
        return net.paramCount();
    }

    @Override
    public void apply(double[] v, double[] out) {
        Arrays.fill(out, 0.0);
        double scale = 1 / loss.denominator(n, net.outputSize());
        int d = net.inputSize();
        int w = y.length / n;
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            double[] xc = from == 0 && m == n ? x : Arrays.copyOfRange(x, from * d, (from + m) * d);
            double[] yc = from == 0 && m == n ? y : Arrays.copyOfRange(y, from * w, (from + m) * w);
            net.lossHvp(xc, yc, m, loss, scale, v, out, null);
        }
        count++;
    }

    @Override
    public long applications() {
        return count;
    }

    /** The loss L at the current parameters (inference mode). */
    public double loss() {
        return net.meanLoss(x, y, n, loss);
    }

    /** The gradient ∇L (inference mode). */
    public double[] gradient() {
        double[] g = new double[net.paramCount()];
        double scale = 1 / loss.denominator(n, net.outputSize());
        int d = net.inputSize();
        int w = y.length / n;
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            net.lossGradient(Arrays.copyOfRange(x, from * d, (from + m) * d), Arrays.copyOfRange(y, from * w, (from + m) * w), m,
                    loss, scale, false, g);
        }
        return g;
    }
}
