package org.netgeom.ir.interp;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

/**
 * An affine op lowered to rows: output {@code o} is {@code bias(o) + Σ_k weight(o, k)·x[cols(o)[k]]}.
 * The {@link Interpreter} lowers dense, conv2d (its taps, {@link LayerIndex#convTaps}) and
 * avgpool2d (its windows, weight 1/area) to this one form, so that a {@link Domain} writes one
 * affine map; {@link #dense()} is the dense layer when there is one, for domains with a faster
 * dense kernel. Weights are the IR's exact scalars (rationals or free symbols).
 *
 * <p>A domain that wants inference batch normalisation as an affine map too (the compilers of
 * regions and verify) lowers it with {@link #of(Layer.BatchNorm, int, NotExact)}; the interpreter
 * itself hands batchnorm to {@link Domain#normalise}, since its map is rational only when every
 * channel's {@code √(var + eps)} is.
 */
public abstract sealed class Linear permits Linear.OfDense, Linear.OfConv, Linear.OfAvgPool, Linear.OfBatchNorm {
    private final int in;
    private final int out;
    private final Layer layer;
    private volatile double[] weightDoubles;      // nearest doubles, made on first use (idempotent)
    private volatile double[] biasDoubles;

    private Linear(Layer layer, int in, int out) {
        this.layer = layer;
        this.in = in;
        this.out = out;
    }

    /** The IR layer this map comes from (dense, conv2d, avgpool2d or batchnorm). */
    public final Layer layer() {
        return layer;
    }

    public final int in() {
        return in;
    }

    public final int out() {
        return out;
    }

    /** The input indices of row {@code o}. */
    public abstract int[] cols(int o);

    /** The k-th weight of row {@code o}, exactly (a rational or a free symbol). */
    public abstract Scalar weight(int o, int k);

    /** The bias of row {@code o}, or null when it is zero (no bias). */
    public abstract Scalar bias(int o);

    /** The k-th weight of row o as a rational (throws {@code IR_UNBOUND_SYMBOL} for a symbol). */
    public final Rational weightRational(int o, int k) {
        return weight(o, k).rational();
    }

    /** The bias of row o as a rational, zero when there is none. */
    public final Rational biasRational(int o) {
        Scalar b = bias(o);
        return b == null ? Rational.ZERO : b.rational();
    }

    /** The nearest double of the k-th weight of row o. */
    public abstract double weightDouble(int o, int k);

    /** The nearest double of the bias of row o (0 when there is none). */
    public abstract double biasDouble(int o);

    /** The dense layer when this map is one, else null. */
    public Layer.Dense dense() {
        return null;
    }

    final double[] wd(Tensor t) {
        if (weightDoubles == null) {
            weightDoubles = t.nearestDoubles();
        }
        return weightDoubles;
    }

    final double[] bd(Tensor t) {
        if (biasDoubles == null) {
            biasDoubles = t.nearestDoubles();
        }
        return biasDoubles;
    }

    /** Builds the lowered map of a dense layer. */
    public static Linear of(Layer.Dense l) {
        return new OfDense(l);
    }

    /** Builds the lowered map of a conv2d on an input of shape {@code in}. */
    public static Linear of(Layer.Conv2d l, Shape in) {
        return new OfConv(l, in);
    }

    /** Builds the lowered map of an avgpool2d on an input of shape {@code in}. */
    public static Linear of(Layer.AvgPool2d l, Shape in) {
        return new OfAvgPool(l, in);
    }

    /** The error for a batchnorm channel whose {@code √(var + eps)} is not a positive rational. */
    @FunctionalInterface
    public interface NotExact {
        /** The error to throw for {@code channel}, where {@code var + eps} is {@code varPlusEps}. */
        RuntimeException at(int channel, Rational varPlusEps);
    }

    /**
     * Inference batch normalisation on {@code perChannel · features} units as the affine map it is
     * when every channel's {@code √(var + eps)} is a positive rational: unit i of channel
     * {@code c = i / perChannel} maps to {@code g_c·x_i + b_c}, {@code g_c = weight_c / √(var_c + eps)}
     * (weight 1 when absent) and {@code b_c = bias_c − g_c·mean_c} (bias 0 when absent). Channels are
     * lowered in order; the first whose root is not a positive rational throws
     * {@code notExact.at(channel, var + eps)}. Free symbols throw {@code IR_UNBOUND_SYMBOL}.
     */
    public static Linear of(Layer.BatchNorm l, int perChannel, NotExact notExact) {
        return new OfBatchNorm(l, perChannel, notExact);
    }

    /** {@code W x + b}, W row-major {@code [out][in]}. */
    public static final class OfDense extends Linear {
        private final Layer.Dense l;
        private final int[] all;

        OfDense(Layer.Dense l) {
            super(l, l.in(), l.out());
            this.l = l;
            this.all = new int[l.in()];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
        }

        @Override
        public Layer.Dense dense() {
            return l;
        }

        @Override
        public int[] cols(int o) {
            return all;
        }

        @Override
        public Scalar weight(int o, int k) {
            return l.weight().get(o * in() + k);
        }

        @Override
        public Scalar bias(int o) {
            return l.bias() == null ? null : l.bias().get(o);
        }

        @Override
        public double weightDouble(int o, int k) {
            return wd(l.weight())[o * in() + k];
        }

        @Override
        public double biasDouble(int o) {
            return l.bias() == null ? 0 : bd(l.bias())[o];
        }
    }

    /** A conv2d: row o's columns are its taps' inputs, the bias that of its channel. */
    public static final class OfConv extends Linear {
        private final Layer.Conv2d l;
        private final int[][] cols;
        private final int[][] widx;
        private final int per;

        OfConv(Layer.Conv2d l, Shape in) {
            super(l, in.size(), LayerIndex.convOut(l, in).size());
            this.l = l;
            int[][][] taps = LayerIndex.convTaps(l, in);
            Shape os = LayerIndex.convOut(l, in);
            this.per = os.dim(1) * os.dim(2);
            this.cols = new int[taps.length][];
            this.widx = new int[taps.length][];
            for (int o = 0; o < taps.length; o++) {
                cols[o] = new int[taps[o].length];
                widx[o] = new int[taps[o].length];
                for (int t = 0; t < taps[o].length; t++) {
                    cols[o][t] = taps[o][t][0];
                    widx[o][t] = taps[o][t][1];
                }
            }
        }

        @Override
        public int[] cols(int o) {
            return cols[o];
        }

        /** The index into the conv weight tensor of row o's k-th tap. */
        public int weightIndex(int o, int k) {
            return widx[o][k];
        }

        /** The output channel of row o. */
        public int channel(int o) {
            return o / per;
        }

        @Override
        public Scalar weight(int o, int k) {
            return l.weight().get(widx[o][k]);
        }

        @Override
        public Scalar bias(int o) {
            return l.bias() == null ? null : l.bias().get(o / per);
        }

        @Override
        public double weightDouble(int o, int k) {
            return wd(l.weight())[widx[o][k]];
        }

        @Override
        public double biasDouble(int o) {
            return l.bias() == null ? 0 : bd(l.bias())[o / per];
        }
    }

    /** An average pooling: each row averages its window, weight 1/(kh·kw). */
    public static final class OfAvgPool extends Linear {
        private final int[][] win;
        private final Rational w;
        private final double wdbl;

        OfAvgPool(Layer.AvgPool2d l, Shape in) {
            super(l, in.size(), LayerIndex.poolOut(l.kernel(), l.stride(), in).size());
            this.win = LayerIndex.windows(l.kernel(), l.stride(), in);
            this.w = Rational.of(1, (long) l.kernel().h() * l.kernel().w());
            this.wdbl = 1.0 / ((long) l.kernel().h() * l.kernel().w());
        }

        @Override
        public int[] cols(int o) {
            return win[o];
        }

        @Override
        public Scalar weight(int o, int k) {
            return w;
        }

        @Override
        public Scalar bias(int o) {
            return null;
        }

        @Override
        public double weightDouble(int o, int k) {
            return wdbl;
        }

        @Override
        public double biasDouble(int o) {
            return 0;
        }
    }

    /** A batch normalisation lowered to one diagonal row a unit: {@code g_c·x_i + b_c}. */
    public static final class OfBatchNorm extends Linear {
        private final int per;
        private final Rational[] gain;
        private final Rational[] shift;
        private final int[][] cols;

        OfBatchNorm(Layer.BatchNorm l, int per, NotExact notExact) {
            super(l, per * l.features(), per * l.features());
            this.per = per;
            int c = l.features();
            Rational eps = l.eps().rational();
            gain = new Rational[c];
            shift = new Rational[c];
            for (int ch = 0; ch < c; ch++) {
                Rational var = l.var().rational(ch).add(eps);
                Rational sd = var.sqrtExact();
                if (sd == null || sd.isZero()) {
                    throw notExact.at(ch, var);
                }
                gain[ch] = (l.weight() == null ? Rational.ONE : l.weight().rational(ch)).divide(sd);
                shift[ch] = (l.bias() == null ? Rational.ZERO : l.bias().rational(ch)).subtract(gain[ch].multiply(l.mean().rational(ch)));
            }
            cols = new int[per * c][];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = new int[]{i};
            }
        }

        /** The channel of row o. */
        public int channel(int o) {
            return o / per;
        }

        @Override
        public int[] cols(int o) {
            return cols[o];
        }

        @Override
        public Scalar weight(int o, int k) {
            return gain[o / per];
        }

        /** Row o's shift {@code b_c} (never null: zero when the layer has no bias and a zero mean). */
        @Override
        public Scalar bias(int o) {
            return shift[o / per];
        }

        @Override
        public double weightDouble(int o, int k) {
            return gain[o / per].doubleValue();
        }

        @Override
        public double biasDouble(int o) {
            return shift[o / per].doubleValue();
        }
    }
}
