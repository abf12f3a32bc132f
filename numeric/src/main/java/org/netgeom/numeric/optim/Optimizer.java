package org.netgeom.numeric.optim;

import org.netgeom.numeric.NumericError;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An optimizer over a flat parameter vector, as torch.optim defines it (PyTorch 1.13's
 * single-tensor updates): {@link Sgd} and {@link Adam} (with {@code decoupled} weight decay,
 * AdamW). Its state (step count, buffers) is exported for checkpoints and read back exactly.
 */
public abstract class Optimizer {
    /** Steps taken so far. */
    protected long step;

    /** One update of {@code params} in place, given the gradient. */
    public abstract void step(double[] params, double[] grad);

    /** The optimizer's state arrays by name (live references). */
    public abstract Map<String, double[]> state();

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /** Restores the step count and state arrays (copied in). */
    public void restore(long steps, Map<String, double[]> s) {
        this.step = steps;
        for (Map.Entry<String, double[]> e : state().entrySet()) {
            double[] src = s.get(e.getKey());
            if (src == null || src.length != e.getValue().length) {
                throw NumericError.CHECKPOINT.error("the checkpoint has no optimizer state '" + e.getKey() + "' of length "
                        + e.getValue().length);
            }
            System.arraycopy(src, 0, e.getValue(), 0, src.length);
        }
    }

    /** The settings of an optimizer, with torch's defaults for whatever is not given (null). */
    public record Config(String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                         double beta1, double beta2, double eps, boolean amsgrad) {

        /** A config from command-line values; null fields take torch's defaults. */
        public static Config of(String name, Double lr, Double momentum, Double dampening, boolean nesterov, Double weightDecay,
                                Double beta1, Double beta2, Double eps, boolean amsgrad) {
            String n = name.toLowerCase(Locale.ROOT);
            switch (n) {
                case "sgd" -> {
                    if (lr == null) {
                        throw NumericError.BAD_OPTION.at("--lr", "sgd needs a learning rate (--lr), as torch.optim.SGD does");
                    }
                    Config c = new Config(n, lr, nz(momentum, 0), nz(dampening, 0), nesterov, nz(weightDecay, 0), 0, 0, 0, false);
                    if (nesterov && (c.momentum <= 0 || c.dampening != 0)) {
                        throw NumericError.BAD_OPTION.at("--nesterov", "Nesterov momentum requires a momentum and zero dampening "
                                + "(as torch.optim.SGD)");
                    }
                    return c.validate();
                }
                case "adam", "adamw" -> {
                    return new Config(n, nz(lr, 1e-3), 0, 0, false, nz(weightDecay, n.equals("adamw") ? 1e-2 : 0),
                            nz(beta1, 0.9), nz(beta2, 0.999), nz(eps, 1e-8), amsgrad).validate();
                }
                default -> throw NumericError.BAD_OPTION.at("--optimizer", "--optimizer is sgd, adam or adamw, not " + name);
            }
        }

        private static double nz(Double v, double d) {
            return v == null ? d : v;
        }

        private Config validate() {
            check(lr >= 0 && Double.isFinite(lr), "--lr", "the learning rate must be a finite number >= 0");
            check(momentum >= 0 && Double.isFinite(momentum), "--momentum", "momentum must be >= 0");
            check(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay", "weight decay must be >= 0");
            check(Double.isFinite(dampening), "--dampening", "dampening must be finite");
            if (!name.equals("sgd")) {
                check(beta1 >= 0 && beta1 < 1, "--betas", "beta1 must be in [0, 1)");
                check(beta2 >= 0 && beta2 < 1, "--betas", "beta2 must be in [0, 1)");
                check(eps >= 0 && Double.isFinite(eps), "--eps", "eps must be >= 0");
            }
            return this;
        }

        private static void check(boolean ok, String where, String msg) {
            if (!ok) {
                throw NumericError.BAD_OPTION.at(where, msg);
            }
        }

        /** A new optimizer for P parameters. */
        public Optimizer create(int p) {
            return name.equals("sgd") ? new Sgd(this, p) : new Adam(this, p, name.equals("adamw"));
        }

        /** The settings as text (for checkpoints and logs). */
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("optimizer", name);
            m.put("lr", Double.toString(lr));
            if (name.equals("sgd")) {
                m.put("momentum", Double.toString(momentum));
                m.put("dampening", Double.toString(dampening));
                m.put("nesterov", Boolean.toString(nesterov));
            } else {
                m.put("betas", beta1 + "," + beta2);
                m.put("eps", Double.toString(eps));
                m.put("amsgrad", Boolean.toString(amsgrad));
            }
            m.put("weight_decay", Double.toString(weightDecay));
            return m;
        }
    }
}
