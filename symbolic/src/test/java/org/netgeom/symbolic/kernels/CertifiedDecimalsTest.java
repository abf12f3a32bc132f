package org.netgeom.symbolic.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certified decimal path: hand-derived values on the contract's points (1,0), (0,1), (1,1)
 * (π and √22 from literal digits and the JDK's BigDecimal.sqrt, not from the code under test),
 * exact zero eigenvalues with their certificates, and eigenvalues against Hipparchus in float64.
 */
class CertifiedDecimalsTest {
    /** π to 110 digits (a literal); other literals below from Python's decimal module. */
    static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510"
            + "58209749445923078164062862089986280348253421170679821480865132823066470938446");
    static final MathContext MC = new MathContext(80);
    static final Rational[][] POINTS = {{Rational.ONE, Rational.ZERO}, {Rational.ZERO, Rational.ONE}, {Rational.ONE, Rational.ONE}};

    /** |got − want| must be below one unit in the last of {@code digits} significant digits. */
    static void assertDigits(BigDecimal want, BigDecimal got, int digits, String what) {
        BigDecimal unit = want.signum() == 0 ? BigDecimal.ONE.movePointLeft(digits)
                : BigDecimal.ONE.scaleByPowerOfTen(want.precision() - want.scale() - digits);
        assertTrue(got.subtract(want).abs().compareTo(unit) < 0, what + ": got " + got + ", want " + want.round(new MathContext(digits + 5)));
    }

    @Test
    void piAndArctangentToManyDigits() {
        assertDigits(PI, BigMath.pi(new MathContext(100)), 100, "pi");
        MathContext mc = new MathContext(60);
        assertDigits(PI.divide(BigDecimal.valueOf(4), MC), BigMath.atan(BigDecimal.ONE, mc), 59, "atan 1");
        assertDigits(PI.divide(BigDecimal.valueOf(3), MC), BigMath.atan2(BigDecimal.valueOf(3).sqrt(MC), BigDecimal.ONE, mc), 59, "atan2(√3, 1)");
        assertDigits(PI.multiply(BigDecimal.valueOf(5)).divide(BigDecimal.valueOf(6), MC),
                BigMath.atan2(BigDecimal.ONE, BigDecimal.valueOf(3).sqrt(MC).negate(), mc), 59, "atan2(1, -√3)");
        for (double y = -3; y <= 3; y += 0.37) {
            for (double x = -3; x <= 3; x += 0.41) {
                double got = BigMath.atan2(new BigDecimal(y), new BigDecimal(x), mc).doubleValue();
                assertEquals(Math.atan2(y, x), got, 3 * Math.ulp(Math.atan2(y, x)), "atan2 (Math.atan2 is within 2 ulps) (" + y + ", " + x + ")");
            }
        }
        for (int k = 1; k < 40; k++) {                 // the table-reduced series against plain argument halving
            BigDecimal x = BigDecimal.valueOf(k).divide(BigDecimal.valueOf(39), MC);
            assertDigits(BigMath.atanByHalving(x, new MathContext(70)), BigMath.atan(x, mc), 59, "atan " + x);
        }
        assertDigits(new BigDecimal("0.632120558828557678404476229838539132554188868968232165492163"),
                BigMath.oneMinusExpNeg(BigDecimal.ONE, mc), 50, "1 - 1/e");
        assertDigits(new BigDecimal("4.53999297624848515355915155605506102379180888665649692590713e-5"),
                BigMath.expNeg(BigDecimal.TEN, mc), 45, "e^-10");
    }

    @Test
    void contractValuesOnThreePoints() {
        for (int digits : new int[]{30, 50}) {
            KernelOptions o = KernelOptions.defaults().withDigits(digits);
            BigDecimal invPi = BigDecimal.ONE.divide(PI, MC);
            BigDecimal q = new BigDecimal("0.75").add(invPi);
            BigDecimal[][] nngp = {{BigDecimal.ONE, invPi, q}, {invPi, BigDecimal.ONE, q}, {q, q, BigDecimal.valueOf(2)}};
            BigDecimal t = new BigDecimal("1.5").add(invPi);
            BigDecimal[][] ntk = {{BigDecimal.valueOf(2), invPi, t}, {invPi, BigDecimal.valueOf(2), t}, {t, t, BigDecimal.valueOf(4)}};
            BigDecimal h = new BigDecimal("0.375");
            BigDecimal half = new BigDecimal("0.5");
            BigDecimal[][] hinf = {{half, BigDecimal.ZERO, h}, {BigDecimal.ZERO, half, h}, {h, h, BigDecimal.ONE}};
            check(Kernels.compute(KernelKind.NNGP, POINTS, Architecture.relu(1), o), nngp, digits);
            check(Kernels.compute(KernelKind.NTK, POINTS, Architecture.relu(1), o), ntk, digits);
            KernelResult r = Kernels.compute(KernelKind.H_INFINITY, POINTS, null, o);
            check(r, hinf, digits);
            BigDecimal s = BigDecimal.valueOf(22).sqrt(MC).divide(BigDecimal.valueOf(8), MC);
            BigDecimal[] eig = {new BigDecimal("0.75").subtract(s), half, new BigDecimal("0.75").add(s)};
            for (int i = 0; i < 3; i++) {
                assertDigits(eig[i], r.eigenvalues()[i], digits, "H∞ eigenvalue " + i);
            }
            assertEquals(0, r.lambdaMin().compareTo(r.eigenvalues()[0]));
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        }
    }

    private static void check(KernelResult r, BigDecimal[][] want, int digits) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertDigits(want[i][j], r.matrix()[i][j], digits, r.kind() + " [" + i + "][" + j + "]");
            }
        }
        // trace, sum of squares and determinant fix the 3×3 spectrum
        BigDecimal tr = BigDecimal.ZERO;
        BigDecimal ev = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            tr = tr.add(want[i][i]);
            ev = ev.add(r.eigenvalues()[i]);
        }
        assertDigits(tr, ev, digits - 1, r.kind() + " eigenvalue sum");
    }

    @Test
    void parallelInputsGiveAnExactZeroEigenvalue() {
        KernelOptions o = KernelOptions.defaults();
        Rational[][] parallel = {{Rational.ONE, Rational.TWO}, {Rational.TWO, Rational.of(4)}, {Rational.ONE, Rational.ZERO}};
        KernelResult h = Kernels.compute(KernelKind.H_INFINITY, parallel, null, o);
        assertEquals(0, h.lambdaMin().signum(), "λ₀ of parallel inputs");
        assertEquals(1, h.exactZeros());
        assertTrue(h.eigenvalues()[1].signum() > 0);
        Rational[][] two = {{Rational.of(1, 3), Rational.of(-1, 2)}, {Rational.of(2, 3), Rational.MINUS_ONE}};
        assertEquals(0, Kernels.compute(KernelKind.H_INFINITY, two, null, o).lambdaMin().signum());
        for (KernelKind kind : new KernelKind[]{KernelKind.NNGP, KernelKind.NTK}) {
            KernelResult r = Kernels.compute(kind, two, Architecture.relu(3), o);
            assertEquals(0, r.lambdaMin().signum(), kind + " of parallel inputs, σ_b² = 0");
            // with a bias the two parallel inputs are distinguishable: λ_min > 0
            Architecture biased = new Architecture(Activation.relu(), 3, Rational.TWO, Rational.of(1, 10));
            assertTrue(Kernels.compute(kind, two, biased, o).lambdaMin().signum() > 0);
            // identical inputs are singular for any kernel
            Rational[][] same = {two[0], two[0].clone(), two[1]};
            assertEquals(0, Kernels.compute(kind, same, new Architecture(Activation.parse("erf"), 2, Rational.ONE,
                    Rational.of(1, 10)), o).lambdaMin().signum());
        }
        Rational[][] general = {{Rational.ONE, Rational.ZERO}, {Rational.of(1, 2), Rational.of(1, 3)}, {Rational.ZERO, Rational.MINUS_ONE},
            {Rational.of(-2, 3), Rational.of(1, 5)}};
        KernelResult g = Kernels.compute(KernelKind.H_INFINITY, general, null, o);
        assertTrue(g.lambdaMin().signum() > 0, "λ₀ > 0 for pairwise non-parallel inputs");
        assertEquals(0, g.exactZeros());
        assertTrue(g.warnings().isEmpty(), g.warnings().toString());
    }

    @Test
    void rationalKernelsGetTheirExactRank() {
        Rational[][] x = RecursionTest.points(11, 5, 2);
        Architecture identity = new Architecture(Activation.parse("identity"), 2, Rational.TWO, Rational.of(1, 4));
        KernelResult r = Kernels.compute(KernelKind.NTK, x, identity, KernelOptions.defaults());
        assertEquals(2, r.exactZeros(), "Σ = c x·x' + b has rank d + 1 = 3 on 5 points");
        assertEquals(0, r.eigenvalues()[1].signum());
        assertTrue(r.eigenvalues()[2].signum() > 0);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void repeatedEigenvaluesAreFound() {
        Rational[][] cross = {{Rational.ONE, Rational.ZERO}, {Rational.ZERO, Rational.ONE}, {Rational.MINUS_ONE, Rational.ZERO},
            {Rational.ZERO, Rational.MINUS_ONE}};
        KernelResult h = Kernels.compute(KernelKind.H_INFINITY, cross, null, KernelOptions.defaults());
        for (BigDecimal e : h.eigenvalues()) {
            assertEquals(0, e.compareTo(new BigDecimal("0.5")), "H∞ = I/2 on ±e1, ±e2: " + Arrays.toString(h.eigenvalues()));
        }
        // NNGP on the same points is circulant (1, 1/π, 0, 1/π): eigenvalues 1 + 2/π, 1, 1, 1 − 2/π
        KernelResult k = Kernels.compute(KernelKind.NNGP, cross, Architecture.relu(1), KernelOptions.defaults());
        BigDecimal twoOverPi = BigDecimal.valueOf(2).divide(PI, MC);
        BigDecimal[] want = {BigDecimal.ONE.subtract(twoOverPi), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE.add(twoOverPi)};
        for (int i = 0; i < 4; i++) {
            assertDigits(want[i], k.eigenvalues()[i], 30, "circulant eigenvalue " + i);
        }
    }

    @Test
    void eigenvaluesAgreeWithHipparchusInFloat64() {
        Rational[][] x = RecursionTest.points(5, 25, 4);
        Architecture arch = new Architecture(Activation.parse("leaky_relu:1/5"), 2, Rational.TWO, Rational.of(1, 8));
        KernelResult r = Kernels.compute(KernelKind.NTK, x, arch, KernelOptions.defaults().withDigits(20));
        double[][] k = DoubleKernels.kernel(KernelKind.NTK, DoubleKernels.doubles(x), arch);
        double[] ev = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(k)).getEigenvalues();
        Arrays.sort(ev);
        double top = ev[ev.length - 1];
        for (int i = 0; i < ev.length; i++) {
            assertEquals(ev[i], r.eigenvalues()[i].doubleValue(), 1e-12 * top, "eigenvalue " + i);
        }
    }
}
