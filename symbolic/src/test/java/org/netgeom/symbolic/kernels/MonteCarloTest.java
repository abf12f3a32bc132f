package org.netgeom.symbolic.kernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each layer's Gaussian expectations Σ̂ = E[φ(u)φ(v)] and Σ̇ = E[φ'(u)φ'(v)] (closed forms, and
 * Gauss–Hermite quadrature for tanh, sigmoid, softplus, gelu) against a Monte-Carlo estimate with
 * 10⁶ samples of (u, v) (fixed seed), within 5 standard errors, along the depth-4 recursion of a
 * pair of inputs (so depths 1 to 4 are covered), for both parameterisation constants.
 */
class MonteCarloTest {
    private static final int SAMPLES = 1_000_000;
    private static double[] z1;
    private static double[] z2;

    @BeforeAll
    static void samples() {
        Random r = new Random(20240607L);
        z1 = new double[SAMPLES];
        z2 = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            z1[i] = r.nextGaussian();
            z2[i] = r.nextGaussian();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String act : new String[]{"relu", "leaky_relu:1/10", "abs", "abrelu:-1/2,3/2", "identity", "square", "erf",
                "tanh", "sigmoid", "softplus", "gelu"}) {
            out.add(Arguments.of(act, Rational.TWO, Rational.ZERO));
            out.add(Arguments.of(act, Rational.of(3, 2), Rational.of(1, 4)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} sw2 {1} sb2 {2}")
    @MethodSource("cases")
    void expectationsMatchMonteCarlo(String spec, Rational w2, Rational b2) {
        Activation act = Activation.parse(spec);
        DoubleKernels.Step step = DoubleKernels.stepper(act, DoubleKernels.DEFAULT_NODES);
        double sw2 = w2.doubleValue();
        double sb2 = b2.doubleValue();
        double scale = spec.equals("square") ? 0.25 : 1;
        double[] x = {0.9 * scale, -0.4 * scale, 0.3 * scale};
        double[] y = {0.2 * scale, 0.7 * scale, -0.5 * scale};
        double q1 = sw2 * dot(x, x) / 3 + sb2;
        double q2 = sw2 * dot(y, y) / 3 + sb2;
        double s = sw2 * dot(x, y) / 3 + sb2;
        double[] h = new double[2];
        double[] h1 = new double[2];
        double[] h2 = new double[2];
        for (int layer = 1; layer <= 4; layer++) {
            step.apply(q1, q2, s, h);
            double[] mc = monteCarlo(act, q1, q2, s);
            assertTrue(Math.abs(h[0] - mc[0]) <= 5 * mc[1] + 1e-9,
                    spec + " layer " + layer + ": Σ̂ " + h[0] + " vs MC " + mc[0] + " ± " + mc[1]);
            assertTrue(Math.abs(h[1] - mc[2]) <= 5 * mc[3] + 1e-9,
                    spec + " layer " + layer + ": Σ̇ " + h[1] + " vs MC " + mc[2] + " ± " + mc[3]);
            step.apply(q1, q1, q1, h1);
            step.apply(q2, q2, q2, h2);
            q1 = sw2 * h1[0] + sb2;
            q2 = sw2 * h2[0] + sb2;
            s = sw2 * h[0] + sb2;
        }
    }

    /** {mean φ(u)φ(v), its standard error, mean φ'(u)φ'(v), its standard error}. */
    private static double[] monteCarlo(Activation act, double q1, double q2, double s) {
        double r1 = Math.sqrt(q1);
        double r2 = Math.sqrt(q2);
        double c = Math.max(-1, Math.min(1, s / (r1 * r2)));
        double c2 = Math.sqrt(1 - c * c);
        double m0 = 0;
        double v0 = 0;
        double m1 = 0;
        double v1 = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double u = r1 * z1[i];
            double v = r2 * (c * z1[i] + c2 * z2[i]);
            double a = act.value(u) * act.value(v);
            double b = act.derivative(u) * act.derivative(v);
            m0 += a;
            v0 += a * a;
            m1 += b;
            v1 += b * b;
        }
        m0 /= SAMPLES;
        m1 /= SAMPLES;
        double se0 = Math.sqrt(Math.max(0, v0 / SAMPLES - m0 * m0) / SAMPLES);
        double se1 = Math.sqrt(Math.max(0, v1 / SAMPLES - m1 * m1) / SAMPLES);
        return new double[]{m0, se0, m1, se1};
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
