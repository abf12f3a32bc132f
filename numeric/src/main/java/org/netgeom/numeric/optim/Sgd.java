package org.netgeom.numeric.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.SGD: d = g + λ·p; with momentum μ, b ← d at the first step and
 * b ← μ·b + (1 − τ)·d after (τ the dampening), then d = d + μ·b (Nesterov) or d = b;
 * p ← p − lr·d. (Sutskever et al. 2013, in PyTorch's formulation.)
 */
public final class Sgd extends Optimizer {
    private final Config c;
    private final double[] buf;

    Sgd(Config c, int p) {
        this.c = c;
        this.buf = new double[c.momentum() != 0 ? p : 0];
    }

    @Override
    public void step(double[] params, double[] grad) {
        double lr = c.lr();
        double wd = c.weightDecay();
        double mu = c.momentum();
        double keep = 1 - c.dampening();
        boolean first = step == 0;
        for (int i = 0; i < params.length; i++) {
            double d = wd != 0 ? grad[i] + wd * params[i] : grad[i];
            if (mu != 0) {
                buf[i] = first ? d : buf[i] * mu + keep * d;
                d = c.nesterov() ? d + mu * buf[i] : buf[i];
            }
            params[i] = params[i] + -lr * d;
        }
        step++;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new LinkedHashMap<>();
        if (buf.length > 0) {
            m.put("momentum_buffer", buf);
        }
        return m;
    }
}
