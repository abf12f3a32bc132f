package org.netgeom.numeric.train;

import org.netgeom.ir.Shape;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.ParamLayout;

import java.util.Locale;

/**
 * Seeded initialisers, applied to a compiled net's parameters in layout order (each weight, then
 * its bias) from {@code Rng.stream(seed, 1)}. fan_in is {@code in} for a dense weight and
 * {@code in·kh·kw} for a conv weight.
 * <ul>
 * <li>{@link #KEEP}: the weights in the model file.
 * <li>{@link #TORCH}: PyTorch's default for Linear/Conv2d (kaiming_uniform with a = √5):
 *     W, b ~ U(−1/√fan_in, 1/√fan_in).
 * <li>{@link #KAIMING}: He et al. 2015, W ~ N(0, 2/fan_in), b = 0.
 * <li>{@link #NTK}: the Gaussian initialisation of the NTK analysis (Jacot, Gabriel and Hongler
 *     2018; Lee et al. 2019) in standard parameterisation: W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²).
 * </ul>
 * Batchnorm layers are reset as PyTorch's {@code reset_parameters}: weight 1, bias 0, running
 * mean 0, running variance 1 (except with KEEP).
 */
public enum Init {
    KEEP, TORCH, KAIMING, NTK;

    public static Init parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "keep", "file", "none" -> KEEP;
            case "torch", "pytorch", "default" -> TORCH;
            case "kaiming", "he" -> KAIMING;
            case "ntk", "ntk-gaussian", "gaussian" -> NTK;
            default -> throw NumericError.BAD_OPTION.at("--init", "--init is keep, torch, kaiming or ntk, not " + s);
        };
    }

    /** Initialises the net's parameters in place. */
    public void apply(Net net, long seed, double sigmaW, double sigmaB) {
        if (this == KEEP) {
            return;
        }
        Rng rng = Rng.stream(seed, 1);
        double[] p = net.params();
        double fanIn = 1;
        for (ParamLayout.Entry e : net.layout().params()) {
            boolean bn = e.shape().rank() == 1 && isBatchNorm(net, e);
            Shape s = e.shape();
            if (bn) {
                java.util.Arrays.fill(p, e.offset(), e.offset() + e.size(), e.key().equals("weight") ? 1 : 0);
                continue;
            }
            if (e.key().equals("weight")) {
                fanIn = 1;
                for (int d = 1; d < s.rank(); d++) {
                    fanIn *= s.dim(d);
                }
            }
            boolean weight = e.key().equals("weight");
            for (int i = 0; i < e.size(); i++) {
                double v = switch (this) {
                    case TORCH -> {
                        double bound = 1 / Math.sqrt(fanIn);
                        yield (2 * rng.uniform() - 1) * bound;
                    }
                    case KAIMING -> weight ? rng.gaussian() * Math.sqrt(2 / fanIn) : 0;
                    case NTK -> weight ? rng.gaussian() * sigmaW / Math.sqrt(fanIn) : rng.gaussian() * sigmaB;
                    case KEEP -> p[e.offset() + i];
                };
                p[e.offset() + i] = v;
            }
        }
        double[] b = net.buffers();
        for (ParamLayout.Entry e : net.layout().buffers()) {
            java.util.Arrays.fill(b, e.offset(), e.offset() + e.size(), e.key().equals("running_var") ? 1 : 0);
        }
        net.setParams(p);
        net.setBuffers(b);
    }

    private static boolean isBatchNorm(Net net, ParamLayout.Entry e) {
        String layer = e.layerPath();
        for (ParamLayout.Entry b : net.layout().buffers()) {
            if (b.layerPath().equals(layer)) {
                return true;
            }
        }
        return false;
    }
}
