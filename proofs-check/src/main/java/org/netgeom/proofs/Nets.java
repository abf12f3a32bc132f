package org.netgeom.proofs;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.poly.Domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The constructions of the catalog as IR layers, and small helpers for domains. */
public final class Nets {
    private Nets() {
    }

    static Rational q(long n, long d) {
        return Rational.of(n, d);
    }

    /**
     * Telgarsky's tent t(x) = relu(2 relu(x) − 4 relu(x − 1/2)) composed k times (IR.md's tent-2
     * is k = 2): on [0, 1], t is 2x, then 2 − 2x.
     */
    public static List<Layer> tent(int k) {
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.ONE}}),
                    Tensor.vector(Rational.ZERO, q(-1, 2))));
            ls.add(Layer.AbRelu.relu(null));
            ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.TWO, Rational.of(-4)}}), Tensor.vector(Rational.ZERO)));
            ls.add(Layer.AbRelu.relu(null));
        }
        return ls;
    }

    /**
     * Yarotsky's approximation of x² on [0, 1] (2017, Proposition 2): f_m(x) = x − Σ_{s=1..m} g_s(x)/4^s
     * with g_s the tent composed s times. The state (a, g) starts at (x, x); block s computes
     * relu(a) = a, relu(g), relu(g − 1/2) and sets g ← 2 relu(g) − 4 relu(g − 1/2) = g_s,
     * a ← a − g_s/4^s (every a = f_{s−1} ≥ 0 on [0, 1], so relu keeps it); the output is a.
     */
    public static List<Layer> yarotsky(int m) {
        List<Layer> ls = new ArrayList<>();
        ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{Rational.ONE}, {Rational.ONE}}), null));
        Rational z = Rational.ZERO;
        Rational o = Rational.ONE;
        for (int s = 1; s <= m; s++) {
            ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{o, z}, {z, o}, {z, o}}), Tensor.vector(z, z, q(-1, 2))));
            ls.add(Layer.AbRelu.relu(null));
            Rational inv = Rational.of(4).pow(-s);
            ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{
                    {o, Rational.of(-2).multiply(inv), Rational.of(4).multiply(inv)},
                    {z, Rational.TWO, Rational.of(-4)}}), null));
        }
        ls.add(new Layer.Dense(null, Tensor.matrix(new Rational[][]{{o, z}}), null));
        return ls;
    }

    /**
     * Montúfar, Pascanu, Cho &amp; Bengio's construction (2014, Sec. 3 and Theorem 4) on [0, 1]^n0:
     * each hidden layer of width n_l = p·n0 folds every coordinate p times with the zigzag
     * z(x) = p·relu(x) + Σ_{i=1}^{p−1} (−1)^i 2p·relu(x − i/p) (slopes ±p, mapping [0, 1] onto itself
     * p times), so the folded cube is the image of (Π p_l)^{n0} sub-cubes; the last hidden layer
     * cuts the folded cube into Σ_{j ≤ n0} C(n_L, j) regions with n_L hyperplanes in general
     * position, and the dense output has non-zero weights. The hyperplanes are oriented so that
     * every region touching the cube's boundary has an output gradient with no zero component:
     * then the mirror images of a region in neighbouring sub-cubes carry different affine maps and
     * the linear regions number exactly (Π_{l<L} p_l^{n0}) · Σ_{j ≤ n0} C(n_L, j), the bound.
     * In one input the cuts are at (j + 1)/(n_L + 1) (the first oriented downwards, n_L ≥ 2); in
     * two inputs n_L = 3 lines bound a triangle around the centre, with normals (2, 1), (−1, 2),
     * (−1, −3) and offset 1/10.
     *
     * @param folds p_l for each folding layer (width p_l·n0)
     * @param last  n_L
     */
    public static List<Layer> montufar(int n0, int[] folds, int last) {
        if (!(n0 == 1 && last >= 2 || n0 == 2 && last == 3)) {
            throw new IllegalArgumentException("the construction here is written for 1 input with n_L >= 2 or 2 inputs with n_L = 3");
        }
        List<Layer> ls = new ArrayList<>();
        for (int p : folds) {
            Rational[][] w = new Rational[p * n0][n0];
            Rational[] b = new Rational[p * n0];
            Rational[][] back = new Rational[n0][p * n0];
            for (Rational[] row : back) {
                Arrays.fill(row, Rational.ZERO);
            }
            for (int c = 0; c < n0; c++) {
                for (int i = 0; i < p; i++) {
                    int u = c * p + i;
                    Arrays.fill(w[u], Rational.ZERO);
                    w[u][c] = Rational.ONE;
                    b[u] = q(-i, p);
                    back[c][u] = Rational.of(i == 0 ? p : (i % 2 == 1 ? -2L * p : 2L * p));
                }
            }
            ls.add(new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b)));
            ls.add(Layer.AbRelu.relu(null));
            ls.add(new Layer.Dense(null, Tensor.matrix(back), null));
        }
        Rational[][] w = new Rational[last][n0];
        Rational[] b = new Rational[last];
        Rational[][] out = new Rational[1][last];
        long[][] normals = {{2, 1}, {-1, 2}, {-1, -3}};
        for (int j = 0; j < last; j++) {
            if (n0 == 1) {
                Rational cut = q(j + 1, last + 1);
                int sign = j == 0 ? -1 : 1;                          // relu(b_0 − y), then relu(y − b_j)
                w[j][0] = Rational.of(sign);
                b[j] = cut.multiply(Rational.of(-sign));
            } else {                                                // relu(n_j·(y − c) − 1/10), c = (1/2, 1/2)
                w[j][0] = Rational.of(normals[j][0]);
                w[j][1] = Rational.of(normals[j][1]);
                b[j] = Rational.of(normals[j][0] + normals[j][1]).multiply(Rational.HALF).add(q(1, 10)).negate();
            }
            out[0][j] = q(j + 2, j + 3);                            // 2/3, 3/4, 4/5, ...: all partial sums non-zero
        }
        ls.add(new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b)));
        ls.add(Layer.AbRelu.relu(null));
        ls.add(new Layer.Dense(null, Tensor.matrix(out), null));
        return ls;
    }

    /** The box [lo, hi]^n. */
    public static Domain box(int n, Rational lo, Rational hi) {
        Rational[] l = new Rational[n];
        Rational[] h = new Rational[n];
        Arrays.fill(l, lo);
        Arrays.fill(h, hi);
        return Domain.box(l, h);
    }

    /** A box from --box text: LO,HI for every coordinate or L1,H1,L2,H2,... per coordinate. */
    public static Domain box(int n, Rational[] spec) {
        if (spec.length == 2) {
            return box(n, spec[0], spec[1]);
        }
        if (spec.length != 2 * n) {
            throw org.netgeom.ir.IrError.IR_BAD_VALUE.at("--box", "--box takes LO,HI or " + n + " pairs L1,H1,...; got "
                    + spec.length + " numbers");
        }
        Rational[] l = new Rational[n];
        Rational[] h = new Rational[n];
        for (int j = 0; j < n; j++) {
            l[j] = spec[2 * j];
            h[j] = spec[2 * j + 1];
        }
        return Domain.box(l, h);
    }
}
