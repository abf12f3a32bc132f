package org.netgeom.cli.commands.bench;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.train.Init;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark job: a ReLU MLP (default 784-512-512-10) with PyTorch's default initialisation
 * (seeded), n examples of standard Gaussian inputs and uniform class labels, float64.
 */
final class BenchJob {
    final Net net;
    final double[] x;
    final double[] y;
    final int n;

    BenchJob(int[] widths, int n, long seed) {
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            ls.add(new Layer.Dense("fc" + (i + 1), Tensor.ofDoubles(Shape.of(widths[i + 1], widths[i]), new double[widths[i + 1] * widths[i]]),
                    Tensor.ofDoubles(Shape.of(widths[i + 1]), new double[widths[i + 1]])));
            if (i + 2 < widths.length) {
                ls.add(Layer.AbRelu.relu(null));
            }
        }
        this.net = Net.of(new Model("bench-mlp", Shape.of(widths[0]), ls));
        Init.TORCH.apply(net, seed, 1, 0);
        this.n = n;
        Rng r = Rng.stream(seed, 7);
        x = new double[n * widths[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.gaussian();
        }
        int k = widths[widths.length - 1];
        y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.below(k);
        }
    }

    /** {@code 784-512-512-10} as widths; a coded error for anything else. */
    static int[] widths(String spec) {
        try {
            String[] p = spec.split("-");
            int[] w = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                w[i] = Integer.parseInt(p[i].trim());
                if (w[i] < 1) {
                    throw new NumberFormatException(spec);
                }
            }
            if (w.length < 2) {
                throw new NumberFormatException(spec);
            }
            return w;
        } catch (NumberFormatException e) {
            throw org.netgeom.numeric.NumericError.BAD_OPTION.at("--widths", "--widths is like 784-512-512-10, not " + spec);
        }
    }

    static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
