package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.cas.Cas;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The analytic kernels of fully connected nets on a data set, to any number of correct digits:
 * the NNGP kernel Σ^{L+1}, the NTK Θ^{L+1} (neural-tangents' {@code stax} conventions, see
 * {@link Recursion} and {@link Architecture}) and Du et al.'s H∞, with their eigenvalues.
 *
 * <p><b>Certified decimals.</b> For activations with closed forms the entries are evaluated twice,
 * in BigDecimal arithmetic at p and at p + 10 significant digits, from the exact first layer;
 * an entry is accepted when the two agree to within half a unit in its {@code digits}-th
 * digit, and the difference bounds its error. The eigenvalues are those of the (p + 10)-digit
 * matrix, each bracketed by Sturm counts ({@link PreciseEigen}); the error of eigenvalue i is
 * bounded by the bracket's half-width plus the Frobenius norm of the entry errors (Weyl's
 * inequality) plus the Householder backward error n²·10^{1−p−10}‖A‖_F. The working precision p
 * starts at digits + 10 + log10(n‖A‖/|λ_min|) (from a double-precision pre-pass) and grows until
 * every bound is below half a unit in the last printed digit, so each printed decimal is within
 * one unit of its last digit of the true value. Eigenvalues that are exactly 0 are certified by
 * null vectors: identical inputs (any kernel), positively proportional or zero inputs (kernels
 * that are positively homogeneous: H∞, and NNGP/NTK with σ_b² = 0 and a homogeneous φ), or the
 * exact rank of a rational kernel (identity and square activations, depth 0).
 *
 * <p><b>Quadrature.</b> Activations without a closed form (tanh, sigmoid, softplus, gelu) are
 * computed in float64 with N-point Gauss–Hermite rules ({@link GaussHermite}); the error is
 * estimated by the difference to the ⌈3N/4⌉-point rule and the decimals are cut to it.
 */
public final class Kernels {
    private static final int ROUNDS = 5;

    private Kernels() {
    }

    /** The NNGP kernel Σ^{L+1} on the x columns of a data set. */
    public static KernelResult nngp(DataSet data, Architecture arch, KernelOptions options) {
        return compute(KernelKind.NNGP, rows(data), arch, options);
    }

    /** The NTK Θ^{L+1} on the x columns of a data set. */
    public static KernelResult ntk(DataSet data, Architecture arch, KernelOptions options) {
        return compute(KernelKind.NTK, rows(data), arch, options);
    }

    /** Du et al.'s H∞ and λ₀ on the x columns of a data set. */
    public static KernelResult hInfinity(DataSet data, KernelOptions options) {
        return compute(KernelKind.H_INFINITY, rows(data), null, options);
    }

    /** The kernel matrix in float64 (fast; see {@link DoubleKernels} for its accuracy). */
    public static double[][] doubles(KernelKind kind, Rational[][] x, Architecture arch) {
        return DoubleKernels.kernel(kind, DoubleKernels.doubles(x), arch);
    }

    /**
     * The kernel entries at a working precision, uncertified (each correct to a few units in
     * the last of {@code workingDigits} digits); closed-form activations only.
     */
    public static BigDecimal[][] decimals(KernelKind kind, Rational[][] x, Architecture arch, int workingDigits) {
        requireClosedForm(kind, arch);
        Arith.Decimals ar = new Arith.Decimals(workingDigits);
        return kind == KernelKind.H_INFINITY ? Recursion.hInfinity(x, ar, true, org.netgeom.ir.Progress.NONE)
                : Recursion.kernel(kind, x, arch, ar, true, org.netgeom.ir.Progress.NONE);
    }

    /** The inputs of a data set as exact rows. */
    public static Rational[][] rows(DataSet data) {
        Rational[][] x = new Rational[data.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = data.x(i);
        }
        return x;
    }

    /** The kernel of {@code kind} on the rows of {@code x} (arch ignored for h-infinity). */
    public static KernelResult compute(KernelKind kind, Rational[][] x, Architecture arch, KernelOptions options) {
        if (kind != KernelKind.H_INFINITY && arch == null) {
            throw IrError.BAD_INPUT.error("the " + kind.cli + " kernel needs an architecture");
        }
        if (x.length == 0) {
            throw IrError.BAD_INPUT.error("the data set has no points");
        }
        Architecture a = kind == KernelKind.H_INFINITY ? null : arch;
        if (a != null && !a.activation().closedForm()) {
            if (options.closedForm()) {
                throw SymbolicError.NOT_EXACT.at("--closed-form", a.activation().name()
                        + " has no closed-form kernel; it is computed by Gauss-Hermite quadrature");
            }
            return Quadrature.compute(kind, x, a, options);
        }
        KernelResult r = certified(kind, x, a, options);
        if (!options.closedForm()) {
            return r;
        }
        String[][] expr = kind == KernelKind.H_INFINITY ? Recursion.hInfinity(x, new Arith.Exprs(200_000), false, options.progress())
                : Recursion.kernel(kind, x, a, new Arith.Exprs(200_000), false, options.progress());
        int n = x.length;
        String[][] tex = new String[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                tex[i][j] = Cas.get().tex(expr[i][j]);
                tex[j][i] = tex[i][j];
                checkExpression(expr[i][j], r.matrix()[i][j], options.digits(), i, j);
            }
        }
        return new KernelResult(r.kind(), r.architecture(), r.matrix(), r.eigenvalues(), r.lambdaMin(), r.digits(),
                r.exactZeros(), r.zeroCertificate(), r.workingDigits(), r.method(), null, r.warnings(), expr, tex);
    }

    /** Symja's own numeric value of an expression must round to the certified decimal. */
    private static void checkExpression(String expr, BigDecimal certified, int digits, int i, int j) {
        BigDecimal v = Cas.get().decimal(expr, digits + 10);
        BigDecimal tol = certified.signum() == 0 ? BigDecimal.ONE.movePointLeft(digits + 5) : ulp(certified, digits);
        if (v.subtract(certified).abs().compareTo(tol) > 0) {
            throw SymbolicError.CAS_ERROR.error("the closed form of entry (" + i + ", " + j + ") evaluates to " + v
                    + ", the certified decimal is " + certified);
        }
    }

    private static void requireClosedForm(KernelKind kind, Architecture arch) {
        if (kind != KernelKind.H_INFINITY && !arch.activation().closedForm()) {
            throw SymbolicError.NOT_EXACT.error(arch.activation().name() + " has no closed-form kernel");
        }
    }

    private static KernelResult certified(KernelKind kind, Rational[][] x, Architecture arch, KernelOptions o) {
        int n = x.length;
        int digits = o.digits();
        double[][] dbl = kind == KernelKind.H_INFINITY ? DoubleKernels.hInfinity(DoubleKernels.doubles(x))
                : DoubleKernels.kernel(kind, DoubleKernels.doubles(x), arch);
        double[] seeds = doubleEigenvalues(dbl);
        NullVectors zeros = NullVectors.of(kind, x, arch);
        double norm = 0;
        for (double[] row : dbl) {
            for (double v : row) {
                norm = Math.max(norm, Math.abs(v));
            }
        }
        double smallest = zeros.count() < n ? Math.abs(seeds[zeros.count()]) : norm;
        double cond = norm <= 0 ? 1 : n * norm / Math.max(smallest, norm * 1e-250);
        int extra = (int) Math.min(Math.max(Math.ceil(Math.log10(cond)), 0), 3.0 * digits + 60);
        int p = digits + 10 + extra;
        List<String> warnings = new ArrayList<>();
        Attempt last = null;
        for (int round = 0; round < ROUNDS; round++) {
            last = attempt(kind, x, arch, o, p, seeds, zeros);
            if (last.shortfall == 0) {
                break;
            }
            p += last.shortfall + 10;
        }
        BigDecimal[][] m = new BigDecimal[n][n];
        MathContext out = new MathContext(digits, RoundingMode.HALF_EVEN);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = roundTo(last.matrix[i][j], last.entryError[i][j], out, "matrix[" + i + "][" + j + "]", warnings);
            }
        }
        BigDecimal[] eig = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            if (i < zeros.count()) {
                if (last.eigen[i].abs().compareTo(last.eigenError[i].multiply(BigDecimal.TEN)) > 0) {
                    warnings.add("eigenvalue " + i + " should be 0 (" + zeros.why() + ") but was computed as " + last.eigen[i]);
                }
                eig[i] = BigDecimal.ZERO;
            } else {
                eig[i] = roundTo(last.eigen[i], last.eigenError[i], out, "eigenvalues[" + i + "]", warnings);
            }
        }
        String method = "closed form, two-precision agreement (an error estimate, not a certificate): two evaluations at " + last.p + " and " + (last.p + 10)
                + " digits agree; eigenvalues by Householder + Sturm bisection with Weyl error bounds";
        return new KernelResult(kind, arch, m, eig, eig[0], digits, zeros.count(), zeros.count() > 0 ? zeros.why() : null,
                last.p + 10, method, null, List.copyOf(warnings), null, null);
    }

    /** One certified evaluation at working precision p: values, error bounds, digits missing. */
    private record Attempt(int p, BigDecimal[][] matrix, BigDecimal[][] entryError, BigDecimal[] eigen,
                           BigDecimal[] eigenError, int shortfall) {
    }

    private static Attempt attempt(KernelKind kind, Rational[][] x, Architecture arch, KernelOptions o, int p,
                                   double[] seeds, NullVectors zeros) {
        int n = x.length;
        int digits = o.digits();
        BigDecimal[][] a1 = evaluate(kind, x, arch, new Arith.Decimals(p), o);
        Arith.Decimals fine = new Arith.Decimals(p + 10);
        BigDecimal[][] a2 = evaluate(kind, x, arch, fine, o);
        MathContext low = new MathContext(6, RoundingMode.UP);
        BigDecimal[][] err = new BigDecimal[n][n];
        BigDecimal frobErr2 = BigDecimal.ZERO;
        BigDecimal frob2 = BigDecimal.ZERO;
        int shortfall = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BigDecimal e = a1[i][j].subtract(a2[i][j]).abs().round(low);
                err[i][j] = e;
                frobErr2 = frobErr2.add(e.multiply(e, low), low);
                frob2 = frob2.add(a2[i][j].multiply(a2[i][j], low), low);
                shortfall = Math.max(shortfall, missing(a2[i][j], e, digits));
            }
        }
        BigDecimal frobErr = frobErr2.signum() == 0 ? BigDecimal.ZERO : frobErr2.sqrt(low);
        BigDecimal frob = frob2.signum() == 0 ? BigDecimal.ZERO : frob2.sqrt(low);
        BigDecimal house = frob.multiply(BigDecimal.valueOf((long) n * n), low).movePointLeft(p + 10 - 1);
        PreciseEigen.Tridiagonal t = PreciseEigen.tridiagonalize(a2, fine.mc(), o.progress());
        BigDecimal[] radius = new BigDecimal[n];
        BigDecimal absTol = frob.max(BigDecimal.ONE.movePointLeft(300)).movePointLeft(p + 10 - 3);
        BigDecimal[] eig = PreciseEigen.bisect(t, seeds, BigDecimal.ONE.movePointLeft(digits + 3), absTol, fine.mc(),
                radius, o.progress());
        BigDecimal[] eigErr = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            eigErr[i] = radius[i].add(frobErr).add(house).round(low);
            if (i >= zeros.count()) {
                shortfall = Math.max(shortfall, missing(eig[i], eigErr[i], digits));
            }
        }
        return new Attempt(p, a2, err, eig, eigErr, shortfall);
    }

    private static BigDecimal[][] evaluate(KernelKind kind, Rational[][] x, Architecture arch, Arith.Decimals ar,
                                           KernelOptions o) {
        return kind == KernelKind.H_INFINITY ? Recursion.hInfinity(x, ar, true, o.progress())
                : Recursion.kernel(kind, x, arch, ar, true, o.progress());
    }

    /** Half a unit in the {@code digits}-th significant digit of v. */
    static BigDecimal ulp(BigDecimal v, int digits) {
        int exp = v.precision() - v.scale() - 1;
        return BigDecimal.ONE.scaleByPowerOfTen(exp - digits + 1).divide(BigDecimal.valueOf(2));
    }

    /** Decimal digits of precision missing for an error {@code e} to be below half an ulp of v. */
    private static int missing(BigDecimal v, BigDecimal e, int digits) {
        if (e.signum() == 0) {
            return 0;
        }
        if (v.signum() == 0 || v.abs().compareTo(e) <= 0) {
            return digits + 10;
        }
        BigDecimal half = ulp(v, digits);
        if (e.compareTo(half) <= 0) {
            return 0;
        }
        double ratio = Math.log10(e.doubleValue()) - Math.log10(half.doubleValue());
        return Double.isFinite(ratio) ? (int) Math.ceil(ratio) + 1 : digits;
    }

    /** v rounded to {@code mc}'s digits, or to fewer (with a warning) when its error is larger. */
    private static BigDecimal roundTo(BigDecimal v, BigDecimal err, MathContext mc, String what, List<String> warnings) {
        if (err.signum() == 0 || (v.signum() != 0 && err.compareTo(ulp(v, mc.getPrecision())) <= 0)) {
            return v.round(mc);
        }
        if (v.abs().compareTo(err.multiply(BigDecimal.valueOf(2))) <= 0) {
            warnings.add(what + " = " + v.round(new MathContext(3)) + " is 0 to within its error bound " + err
                    + "; not certified");
            return v.round(new MathContext(3));
        }
        int k = mc.getPrecision();
        while (k > 1 && err.compareTo(ulp(v, k)) > 0) {
            k--;
        }
        warnings.add(what + " is certified to " + k + " digits only (error bound " + err + ")");
        return v.round(new MathContext(k, RoundingMode.HALF_EVEN));
    }

    /** Eigenvalues of a symmetric double matrix, ascending. */
    static double[] doubleEigenvalues(double[][] m) {
        if (m.length == 0) {
            return new double[0];
        }
        double[] ev = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(m, false)).getEigenvalues();
        Arrays.sort(ev);
        return ev;
    }
}
