package org.netgeom.symbolic.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * neural-tangents' gradient_descent_mse mean predictions against an independent float64
 * implementation (the textbook kernel of {@link Reference}, Hipparchus' eigen-decomposition,
 * f(t) = K_ts V diag((1 − e^{−ηtλ/N})/λ) Vᵀ Y with N = n·k), a one-point case by hand, the
 * pseudo-inverse limit on duplicated training points, and Du et al.'s rate check by hand.
 */
class PredictTest {

    @Test
    void matchesAnIndependentFloat64Implementation() {
        Rational[][] all = RecursionTest.points(21, 9, 3);
        Rational[][] xs = new Rational[6][];
        Rational[][] xt = new Rational[3][];
        System.arraycopy(all, 0, xs, 0, 6);
        System.arraycopy(all, 6, xt, 0, 3);
        Rational[][] y = new Rational[6][2];
        for (int i = 0; i < 6; i++) {
            y[i][0] = Rational.of(i - 2, 3);
            y[i][1] = Rational.of(1, i + 1);
        }
        Architecture arch = new Architecture(Activation.relu(), 2, Rational.TWO, Rational.of(1, 10));
        Rational lr = Rational.of(1, 2);
        Rational t = Rational.of(7);
        Predict.Prediction p = Predict.gradientDescentMse(KernelKind.NTK, xs, y, xt, arch, lr, t, KernelOptions.defaults());
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());
        assertEquals(12, p.normalization());
        double[][] k = Reference.kernels(DoubleKernels.doubles(all), "relu", 0, 1, 2, 2, 0.1)[1];
        double[][] ktt = new double[6][6];
        double[][] kts = new double[3][6];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(k[i], 0, ktt[i], 0, 6);
        }
        for (int i = 0; i < 3; i++) {
            System.arraycopy(k[6 + i], 0, kts[i], 0, 6);
        }
        double alpha = 0.5 * 7 / 12;
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(ktt));
        RealMatrix v = e.getV();
        double[] lam = e.getEigenvalues();
        double[][] fTest = new double[6][6];
        double[][] fTrain = new double[6][6];
        double[][] inv = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int q = 0; q < 6; q++) {
                    double vv = v.getEntry(i, q) * v.getEntry(j, q);
                    fTest[i][j] += vv * (-Math.expm1(-alpha * lam[q])) / lam[q];
                    fTrain[i][j] += vv * (-Math.expm1(-alpha * lam[q]));
                    inv[i][j] += vv / lam[q];
                }
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                double at = 0;
                double inf = 0;
                for (int j = 0; j < 6; j++) {
                    for (int l = 0; l < 6; l++) {
                        at += kts[i][j] * fTest[j][l] * y[l][c].doubleValue();
                        inf += kts[i][j] * inv[j][l] * y[l][c].doubleValue();
                    }
                }
                assertEquals(at, p.testMean()[i][c].doubleValue(), 1e-10 * Math.max(1, Math.abs(at)), "test(t)");
                assertEquals(inf, p.testMeanInfinity()[i][c].doubleValue(), 1e-9 * Math.max(1, Math.abs(inf)), "test(inf)");
            }
            for (int i = 0; i < 6; i++) {
                double tr = 0;
                for (int l = 0; l < 6; l++) {
                    tr += fTrain[i][l] * y[l][c].doubleValue();
                }
                assertEquals(tr, p.trainMean()[i][c].doubleValue(), 1e-10, "train(t)");
                assertEquals(y[i][c].doubleValue(), p.trainMeanInfinity()[i][c].doubleValue(), 1e-25, "train(inf) = y");
            }
        }
    }

    @Test
    void onePointByHand() {
        // x = (1, 0), test (0, 1) and (1, 1): H∞ = 1/2 on the training point, 0 and 3/8 across.
        Rational[][] xs = {{Rational.ONE, Rational.ZERO}};
        Rational[][] xt = {{Rational.ZERO, Rational.ONE}, {Rational.ONE, Rational.ONE}};
        Rational[][] y = {{Rational.of(2)}};
        Predict.Prediction p = Predict.gradientDescentMse(KernelKind.H_INFINITY, xs, y, xt, null, Rational.of(3), Rational.of(5),
                KernelOptions.defaults());
        MathContext mc = new MathContext(60);          // e^{−15/2} below from Python's decimal module
        // f_train(t) = (1 − e^{−η t k/N}) y with k = 1/2, N = 1: 2 (1 − e^{−15/2})
        BigDecimal decay = BigDecimal.ONE.subtract(new BigDecimal("0.00055308437014783358310200008853035719781133658244020"), mc);
        CertifiedDecimalsTest.assertDigits(decay.multiply(BigDecimal.valueOf(2)), p.trainMean()[0][0], 30, "train(t)");
        assertEquals(0, p.testMean()[0][0].signum());
        // f_test(t) = (3/8)/(1/2) · 2 (1 − e^{−15/2}) = (3/2)(1 − e^{−15/2})
        CertifiedDecimalsTest.assertDigits(decay.multiply(new BigDecimal("1.5")), p.testMean()[1][0], 30, "test(t)");
        assertEquals(0, p.testMeanInfinity()[1][0].compareTo(new BigDecimal("1.5")));
    }

    @Test
    void duplicatedTrainingPointsUseThePseudoInverse() {
        Rational[][] xs = RecursionTest.points(30, 4, 2);
        Rational[][] dup = {xs[0], xs[1], xs[2], xs[3], xs[1].clone()};
        Rational[][] y = {{Rational.ONE}, {Rational.of(-1, 2)}, {Rational.of(1, 3)}, {Rational.TWO}};
        Rational[][] yd = {y[0], y[1], y[2], y[3], y[1]};
        Rational[][] xt = RecursionTest.points(31, 2, 2);
        Architecture arch = new Architecture(Activation.parse("erf"), 2, Rational.TWO, Rational.of(1, 5));
        Predict.Prediction a = Predict.gradientDescentMse(KernelKind.NNGP, xs, y, xt, arch, Rational.ONE, null, KernelOptions.defaults());
        Predict.Prediction b = Predict.gradientDescentMse(KernelKind.NNGP, dup, yd, xt, arch, Rational.ONE, null, KernelOptions.defaults());
        assertNull(a.testMean());
        for (int i = 0; i < 2; i++) {
            CertifiedDecimalsTest.assertDigits(a.testMeanInfinity()[i][0], b.testMeanInfinity()[i][0], 28, "test(inf) " + i);
        }
    }

    @Test
    void duRateByHand() {
        Rational[][] x = {{Rational.ONE, Rational.ZERO}, {Rational.ZERO, Rational.ONE}};
        Rational[][] y = {{Rational.ONE}, {Rational.MINUS_ONE}};
        // H∞ = I/2: λ₀ = 1/2; n = 2, δ = 1/10: n⁶/(λ₀⁴δ³) = 64·16·1000 = 1024000
        DuRate r = DuRate.of(x, y, new BigDecimal("0.5"), Rational.of(1, 10), Rational.of(1, 4), 8L, 30);
        assertTrue(r.unitNorm());
        assertEquals(0, r.widthOrder().compareTo(new BigDecimal("1024000")));
        // (2048/π)·n⁵(‖y‖² + n/2)/(δ³λ₀⁴) = (2048/π)·32·3·1000·16
        BigDecimal proof = BigDecimal.valueOf(2048L * 32 * 3 * 1000 * 16).divide(CertifiedDecimalsTest.PI, CertifiedDecimalsTest.MC);
        CertifiedDecimalsTest.assertDigits(proof, r.widthWithProofConstants(), 30, "width with the proof's constants");
        // η_Du = η/N = 1/8; rate 1 − (1/8)(1/2)/2 = 31/32; bound (31/32)^8
        assertEquals(0, r.rate().compareTo(new BigDecimal("0.96875")));
        CertifiedDecimalsTest.assertDigits(new BigDecimal("0.96875").pow(8), r.bound(), 30, "bound");
        assertEquals(0, r.stepSizeOrder().compareTo(new BigDecimal("0.125")));
    }
}
