package org.netgeom.numeric.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019), as PyTorch 1.13
 * computes them: t ← t + 1; Adam adds λ·p to g, AdamW first scales p ← p·(1 − lr·λ);
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², (AMSGrad: v̂ ← max(v̂, v)),
 * p ← p − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
 */
public final class Adam extends Optimizer {
    private final Config c;
    private final boolean decoupled;
    private final double[] m;
    private final double[] v;
    private final double[] vmax;

    Adam(Config c, int p, boolean decoupled) {
        this.c = c;
        this.decoupled = decoupled;
        this.m = new double[p];
        this.v = new double[p];
        this.vmax = new double[c.amsgrad() ? p : 0];
    }

    @Override
    public void step(double[] params, double[] grad) {
        step++;
        double lr = c.lr();
        double wd = c.weightDecay();
        double b1 = c.beta1();
        double b2 = c.beta2();
        double bc1 = 1 - Math.pow(b1, step);
        double bc2 = 1 - Math.pow(b2, step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        double decay = 1 - lr * wd;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            if (decoupled) {
                params[i] *= decay;
            } else if (wd != 0) {
                g = g + wd * params[i];
            }
            m[i] = m[i] * b1 + (1 - b1) * g;
            v[i] = v[i] * b2 + (1 - b2) * (g * g);
            double vv = v[i];
            if (c.amsgrad()) {
                vmax[i] = Math.max(vmax[i], v[i]);
                vv = vmax[i];
            }
            double denom = Math.sqrt(vv) / bc2Sqrt + c.eps();
            params[i] = params[i] + -stepSize * (m[i] / denom);
        }
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("exp_avg", m);
        s.put("exp_avg_sq", v);
        if (vmax.length > 0) {
            s.put("max_exp_avg_sq", vmax);
        }
        return s;
    }
}
