package org.netgeom.symbolic.perturb;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.CReal;

import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class NormProduct {
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
        List<Factor> factors = new ArrayList<>();
        Bound b = chain(m.layers(), m.input(), "layers", factors);
        return new Result(b.linf, b.l1, b.l2, List.copyOf(factors));
    }

    private record Bound(Rational linf, Rational l1, CReal l2, Shape out) {
        static Bound one(Shape s) {
            return new Bound(Rational.ONE, Rational.ONE, CReal.of(Rational.ONE), s);
        }

        Bound then(Bound o) {
            return new Bound(linf.multiply(o.linf), l1.multiply(o.l1), times(l2, o.l2), o.out);
        }
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

    private static Bound chain(List<Layer> layers, Shape in, String path, List<Factor> factors) {
        Bound acc = Bound.one(in);
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Bound b = layer(l, s, path + "[" + i + "]");
            if (factors != null) {
                factors.add(new Factor(l.name() != null ? l.name() : path + "[" + i + "]", l.op(), b.linf, b.l1, b.l2));
            }
            acc = acc.then(b);
            s = b.out;
        }
        return acc;
    }

    private static Bound layer(Layer l, Shape in, String path) {
        Shape out = new Model(null, in, List.of(l)).output();
        // a visitor, so that a new op of the IR is a compile error here until it has a rule
        return l.accept(new LayerVisitor<Bound>() {
            @Override
            public Bound visit(Layer.Dense d) {
                Rational[][] a = new Rational[d.weight().shape().dim(0)][];
                for (int i = 0; i < a.length; i++) {
                    a[i] = d.weight().row(i);
                }
                return affine(a, out);
            }

            @Override
            public Bound visit(Layer.AbRelu r) {
                Rational c = rational(r.neg(), path).abs().max(rational(r.pos(), path).abs());
                return new Bound(c, c, CReal.of(c), out);
            }

            @Override
            public Bound visit(Layer.Identity x) {
                return Bound.one(out);
            }

            /**
             * Maxout over disjoint groups: |max a − max b| ≤ max_j |a_j − b_j|, so it is 1-Lipschitz from
             * l-inf, l1 and l2 to the same norm (each input entry feeds one output).
             */
            @Override
            public Bound visit(Layer.Maxout x) {
                return Bound.one(out);
            }

            /** hardtanh is a clamp, 1-Lipschitz in every norm (slope 0 or 1 per unit). */
            @Override
            public Bound visit(Layer.HardTanh x) {
                return Bound.one(out);
            }

            @Override
            public Bound visit(Layer.Flatten x) {
                return Bound.one(out);
            }

            @Override
            public Bound visit(Layer.Square x) {
                throw notPiecewiseLinear(x);
            }

            @Override
            public Bound visit(Layer.Smooth x) {
                throw notPiecewiseLinear(x);
            }

            @Override
            public Bound visit(Layer.Conv2d x) {
                return affine(linearPart(new Model(null, in, List.of(x))), out);
            }

            @Override
            public Bound visit(Layer.AvgPool2d x) {
                return affine(linearPart(new Model(null, in, List.of(x))), out);
            }

            @Override
            public Bound visit(Layer.BatchNorm x) {
                return affine(linearPart(new Model(null, in, List.of(x))), out);
            }

            @Override
            public Bound visit(Layer.MaxPool2d p) {
                Rational q = Rational.of(maxOverlap(in, p.kernel(), p.stride()));
                return new Bound(Rational.ONE, q, CReal.sqrt(CReal.of(q)), out);
            }

            @Override
            public Bound visit(Layer.Residual r) {
                Bound body = chain(r.layers(), in, path + ".layers", null);
                Bound sc = r.shortcut() == null ? Bound.one(in) : chain(r.shortcut(), in, path + ".shortcut", null);
                return new Bound(body.linf.add(sc.linf), body.l1.add(sc.l1), body.l2.add(sc.l2), out);
            }

            @Override
            public Bound visit(Layer.Concat c) {
                Bound f = chain(c.layers(), in, path + ".layers", null);
                return new Bound(f.linf.max(Rational.ONE), f.l1.add(Rational.ONE),
                        CReal.sqrt(CReal.of(Rational.ONE).add(f.l2.multiply(f.l2))), out);
            }

            private RuntimeException notPiecewiseLinear(Layer x) {
                return SymbolicError.NOT_PIECEWISE_LINEAR.at(path, "the norm product is for piecewise-linear nets; op "
                        + x.op() + " is not");
            }
        });
    }

    private static Bound affine(Rational[][] a, Shape out) {
        Rational linf = Lipschitz.maxRowSum(a);
        Rational l1 = Lipschitz.maxColumnSum(a);
        boolean zero = linf.isZero();
        CReal l2 = zero ? CReal.of(Rational.ZERO) : CReal.sqrt(Lipschitz.sigmaMaxSquared(a));
        return new Bound(linf, l1, l2, out);
    }

    /** The linear part of an affine single-layer model: column j is f(e_j) − f(0), exactly. */
    static Rational[][] linearPart(Model one) {
        int n = one.input().size();
        Rational[] zero = new Rational[n];
        Arrays.fill(zero, Rational.ZERO);
        Rational[] f0 = ExactForward.eval(one, zero);
        Rational[][] a = new Rational[f0.length][n];
        for (int j = 0; j < n; j++) {
            Rational[] e = zero.clone();
            e[j] = Rational.ONE;
            Rational[] fj = ExactForward.eval(one, e);
            for (int i = 0; i < f0.length; i++) {
                a[i][j] = fj[i].subtract(f0[i]);
            }
        }
        return a;
    }

    /** The largest number of pooling windows that contain one input position. */
    static int maxOverlap(Shape in, Layer.Hw k, Layer.Hw s) {
        int h = in.dim(1);
        int w = in.dim(2);
        int oh = (h - k.h()) / s.h() + 1;
        int ow = (w - k.w()) / s.w() + 1;
        int[][] count = new int[h][w];
        int best = 0;
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int a = 0; a < k.h(); a++) {
                    for (int b = 0; b < k.w(); b++) {
                        best = Math.max(best, ++count[i * s.h() + a][j * s.w() + b]);
                    }
                }
            }
        }
        return best;
    }

    private static Rational rational(Scalar s, String path) {
        if (s instanceof Rational q) {
            return q;
        }
        throw SymbolicError.BAD_INPUT.at(path, "the norm product needs numbers; bind the symbol " + s + " first");
    }
}
