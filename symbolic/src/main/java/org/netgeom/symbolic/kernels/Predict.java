package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The infinite-width mean prediction of gradient descent on MSE, exactly as neural-tangents'
 * {@code predict.gradient_descent_mse(k_train_train, y_train, learning_rate=η, diag_reg=0,
 * trace_axes=(-1,))} called with {@code fx_train_0 = fx_test_0 = 0} (the mean over
 * initialisations): gradient flow on the loss (1/(2N)) ‖f(X) − Y‖²_F with N = y_train.size = n·k
 * (the mean over training points and outputs), the kernel acting as K ⊗ I_k on the k outputs
 * ({@code trace_axes=(-1,)}). With α = η t/N and K = V Λ Vᵀ,
 * <pre>
 *   f_train(t) = (I − e^{−αK}) Y = V (1 − e^{−αΛ}) Vᵀ Y,
 *   f_test(t)  = K_{test,train} K^{-1} (I − e^{−αK}) Y = K_ts V [(1 − e^{−αλ})/λ] Vᵀ Y,
 *   f_test(∞)  = K_ts K^{-1} Y,
 * </pre>
 * t in steps (neural-tangents' "absolute time" is η t). Like neural-tangents, eigenvalues ≤ 0
 * contribute nothing (its {@code expm1(−max(λ, 0)·t/N)/|λ|}); certified zero eigenvalues (see
 * {@link NullVectors}) contribute nothing either, which for a positive semi-definite kernel is
 * exact (K v = 0 implies K_ts v = 0) and gives f_test(∞) = K_ts K⁺ Y where neural-tangents'
 * Cholesky solve would fail. f_train(∞) is the projection of Y on the range of K (Y when K is
 * invertible, which is what neural-tangents returns).
 *
 * <p>Computed in BigDecimal with a Jacobi eigen-decomposition ({@link PreciseEigen#decompose}),
 * twice, at p and p + 10 digits; every printed value agrees between the two to half a unit in
 * its last digit (p grows until it does). A value whose two evaluations are both below
 * 10^{−(p−10)} times the largest value of its block (rounding noise of an exact 0, such as the
 * fitted value of a zero target) is printed as 0: it is 0 to that absolute accuracy.
 */
public final class Predict {
    private static final int ROUNDS = 4;

    private Predict() {
    }

    /**
     * The mean predictions.
     *
     * @param time              t (null: only t = ∞)
     * @param learningRate      η
     * @param normalization     N = n·k
     * @param trainMean         f_train(t), n×k (null without a time)
     * @param testMean          f_test(t), m×k (null without a time)
     * @param trainMeanInfinity f_train(∞)
     * @param testMeanInfinity  f_test(∞)
     * @param warnings          values not certified to the digits asked
     */
    public record Prediction(Rational time, Rational learningRate, int normalization, BigDecimal[][] trainMean,
                             BigDecimal[][] testMean, BigDecimal[][] trainMeanInfinity, BigDecimal[][] testMeanInfinity,
                             List<String> warnings) {
    }

    /**
     * Predicts with the kernel of {@code kind} (NNGP, NTK or H∞) of {@code arch} on the training
     * inputs {@code xTrain} (targets {@code yTrain}, n×k) and test inputs {@code xTest}.
     */
    public static Prediction gradientDescentMse(KernelKind kind, Rational[][] xTrain, Rational[][] yTrain,
                                                Rational[][] xTest, Architecture arch, Rational learningRate,
                                                Rational time, KernelOptions o) {
        int n = xTrain.length;
        int m = xTest.length;
        if (n == 0 || yTrain.length != n || yTrain[0].length == 0) {
            throw IrError.BAD_INPUT.at("--predict", "the training data needs x and y columns (y1, ..., yk) for every point");
        }
        if (m > 0 && xTest[0].length != xTrain[0].length) {
            throw IrError.BAD_INPUT.at("--test", "the test data has " + xTest[0].length + " x columns, the training data "
                    + xTrain[0].length);
        }
        if (learningRate.signum() <= 0) {
            throw IrError.BAD_INPUT.at("--lr", "the learning rate must be positive");
        }
        if (time != null && time.signum() < 0) {
            throw IrError.BAD_INPUT.at("--time", "the time must be non-negative");
        }
        if (kind != KernelKind.H_INFINITY && !arch.activation().closedForm()) {
            throw SymbolicError.NOT_EXACT.at("--predict", "certified predictions need a closed-form kernel, not "
                    + arch.activation().name());
        }
        Rational[][] all = new Rational[n + m][];
        System.arraycopy(xTrain, 0, all, 0, n);
        System.arraycopy(xTest, 0, all, n, m);
        int k = yTrain[0].length;
        int norm = n * k;
        Rational alpha = time == null ? null : learningRate.multiply(time).divide(Rational.of(norm));
        NullVectors zeros = NullVectors.of(kind, xTrain, arch);
        double[][] dbl = kind == KernelKind.H_INFINITY ? DoubleKernels.hInfinity(DoubleKernels.doubles(xTrain))
                : DoubleKernels.kernel(kind, DoubleKernels.doubles(xTrain), arch);
        double[] ev = Kernels.doubleEigenvalues(dbl);
        double big = Math.max(Math.abs(ev[0]), Math.abs(ev[n - 1]));
        double small = zeros.count() < n ? Math.abs(ev[zeros.count()]) : big;
        int extra = (int) Math.min(Math.max(Math.ceil(Math.log10(n * big / Math.max(small, big * 1e-250))), 0), 200);
        int digits = o.digits();
        int p = digits + 10 + extra;
        List<String> warnings = new ArrayList<>();
        BigDecimal[][][] a = null;
        BigDecimal[][][] b = null;
        for (int round = 0; round < ROUNDS; round++) {
            a = evaluate(kind, all, n, yTrain, arch, alpha, zeros.count(), p);
            b = evaluate(kind, all, n, yTrain, arch, alpha, zeros.count(), p + 10);
            if (agree(a, b, digits, p)) {
                break;
            }
            p += 2 * digits;
        }
        String[] names = {"train(t)", "test(t)", "train(inf)", "test(inf)"};
        BigDecimal[][][] out = new BigDecimal[4][][];
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        for (int q = 0; q < 4; q++) {
            if (b[q] == null) {
                continue;
            }
            BigDecimal floor = noiseFloor(b[q], p);
            out[q] = new BigDecimal[b[q].length][];
            for (int i = 0; i < b[q].length; i++) {
                out[q][i] = new BigDecimal[b[q][i].length];
                for (int j = 0; j < b[q][i].length; j++) {
                    BigDecimal err = a[q][i][j].subtract(b[q][i][j]).abs();
                    if (a[q][i][j].abs().compareTo(floor) <= 0 && b[q][i][j].abs().compareTo(floor) <= 0) {
                        out[q][i][j] = BigDecimal.ZERO;
                    } else if (err.signum() != 0 && (b[q][i][j].signum() == 0 || err.compareTo(Kernels.ulp(b[q][i][j], digits)) > 0)) {
                        warnings.add(names[q] + "[" + i + "][" + j + "] is not certified to " + digits
                                + " digits (two evaluations differ by " + err.round(new MathContext(2)) + ")");
                        out[q][i][j] = b[q][i][j].round(new MathContext(Math.max(1, digits / 2)));
                    } else {
                        out[q][i][j] = b[q][i][j].round(mc);
                    }
                }
            }
        }
        return new Prediction(time, learningRate, norm, out[0], out[1], out[2], out[3], List.copyOf(warnings));
    }

    /** 10^{−(p−10)} times the largest magnitude in a block. */
    private static BigDecimal noiseFloor(BigDecimal[][] m, int p) {
        BigDecimal max = BigDecimal.ZERO;
        for (BigDecimal[] row : m) {
            for (BigDecimal v : row) {
                max = max.max(v.abs());
            }
        }
        return max.movePointLeft(p - 10);
    }

    private static boolean agree(BigDecimal[][][] a, BigDecimal[][][] b, int digits, int p) {
        for (int q = 0; q < a.length; q++) {
            if (a[q] == null) {
                continue;
            }
            BigDecimal floor = noiseFloor(b[q], p);
            for (int i = 0; i < a[q].length; i++) {
                for (int j = 0; j < a[q][i].length; j++) {
                    BigDecimal err = a[q][i][j].subtract(b[q][i][j]).abs();
                    if (a[q][i][j].abs().compareTo(floor) <= 0 && b[q][i][j].abs().compareTo(floor) <= 0) {
                        continue;
                    }
                    if (err.signum() != 0 && (b[q][i][j].signum() == 0 || err.compareTo(Kernels.ulp(b[q][i][j], digits)) > 0)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** {f_train(t), f_test(t), f_train(∞), f_test(∞)} at working precision p. */
    private static BigDecimal[][][] evaluate(KernelKind kind, Rational[][] all, int n, Rational[][] y, Architecture arch,
                                             Rational alpha, int zeros, int p) {
        MathContext mc = new MathContext(p, RoundingMode.HALF_EVEN);
        BigDecimal[][] kAll = Kernels.decimals(kind, all, arch, p);
        int m = all.length - n;
        int k = y[0].length;
        BigDecimal[][] ktt = new BigDecimal[n][n];
        BigDecimal[][] kts = new BigDecimal[m][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(kAll[i], 0, ktt[i], 0, n);
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(kAll[n + i], 0, kts[i], 0, n);
        }
        PreciseEigen.Decomposition d = PreciseEigen.decompose(ktt, mc);
        BigDecimal[][] yd = new BigDecimal[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                yd[i][c] = y[i][c].toBigDecimal(mc);
            }
        }
        BigDecimal[][] z = PreciseEigen.multiply(PreciseEigen.transpose(d.vectors()), yd, mc);   // Vᵀ Y
        BigDecimal[] train = new BigDecimal[n];
        BigDecimal[] test = new BigDecimal[n];
        BigDecimal[] trainInf = new BigDecimal[n];
        BigDecimal[] testInf = new BigDecimal[n];
        BigDecimal a = alpha == null ? null : alpha.toBigDecimal(mc);
        for (int i = 0; i < n; i++) {
            BigDecimal lam = d.values()[i];
            boolean dead = i < zeros || lam.signum() <= 0;
            trainInf[i] = dead ? BigDecimal.ZERO : BigDecimal.ONE;
            testInf[i] = dead ? BigDecimal.ZERO : BigDecimal.ONE.divide(lam, mc);
            if (a != null) {
                BigDecimal decay = dead ? BigDecimal.ZERO : BigMath.oneMinusExpNeg(a.multiply(lam, mc), mc);
                train[i] = decay;
                test[i] = dead ? BigDecimal.ZERO : decay.divide(lam, mc);
            }
        }
        BigDecimal[][][] out = new BigDecimal[4][][];
        if (a != null) {
            out[0] = apply(d.vectors(), train, z, null, mc);
            out[1] = apply(d.vectors(), test, z, kts, mc);
        }
        out[2] = apply(d.vectors(), trainInf, z, null, mc);
        out[3] = apply(d.vectors(), testInf, z, kts, mc);
        return out;
    }

    /** [K_ts] V diag(g) Z. */
    private static BigDecimal[][] apply(BigDecimal[][] v, BigDecimal[] g, BigDecimal[][] z, BigDecimal[][] kts, MathContext mc) {
        int n = v.length;
        int k = z[0].length;
        BigDecimal[][] gz = new BigDecimal[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                gz[i][c] = g[i].multiply(z[i][c], mc);
            }
        }
        BigDecimal[][] r = PreciseEigen.multiply(v, gz, mc);
        return kts == null ? r : PreciseEigen.multiply(kts, r, mc);
    }
}
