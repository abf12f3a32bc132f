package org.netgeom.symbolic.perturb;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerIndex;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.interp.Domain;
import org.netgeom.ir.interp.Interpreter;
import org.netgeom.ir.interp.Linear;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.CReal;

import java.util.ArrayList;
import java.util.List;



/**
 * The naive Lipschitz bound of a network: the product of its layers' Lipschitz constants, each
 * layer taken alone over all of its input space, in the ℓ∞, ℓ1 and ℓ2 operator norms (Szegedy et
 * al. 2014, "Intriguing properties of neural networks", Sec. 4.3: L(f) ≤ Π_l ‖W_l‖ for
 * 1-Lipschitz activations). It is global and ignores which units can be active together, so it
 * is at least the exact constant {@link Lipschitz} computes over any domain:
 * L(f ∘ g) ≤ L(f)·L(g) and the exact constant of each affine layer is its operator norm.
 *
 * <p>Per layer (all exact; ℓ2 as certified real numbers):
 * <ul>
 * <li>an affine layer (dense, conv2d, avgpool2d, batchnorm) with linear part A: ‖A‖_∞ (max row
 * sum of |A|), ‖A‖_1 (max column sum), ‖A‖_2 = σ₁(A); A is the weight of a dense layer and is
 * read off the exact forward pass of the layer alone (columns A e_j = L(e_j) − L(0)) otherwise;</li>
 * <li>an activation pos·x / neg·x (relu, leaky_relu, abs, abrelu): max(|neg|, |pos|);</li>
 * <li>maxpool2d: 1 in ℓ∞; in ℓ1 the largest number c of windows that share one input, in ℓ2 √c
 * (|max_w x − max_w y| ≤ max_{e∈w} |x_e − y_e|, and each input is counted in at most c windows);</li>
 * <li>identity, flatten: 1; residual shortcut(x) + body(x): L(body) + L(shortcut) (the identity
 * shortcut has 1); concat [x ; f(x)]: max(1, L∞(f)), 1 + L1(f), √(1 + L2(f)²).</li>
 * </ul>
 * Smooth activations and square: {@link SymbolicError#NOT_PIECEWISE_LINEAR}, as the exact constant.
 *
 * <p>A domain of the {@link Interpreter}: a value is the bound of the layers so far in the
 * innermost sequence being walked (a composite's branches start from 1 and are combined by its
 * rule, then multiplied into the enclosing sequence's bound).
 */
public final class NormProduct implements Domain<NormProduct.Val> {
    private final List<Factor> factors = new ArrayList<>();
    private String path = "";

    private NormProduct() {
    }

    /** The bounds in the three norms and each top-level layer's factor. */
    public record Result(Rational linf, Rational l1, CReal l2, List<Factor> factors) {
    }

    /** One layer's Lipschitz constants (a composite's from its own layers). */
    public record Factor(String layer, String op, Rational linf, Rational l1, CReal l2) {
    }

    /** The product of the layer norms of {@code m} (no free symbols). */
    public static Result of(Model m) {
        NormProduct d = new NormProduct();
        Bound b = Interpreter.of(m).run(d, new Val(null, Bound.ONE, null, m.input().size())).acc();
        return new Result(b.linf, b.l1, b.l2, List.copyOf(d.factors));
    }

    private record Bound(Rational linf, Rational l1, CReal l2) {
        static final Bound ONE = new Bound(Rational.ONE, Rational.ONE, CReal.of(Rational.ONE));

        Bound then(Bound o) {
            return new Bound(linf.multiply(o.linf), l1.multiply(o.l1), times(l2, o.l2));
        }
    }

    /**
     * A value: {@code acc}, the bound of the layers so far in the current sequence; {@code parent},
     * the value the enclosing composite started from (null at the top); {@code last}, the factor of
     * the last layer; {@code n}, the number of units.
     */
    record Val(Val parent, Bound acc, Bound last, int n) {
    }

    /** The value after a layer of bound {@code b} with {@code n} units. */
    private static Val step(Val x, Bound b, int n) {
        return new Val(x.parent(), x.acc().then(b), b, n);
    }

    /** The value after a layer of bound {@code b} with as many units as its input. */
    private static Val step(Val x, Bound b) {
        return step(x, b, x.n());
    }

    private static CReal times(CReal a, CReal b) {
        if (a.exact() != null && a.exact().equals(Rational.ONE)) {
            return b;
        }
        if (b.exact() != null && b.exact().equals(Rational.ONE)) {
            return a;
        }
        return a.multiply(b);
    }

    @Override
    public void enter(Layer l, String path) {
        this.path = path;
    }

    /** A composite's branches start from bound 1. */
    @Override
    public Val arrive(Layer l, String path, Val x) {
        return l instanceof Layer.Residual || l instanceof Layer.Concat ? new Val(x, Bound.ONE, null, x.n()) : x;
    }

    /** Each top-level layer's factor (identity and flatten: 1). */
    @Override
    public Val leave(Layer l, String path, Val y) {
        if (path.indexOf('.') < 0) {
            Bound b = l instanceof Layer.Identity || l instanceof Layer.Flatten ? Bound.ONE : y.last();
            factors.add(new Factor(l.name() != null ? l.name() : path, l.op(), b.linf, b.l1, b.l2));
        }
        return y;
    }

    @Override
    public int size(Val x) {
        return x.n();
    }

    /** Dense (its weight), conv2d and avgpool2d (their lowered rows): the operator norms of the linear part. */
    @Override
    public Val linear(Linear a, Val x) {
        Rational[][] m;
        if (a.dense() != null) {
            Layer.Dense d = a.dense();
            m = new Rational[d.weight().shape().dim(0)][];
            for (int i = 0; i < m.length; i++) {
                m[i] = d.weight().row(i);
            }
        } else {
            m = matrix(a);
        }
        return step(x, affine(m), a.out());
    }

    @Override
    public Val twoSlope(Layer.AbRelu r, Val x) {
        Rational c = rational(r.neg(), path).abs().max(rational(r.pos(), path).abs());
        return step(x, new Bound(c, c, CReal.of(c)));
    }

    /** hardtanh is a clamp, 1-Lipschitz in every norm (slope 0 or 1 per unit). */
    @Override
    public Val clamp(Layer.HardTanh l, Val x) {
        return step(x, Bound.ONE);
    }

    @Override
    public Val square(Layer.Square l, Val x) {
        throw notPiecewiseLinear(l);
    }

    @Override
    public Val smooth(Layer.Smooth l, Val x) {
        throw notPiecewiseLinear(l);
    }

    /** Batchnorm: its exact affine map's linear part (refused as the exact engine refuses it). */
    @Override
    public Val normalise(Layer.BatchNorm l, int perChannel, Val x) {
        return step(x, affine(matrix(Linear.of(l, perChannel, ExactForward.notExact(l)))));
    }

    /**
     * maxpool2d: 1 in l-inf, c in l1 and √c in l2, c the most windows one input is in. Maxout
     * over disjoint groups: |max a − max b| ≤ max_j |a_j − b_j|, so it is 1-Lipschitz from l-inf,
     * l1 and l2 to the same norm (each input entry feeds one output).
     */
    @Override
    public Val windowMax(Layer l, int[][] windows, Val x) {
        if (l instanceof Layer.Maxout) {
            return step(x, Bound.ONE, windows.length);
        }
        Rational q = Rational.of(overlap(windows));
        return step(x, new Bound(Rational.ONE, q, CReal.sqrt(CReal.of(q))), windows.length);
    }

    /** residual shortcut(x) + body(x): L(body) + L(shortcut). */
    @Override
    public Val add(Val body, Val sc) {
        Bound b = body.acc();
        Bound s = sc.acc();
        return step(body.parent(), new Bound(b.linf.add(s.linf), b.l1.add(s.l1), b.l2.add(s.l2)), body.n());
    }

    /** concat [x ; f(x)]: max(1, L∞(f)), 1 + L1(f), √(1 + L2(f)²). */
    @Override
    public Val concat(Val in, Val branch) {
        Bound f = branch.acc();
        return step(in.parent(), new Bound(f.linf.max(Rational.ONE), f.l1.add(Rational.ONE),
                CReal.sqrt(CReal.of(Rational.ONE).add(f.l2.multiply(f.l2)))), in.n() + branch.n());
    }

    private RuntimeException notPiecewiseLinear(Layer x) {
        return SymbolicError.NOT_PIECEWISE_LINEAR.at(path, "the norm product is for piecewise-linear nets; op "
                + x.op() + " is not");
    }

    private static Bound affine(Rational[][] a) {
        Rational linf = Lipschitz.maxRowSum(a);
        Rational l1 = Lipschitz.maxColumnSum(a);
        boolean zero = linf.isZero();
        CReal l2 = zero ? CReal.of(Rational.ZERO) : CReal.sqrt(Lipschitz.sigmaMaxSquared(a));
        return new Bound(linf, l1, l2);
    }

    /** The linear part of a lowered affine map as a dense matrix, exactly. */
    private static Rational[][] matrix(Linear a) {
        Rational[][] m = new Rational[a.out()][a.in()];
        for (int o = 0; o < m.length; o++) {
            java.util.Arrays.fill(m[o], Rational.ZERO);
            int[] cols = a.cols(o);
            for (int k = 0; k < cols.length; k++) {
                m[o][cols[k]] = m[o][cols[k]].add(a.weightRational(o, k));
            }
        }
        return m;
    }

    /** The largest number of pooling windows that contain one input position. */
    static int maxOverlap(Shape in, Layer.Hw k, Layer.Hw s) {
        return overlap(LayerIndex.windows(k, s, in));
    }

    /** The largest number of windows that contain one input index. */
    private static int overlap(int[][] windows) {
        java.util.Map<Integer, Integer> count = new java.util.HashMap<>();
        int best = 0;
        for (int[] w : windows) {
            for (int i : w) {
                best = Math.max(best, count.merge(i, 1, Integer::sum));
            }
        }
        return best;
    }

    private static Rational rational(Scalar s, String path) {
        if (s instanceof Rational q) {
            return q;
        }
        throw IrError.BAD_INPUT.at(path, "the norm product needs numbers; bind the symbol " + s + " first");
    }
}
