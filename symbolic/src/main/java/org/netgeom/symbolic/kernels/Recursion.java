package org.netgeom.symbolic.kernels;

import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The NNGP/NTK recursion of a fully connected net (neural-tangents' {@code stax} conventions,
 * Novak et al. 2020; Lee et al. 2018; Jacot et al. 2018; Arora et al. 2019, "On exact
 * computation with an infinitely wide neural net", §3), and Du et al.'s H∞, over an
 * {@link Arith} (decimals or exact expressions):
 * <pre>
 *   Σ¹(x,x') = σ_w² x·x'/n₀ + σ_b²,                     Θ¹ = Σ¹,
 *   Σ̂^l = E[φ(u)φ(v)],  Σ̇^l = E[φ'(u)φ'(v)],  (u,v) ~ N(0, [[Σ^l(x,x), Σ^l(x,x')], [Σ^l(x,x'), Σ^l(x',x')]]),
 *   Σ^{l+1} = σ_w² Σ̂^l + σ_b²,                         Θ^{l+1} = Σ^{l+1} + σ_w² Σ̇^l Θ^l.
 * </pre>
 * Closed forms, with q, q' the variances, s the covariance and θ = arccos(s/√(q q')):
 * <ul>
 * <li>abrelu (φ(u) = b·u for u &gt; 0, a·u otherwise; relu a = 0, b = 1): with
 *   W = ((a² + b²)(π − θ) + 2ab·θ)/(2π), Σ̇ = W and Σ̂ = (a − b)² √(q q' − s²)/(2π) + W s
 *   (Cho &amp; Saul 2009, the arc-cosine kernels J₁(θ) = sin θ + (π − θ) cos θ and
 *   J₀(θ) = π − θ, split over the two half lines);</li>
 * <li>erf: Σ̂ = (2/π) arcsin(2s/√((1 + 2q)(1 + 2q'))), Σ̇ = (4/π)/√((1 + 2q)(1 + 2q') − 4s²)
 *   (Williams 1997, "Computing with infinite networks", the arcsine kernel of the error function);</li>
 * <li>identity: Σ̂ = s, Σ̇ = 1; square: Σ̂ = q q' + 2s², Σ̇ = 4s (Isserlis).</li>
 * </ul>
 * The first layer is exact (rational). Pairs whose angle is exactly 0 or π (identical inputs;
 * positively parallel or opposite inputs when σ_b² = 0 and φ is positively homogeneous) are
 * tracked exactly from layer to layer, so that their arccos is never evaluated where it is ill
 * conditioned.
 */
final class Recursion {
    private Recursion() {
    }

    /** The exact angle state of a pair of inputs at a layer. */
    private enum Pair { GENERAL, SAME, PARALLEL, ANTI, ZERO }

    /** Σ^{L+1} or Θ^{L+1} on the rows of {@code x} (upper triangle filled, mirrored). */
    static <T> T[][] kernel(KernelKind kind, Rational[][] x, Architecture arch, Arith<T> ar, boolean parallel,
                            Progress progress) {
        int n = x.length;
        int d = n == 0 ? 1 : x[0].length;
        Rational[][] g = gram(x);
        Pair[][] state = new Pair[n][n];
        Rational scale = arch.sigmaW2().divide(Rational.of(d));
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = i; j < n; j++) {
                g[i][j] = scale.multiply(g[i][j]).add(arch.sigmaB2());
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                state[i][j] = i == j || Arrays.equals(x[i], x[j]) ? Pair.SAME : firstState(g[i][i], g[j][j], g[i][j]);
            }
        }
        T[][] sigma = ar.matrix(n);
        T[][] theta = ar.matrix(n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                sigma[i][j] = ar.of(g[i][j]);
                theta[i][j] = sigma[i][j];
            }
        }
        AtomicLong done = new AtomicLong();
        progress.start("kernel " + kind.cli, (long) arch.depth() * n);
        for (int layer = 0; layer < arch.depth(); layer++) {
            final boolean first = layer == 0;
            T[][] s2 = ar.matrix(n);
            T[][] t2 = ar.matrix(n);
            T[][] sg = sigma;
            T[][] th = theta;
            IntStream rows = IntStream.range(0, n);
            (parallel ? rows.parallel() : rows).forEach(i -> {
                for (int j = i; j < n; j++) {
                    if (state[i][j] == Pair.SAME && i != j) {
                        continue;                           // copied from the diagonal below
                    }
                    T exactD = first && state[i][j] == Pair.GENERAL
                            ? ar.of(g[i][i].multiply(g[j][j]).subtract(g[i][j].multiply(g[i][j]))) : null;
                    T[] hd = step(arch, ar, sg[i][i], sg[j][j], sg[i][j], state[i][j], exactD);
                    T s = ar.add(ar.mul(ar.of(arch.sigmaW2()), hd[0]), ar.of(arch.sigmaB2()));
                    t2[i][j] = ar.settle(ar.add(s, ar.mul(ar.mul(ar.of(arch.sigmaW2()), hd[1]), th[i][j])));
                    s2[i][j] = ar.settle(s);
                }
                progress.set(done.incrementAndGet());
            });
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (state[i][j] == Pair.SAME) {
                        s2[i][j] = s2[i][i];
                        t2[i][j] = t2[i][i];
                    }
                    state[i][j] = next(arch, state[i][j]);
                }
            }
            sigma = s2;
            theta = t2;
        }
        progress.done();
        T[][] out = kind == KernelKind.NTK ? theta : sigma;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                out[i][j] = out[j][i];
            }
        }
        return out;
    }

    /** Du et al.'s H∞_ij = x_i·x_j (π − arccos(x_i·x_j/(‖x_i‖‖x_j‖)))/(2π). */
    static <T> T[][] hInfinity(Rational[][] x, Arith<T> ar, boolean parallel, Progress progress) {
        int n = x.length;
        T[][] h = ar.matrix(n);
        AtomicLong done = new AtomicLong();
        progress.start("kernel h-infinity", n);
        Rational[][] g = gram(x);
        IntStream rows = IntStream.range(0, n);
        (parallel ? rows.parallel() : rows).forEach(i -> {
            for (int j = i; j < n; j++) {
                Rational s = g[i][j];
                Rational p = g[i][i].multiply(g[j][j]);
                Rational dd = p.subtract(s.multiply(s));
                T v;
                if (s.isZero()) {
                    v = ar.of(Rational.ZERO);
                } else if (dd.isZero()) {
                    v = ar.of(s.signum() > 0 ? s.divide(Rational.TWO) : Rational.ZERO);
                } else {
                    T theta = ar.arccos(ar.of(s), ar.of(p), ar.sqrt(ar.of(dd)));
                    T pi = ar.pi();
                    v = ar.div(ar.mul(ar.of(s), ar.sub(pi, theta)), ar.mul(ar.of(Rational.TWO), pi));
                }
                h[i][j] = ar.settle(v);
                h[j][i] = h[i][j];
            }
            progress.set(done.incrementAndGet());
        });
        progress.done();
        return h;
    }

    private static Pair firstState(Rational qi, Rational qj, Rational s) {
        if (qi.isZero() || qj.isZero()) {
            return Pair.ZERO;
        }
        if (qi.multiply(qj).equals(s.multiply(s))) {
            return s.signum() > 0 ? Pair.PARALLEL : Pair.ANTI;
        }
        return Pair.GENERAL;
    }

    /** The state after one more layer (φ(0) = 0 for every closed-form activation). */
    private static Pair next(Architecture arch, Pair p) {
        return switch (p) {
            case GENERAL, SAME -> p;
            case ZERO -> arch.sigmaB2().isZero() ? Pair.ZERO : Pair.GENERAL;
            case PARALLEL -> arch.keepsRays() ? Pair.PARALLEL : Pair.GENERAL;
            case ANTI -> {
                if (!arch.keepsRays()) {
                    yield Pair.GENERAL;
                }
                Activation act = arch.activation();
                if (act instanceof Activation.AbRelu a) {
                    yield a.neg().equals(a.pos().negate()) ? Pair.PARALLEL : a.neg().equals(a.pos()) ? Pair.ANTI : Pair.GENERAL;
                }
                yield act instanceof Activation.Identity ? Pair.ANTI
                        : act instanceof Activation.Square ? Pair.PARALLEL : Pair.GENERAL;
            }
        };
    }

    /** (Σ̂, Σ̇) of one pair with variances q1, q2 and covariance s. */
    private static <T> T[] step(Architecture arch, Arith<T> ar, T q1, T q2, T s, Pair st, T exactD) {
        @SuppressWarnings("unchecked")
        T[] out = (T[]) new Object[2];
        Activation act = arch.activation();
        if (act instanceof Activation.AbRelu a) {
            Rational sumSq = a.sumSquares();
            Rational twoAb = a.twiceProduct();
            switch (st) {
                case SAME, PARALLEL -> {
                    out[0] = ar.mul(ar.of(sumSq.divide(Rational.TWO)), s);
                    out[1] = ar.of(sumSq.divide(Rational.TWO));
                }
                case ANTI -> {
                    out[0] = ar.mul(ar.of(twoAb.divide(Rational.TWO)), s);
                    out[1] = ar.of(twoAb.divide(Rational.TWO));
                }
                case ZERO -> {
                    out[0] = ar.of(Rational.ZERO);
                    out[1] = ar.of(Rational.ZERO);
                }
                default -> {
                    T p = ar.mul(q1, q2);
                    T sq = ar.sqrt(exactD != null ? exactD : ar.sub(p, ar.mul(s, s)));
                    T theta = ar.arccos(s, p, sq);
                    T pi = ar.pi();
                    T twoPi = ar.mul(ar.of(Rational.TWO), pi);
                    T w = ar.div(ar.add(ar.mul(ar.of(sumSq), ar.sub(pi, theta)), ar.mul(ar.of(twoAb), theta)), twoPi);
                    Rational diff = a.pos().subtract(a.neg());
                    T first = ar.div(ar.mul(ar.of(diff.multiply(diff)), sq), twoPi);
                    out[0] = ar.add(first, ar.mul(w, s));
                    out[1] = w;
                }
            }
        } else if (act instanceof Activation.Identity) {
            out[0] = s;
            out[1] = ar.of(Rational.ONE);
        } else if (act instanceof Activation.Square) {
            out[0] = ar.add(ar.mul(q1, q2), ar.mul(ar.of(Rational.TWO), ar.mul(s, s)));
            out[1] = ar.mul(ar.of(Rational.of(4)), s);
        } else if (act instanceof Activation.ErfAct) {
            T one = ar.of(Rational.ONE);
            T two = ar.of(Rational.TWO);
            T h = ar.mul(ar.add(one, ar.mul(two, q1)), ar.add(one, ar.mul(two, q2)));
            T y = ar.mul(two, s);
            T r = ar.sqrt(ar.sub(h, ar.mul(y, y)));
            T pi = ar.pi();
            out[0] = ar.div(ar.mul(two, ar.arcsin(y, h, r)), pi);
            out[1] = ar.div(ar.of(Rational.of(4)), ar.mul(pi, r));
        } else {
            throw new IllegalStateException("no closed form for " + act.name());
        }
        return out;
    }

    /**
     * The exact Gram matrix x_i·x_j (upper triangle): each row is brought to one denominator
     * first, so each entry is an integer dot product and one reduction.
     */
    static Rational[][] gram(Rational[][] x) {
        int n = x.length;
        java.math.BigInteger[][] num = new java.math.BigInteger[n][];
        java.math.BigInteger[] den = new java.math.BigInteger[n];
        for (int i = 0; i < n; i++) {
            java.math.BigInteger lcm = java.math.BigInteger.ONE;
            for (Rational v : x[i]) {
                java.math.BigInteger q = v.denominator();
                lcm = lcm.divide(lcm.gcd(q)).multiply(q);
            }
            den[i] = lcm;
            num[i] = new java.math.BigInteger[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                num[i][k] = x[i][k].numerator().multiply(lcm.divide(x[i][k].denominator()));
            }
        }
        Rational[][] g = new Rational[n][n];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = i; j < n; j++) {
                java.math.BigInteger s = java.math.BigInteger.ZERO;
                for (int k = 0; k < num[i].length; k++) {
                    s = s.add(num[i][k].multiply(num[j][k]));
                }
                g[i][j] = Rational.of(s, den[i].multiply(den[j]));
            }
        });
        return g;
    }

    static Rational dot(Rational[] a, Rational[] b) {
        Rational s = Rational.ZERO;
        for (int k = 0; k < a.length; k++) {
            s = s.add(a[k].multiply(b[k]));
        }
        return s;
    }
}
