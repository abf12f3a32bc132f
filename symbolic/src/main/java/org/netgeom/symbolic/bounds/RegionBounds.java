package org.netgeom.symbolic.bounds;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.symbolic.SymbolicError;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds on the number of activation regions of an architecture, as exact integers.
 *
 * <p><b>Upper bound</b>: Serra, Tjandraatmadja and Ramalingam 2018, "Bounding and Counting Linear
 * Regions of Deep Neural Networks", Theorem 1: a rectifier network with n0 inputs and hidden
 * layers of widths n_1..n_L has at most
 * <pre>  Σ_{(j_1..j_L) ∈ J} Π_l C(n_l, j_l),   J = {0 ≤ j_l ≤ min(n0, n_1 − j_1, …, n_{l−1} − j_{l−1}, n_l)}</pre>
 * regions. Every piecewise-linear activation layer counts as a hidden layer wherever it stands.
 * It is computed as the recursion it came from: a dimension bound d runs along the network
 * (d = n0 at the input, min(d, width) after every affine op), a unit layer of width n
 * contributes Σ_{j ≤ min(d, n)} C(n, j) and leaves d = min(d, n − j) when a slope is 0 (relu:
 * the j_l refinement, as in the theorem) or min(d, n) otherwise (leaky_relu, abs: no unit
 * vanishes, so the refinement does not apply and the bound is the classic one). For a plain
 * MLP this is exactly Theorem 1. Beyond MLPs it stays a valid bound: a max-pooling layer of W
 * windows of s entries is an arrangement of W·C(s, 2) hyperplanes and leaves min(d, W); a
 * residual or concat block leaves min(d_in, width) after it, since its output is a function of
 * its input (the body's bottleneck does not bound it), and multiplies by the bounds of its body
 * and shortcut. A hardtanh layer of width n is 2n sign units (z &gt; min, z &gt; max): Σ_{j ≤ d} C(2n, j)
 * cells, leaving min(d, n). A maxout layer of n groups of k is counted as max pooling: n·C(k, 2)
 * hyperplanes, leaving min(d, n).
 *
 * <p><b>Lower bound</b>: Montúfar, Pascanu, Cho and Bengio 2014, "On the Number of Linear
 * Regions of Deep Neural Networks", Theorem 4 (Corollary 6): with widths n_l ≥ n0, some
 * choice of weights gives at least (Π_{l &lt; L} ⌊n_l / n0⌋^{n0}) · Σ_{j=0}^{n0} C(n_L, j)
 * regions; evaluated on the widths of the piecewise-linear layers in evaluation order (a
 * max-pooling layer counting its windows). When some n_l &lt; n0 the expression is 0, the
 * trivial bound, and the theorem does not apply; likewise when a linear bottleneck narrower than
 * n0 (two consecutive affine ops) precedes a non-last layer, and a bottleneck of width d before
 * the last layer limits its sum to j ≤ min(n0, d) (its hyperplanes live in a d-dimensional
 * image), so the lower bound never exceeds the upper one. The construction folds with rectifiers:
 * for a network with a hardtanh or maxout layer the lower bound is 0 (not claimed).
 */
public final class RegionBounds {
    /** Both bounds and the widths they were computed from. */
    public record Bounds(BigInteger serra, BigInteger montufar, int inputs, List<Integer> widths) {
    }

    private final Map<List<LayerShape>, Map<Long, BigInteger>> memo = new IdentityHashMap<>();

    private RegionBounds() {
    }

    /** The bounds of a model's architecture. */
    public static Bounds of(Model m) {
        if (!m.isPiecewiseLinear()) {
            m.walk(s -> {
                if (s.layer() instanceof Layer.Square || s.layer() instanceof Layer.Smooth) {
                    throw SymbolicError.NOT_PIECEWISE_LINEAR.at(s.path().toString(), s.layer().op()
                            + " is not piecewise linear; region bounds are for piecewise-linear networks");
                }
            });
        }
        int n0 = m.input().size();
        List<Integer> widths = new ArrayList<>();
        List<Integer> dims = new ArrayList<>();
        widths(m.shapes(), n0, widths, dims);
        BigInteger serra = new RegionBounds().count(m.shapes(), 0, n0);
        boolean[] clamps = {false};
        m.walk(s -> clamps[0] |= s.layer() instanceof Layer.HardTanh || s.layer() instanceof Layer.Maxout);
        // Montúfar's construction folds with rectifiers; with a hardtanh or maxout layer it is not claimed (0, the trivial bound)
        return new Bounds(serra, clamps[0] ? BigInteger.ZERO : montufar(n0, widths, dims), n0, List.copyOf(widths));
    }

    /** Serra et al. 2018, Theorem 1, for a rectifier MLP with n0 inputs and the given hidden widths. */
    public static BigInteger serra(int n0, int[] widths) {
        return serraFrom(0, n0, widths);
    }

    private static BigInteger serraFrom(int l, int d, int[] n) {
        if (l == n.length) {
            return BigInteger.ONE;
        }
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j <= Math.min(d, n[l]); j++) {
            s = s.add(binomial(n[l], j).multiply(serraFrom(l + 1, Math.min(d, n[l] - j), n)));
        }
        return s;
    }

    /** Montúfar et al. 2014, Theorem 4: (Π_{l<L} ⌊n_l/n0⌋^{n0}) Σ_{j ≤ n0} C(n_L, j); 1 without hidden layers. */
    public static BigInteger montufar(int n0, List<Integer> widths) {
        if (widths.isEmpty()) {
            return BigInteger.ONE;
        }
        BigInteger s = BigInteger.ZERO;
        int last = widths.get(widths.size() - 1);
        for (int j = 0; j <= n0; j++) {
            s = s.add(binomial(last, j));
        }
        return middle(n0, widths).multiply(s);
    }

    /**
     * Montúfar's expression on an architecture whose piecewise-linear layers see inputs of
     * dimension at most dims[l] (the smallest affine width before them, and n0): a linear
     * bottleneck below n0 before a non-last layer leaves the construction without its n0 folded
     * dimensions (the theorem does not apply: 0), and the last layer's hyperplanes lie in a
     * dims[L]-dimensional image, Σ_{j ≤ min(n0, dims[L])} C(n_L, j) per fold. For an MLP (each
     * layer fed by a dense of its own width) this is {@link #montufar(int, List)}.
     */
    static BigInteger montufar(int n0, List<Integer> widths, List<Integer> dims) {
        if (widths.isEmpty()) {
            return BigInteger.ONE;
        }
        int last = widths.size() - 1;
        for (int l = 0; l < last; l++) {
            if (dims.get(l) < n0) {
                return BigInteger.ZERO;
            }
        }
        int d = Math.min(n0, dims.get(last));
        BigInteger s = BigInteger.ZERO;
        for (int j = 0; j <= d; j++) {
            s = s.add(binomial(widths.get(last), j));
        }
        return middle(n0, widths).multiply(s);
    }

    private static BigInteger middle(int n0, List<Integer> widths) {
        BigInteger p = BigInteger.ONE;
        for (int l = 0; l + 1 < widths.size(); l++) {
            p = p.multiply(BigInteger.valueOf(widths.get(l) / n0).pow(n0));
        }
        return p;
    }

    /** C(n, j), exactly (0 when j &gt; n). */
    public static BigInteger binomial(long n, long j) {
        if (j < 0 || j > n) {
            return BigInteger.ZERO;
        }
        j = Math.min(j, n - j);
        BigInteger r = BigInteger.ONE;
        for (long i = 1; i <= j; i++) {
            r = r.multiply(BigInteger.valueOf(n - j + i)).divide(BigInteger.valueOf(i));
        }
        return r;
    }

    // ------------------------------------------------------------------ the recursion

    /** The bound for layers[i..] (with their inferred shapes) entered with dimension bound d. */
    private BigInteger count(List<LayerShape> layers, int i, int d) {
        if (i == layers.size()) {
            return BigInteger.ONE;
        }
        Map<Long, BigInteger> m = memo.computeIfAbsent(layers, x -> new HashMap<>());
        long key = ((long) i << 32) | d;
        BigInteger hit = m.get(key);
        if (hit != null) {
            return hit;
        }
        LayerShape ls = layers.get(i);
        Layer l = ls.layer();
        int out = ls.out().size();
        BigInteger r;
        if (l instanceof Layer.AbRelu a) {
            int n = ls.in().size();
            boolean vanishes = isZero(a.neg()) || isZero(a.pos());
            r = BigInteger.ZERO;
            for (int j = 0; j <= Math.min(d, n); j++) {
                int next = vanishes ? Math.min(d, n - j) : Math.min(d, n);
                r = r.add(binomial(n, j).multiply(count(layers, i + 1, next)));
            }
        } else if (l instanceof Layer.HardTanh) {
            // two sign units per unit (z > min, z > max), 2n hyperplanes in pairs of parallels: at most
            // Σ_{j ≤ d} C(2n, j) cells (Zaslavsky), and the image after has dimension ≤ min(d, n)
            int n = ls.in().size();
            BigInteger f = BigInteger.ZERO;
            for (int j = 0; j <= Math.min(d, 2 * n); j++) {
                f = f.add(binomial(2 * n, j));
            }
            r = f.multiply(count(layers, i + 1, Math.min(d, n)));
        } else if (l instanceof Layer.MaxPool2d || l instanceof Layer.Maxout) {
            int size = l instanceof Layer.MaxPool2d p ? p.kernel().h() * p.kernel().w() : ((Layer.Maxout) l).k();
            long h = (long) out * size * (size - 1) / 2;
            BigInteger f = BigInteger.ZERO;
            for (int j = 0; j <= Math.min(d, h); j++) {
                f = f.add(binomial(h, j));
            }
            r = f.multiply(count(layers, i + 1, Math.min(d, out)));
        } else if (l instanceof Layer.Residual || l instanceof Layer.Concat) {
            // body, then shortcut (a residual's; empty for the identity): each splits with the
            // block's input dimension; after the block only min(d, width) remains
            r = count(ls.body(), 0, d).multiply(count(ls.shortcut(), 0, d)).multiply(count(layers, i + 1, Math.min(d, out)));
        } else if (affine(l)) {
            // affine, rank at most the output size
            r = count(layers, i + 1, Math.min(d, out));
        } else {
            // an op without a rule here must not be taken for affine (that gives a too-small bound)
            throw new IllegalStateException("RegionBounds has no rule for op '" + l.op() + "'");
        }
        m.put(key, r);
        return r;
    }

    /** The ops that are affine maps (Square and Smooth are refused in {@link #of} before the recursion). */
    private static boolean affine(Layer l) {
        return l instanceof Layer.Dense || l instanceof Layer.Conv2d || l instanceof Layer.AvgPool2d || l instanceof Layer.BatchNorm
                || l instanceof Layer.Identity || l instanceof Layer.Flatten;
    }

    private static boolean isZero(Scalar s) {
        return s instanceof Rational q && q.isZero();
    }

    /**
     * The widths of the piecewise-linear layers in evaluation order (max pooling: its windows),
     * and for each the dimension bound d of its input (n0 at the input, min(d, width) after every
     * op; a block's body and shortcut start from the block's d). Returns d after the layers.
     */
    private static int widths(List<LayerShape> layers, int d, List<Integer> out, List<Integer> dims) {
        for (LayerShape ls : layers) {
            if (ls.layer() instanceof Layer.AbRelu) {
                out.add(ls.in().size());
                dims.add(d);
            } else if (ls.layer() instanceof Layer.HardTanh) {
                out.add(2 * ls.in().size());          // its sign units
                dims.add(d);
            } else if (ls.layer() instanceof Layer.MaxPool2d || ls.layer() instanceof Layer.Maxout) {
                out.add(ls.out().size());
                dims.add(d);
            }
            widths(ls.body(), d, out, dims);
            widths(ls.shortcut(), d, out, dims);
            d = Math.min(d, ls.out().size());
        }
        return d;
    }
}
