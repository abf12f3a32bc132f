package org.netgeom.symbolic.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed-form kernels (float64 fast path and the arbitrary-precision path) against the
 * independent textbook implementation in {@link Reference}: every entry within 1e-12 (relative
 * to max(1, |entry|)), for depths 1 to 4, both parameterisation constants (σ_w², σ_b²) at the
 * defaults (2, 0) and at (3/2, 1/4), both kinds, and every closed-form activation.
 */
class RecursionTest {
    private static final double TOL = 1e-12;

    record Act(String spec, String ref, double a, double b) {
    }

    static final List<Act> ACTS = List.of(
            new Act("relu", "relu", 0, 1),
            new Act("leaky_relu:1/10", "relu", 0.1, 1),
            new Act("abs", "relu", -1, 1),
            new Act("abrelu:-1/2,3/2", "relu", -0.5, 1.5),
            new Act("identity", "identity", 0, 0),
            new Act("square", "square", 0, 0),
            new Act("erf", "erf", 0, 0));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Act act : ACTS) {
            for (int depth = 1; depth <= 4; depth++) {
                for (Rational[] c : new Rational[][]{{Rational.TWO, Rational.ZERO}, {Rational.of(3, 2), Rational.of(1, 4)}}) {
                    out.add(Arguments.of(act, depth, c[0], c[1]));
                }
            }
        }
        return out.stream();
    }

    /** Six points in R³ with small rational coordinates (seeded). */
    static Rational[][] points(long seed, int n, int d) {
        Random r = new Random(seed);
        Rational[][] x = new Rational[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = Rational.of(r.nextInt(13) - 6, 4);
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0} depth {1} sw2 {2} sb2 {3}")
    @MethodSource("cases")
    void closedFormsMatchTheTextbookRecursion(Act act, int depth, Rational w2, Rational b2) {
        Rational[][] x = points(7 + depth, 6, 3);
        if (act.spec.equals("square")) {           // keep the square's doubly exponential growth moderate
            for (Rational[] row : x) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = row[k].divide(Rational.of(2));
                }
            }
        }
        double[][] xd = DoubleKernels.doubles(x);
        Architecture arch = new Architecture(Activation.parse(act.spec), depth, w2, b2);
        double[][][] ref = Reference.kernels(xd, act.ref, act.a, act.b, depth, w2.doubleValue(), b2.doubleValue());
        for (KernelKind kind : new KernelKind[]{KernelKind.NNGP, KernelKind.NTK}) {
            double[][] want = ref[kind == KernelKind.NNGP ? 0 : 1];
            double[][] fast = DoubleKernels.kernel(kind, xd, arch);
            BigDecimal[][] precise = Kernels.decimals(kind, x, arch, 40);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    double tol = TOL * Math.max(1, Math.abs(want[i][j]));
                    assertTrue(Math.abs(fast[i][j] - want[i][j]) <= tol,
                            kind + " fast [" + i + "][" + j + "] " + fast[i][j] + " vs " + want[i][j]);
                    assertTrue(Math.abs(precise[i][j].doubleValue() - want[i][j]) <= tol,
                            kind + " precise [" + i + "][" + j + "] " + precise[i][j] + " vs " + want[i][j]);
                }
            }
        }
    }

    @ParameterizedTest(name = "h-infinity seed {0}")
    @MethodSource("seeds")
    void hInfinityMatchesTheTextbookFormula(long seed) {
        Rational[][] x = points(seed, 8, 4);
        double[][] want = Reference.hInfinity(DoubleKernels.doubles(x));
        double[][] fast = DoubleKernels.hInfinity(DoubleKernels.doubles(x));
        BigDecimal[][] precise = Kernels.decimals(KernelKind.H_INFINITY, x, null, 40);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (Double.isNaN(want[i][j])) {
                    continue;                         // a zero row: the textbook formula divides 0 by 0
                }
                assertTrue(Math.abs(fast[i][j] - want[i][j]) <= TOL * Math.max(1, Math.abs(want[i][j])));
                assertTrue(Math.abs(precise[i][j].doubleValue() - want[i][j]) <= TOL * Math.max(1, Math.abs(want[i][j])));
            }
        }
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L);
    }
}
