package org.netgeom.symbolic.linalg;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.loss.Nets;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact spectra against independent references: Hipparchus' float64 eigen and singular value
 * decompositions, closed forms computed with BigDecimal, a determinant by Gaussian elimination.
 */
class SpectraTest {
    @AfterAll
    static void stopCas() {
        Cas.shutdown();
    }

    private static Rational[][] r(long[][] m) {
        Rational[][] out = new Rational[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new Rational[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = Rational.of(m[i][j]);
            }
        }
        return out;
    }

    private static double[][] d(Rational[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = m[i][j].doubleValue();
            }
        }
        return out;
    }

    /** det(M) by fraction-exact Gaussian elimination (the test's own algorithm). */
    private static Rational det(Rational[][] a) {
        Rational[][] m = QMatrix.copy(a);
        int n = m.length;
        Rational det = Rational.ONE;
        for (int c = 0; c < n; c++) {
            int p = c;
            while (p < n && m[p][c].isZero()) {
                p++;
            }
            if (p == n) {
                return Rational.ZERO;
            }
            if (p != c) {
                Rational[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = det.negate();
            }
            det = det.multiply(m[c][c]);
            for (int i = c + 1; i < n; i++) {
                Rational f = m[i][c].divide(m[c][c]);
                for (int j = c; j < n; j++) {
                    m[i][j] = m[i][j].subtract(f.multiply(m[c][j]));
                }
            }
        }
        return det;
    }

    @Test
    void characteristicPolynomialAgreesWithDeterminantsAtManyPoints() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 24; trial++) {
            int n = trial < 20 ? 1 + rnd.nextInt(6) : 10 + rnd.nextInt(6);
            Rational[][] a = Nets.matrix(rnd, n, n);
            QPoly p = QMatrix.charPoly(a);
            assertEquals(n, p.degree());
            for (int k = 0; k <= n + 1; k++) {
                Rational x = Nets.q(rnd);
                Rational[][] m = new Rational[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        m[i][j] = (i == j ? x : Rational.ZERO).subtract(a[i][j]);
                    }
                }
                assertEquals(det(m), p.eval(x), "det(xI - A) at x = " + x);
            }
        }
    }

    @Test
    void symmetricEigenvaluesMatchFloatDecompositionWithMultiplicities() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 25; trial++) {
            int n = 1 + rnd.nextInt(5);
            Rational[][] b = Nets.matrix(rnd, n, n);
            Rational[][] a = QMatrix.add(b, QMatrix.transpose(b));
            if (trial % 5 == 0) {             // a repeated eigenvalue: a rank-one Gram matrix
                Rational[][] v = Nets.matrix(rnd, n, 1);
                a = QMatrix.multiply(v, QMatrix.transpose(v));
            }
            List<RealRoot> eig = Spectra.withRepetition(Spectra.symmetricEigenvalues(a));
            assertEquals(n, eig.size());
            double[] ref = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(d(a))).getEigenvalues();
            Arrays.sort(ref);
            for (int i = 0; i < n; i++) {
                Interval iv = eig.get(i).enclosure(20);
                double mid = iv.lo().add(iv.hi()).multiply(Rational.HALF).doubleValue();
                assertEquals(ref[i], mid, 1e-9 * Math.max(1, Math.abs(ref[i])), "eigenvalue " + i + " of trial " + trial);
                assertTrue(iv.width().doubleValue() <= 1e-19 * Math.max(1, Math.abs(ref[i])));
            }
        }
    }

    @Test
    void singularValuesMatchFloatSvd() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 25; trial++) {
            int m = 1 + rnd.nextInt(4);
            int n = 1 + rnd.nextInt(4);
            Rational[][] a = Nets.matrix(rnd, m, n);
            List<Spectra.Singular> sv = Spectra.singularValues(a);
            double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(d(a))).getSingularValues();
            assertEquals(Math.min(m, n), sv.size());
            for (int i = 0; i < sv.size(); i++) {
                assertEquals(ref[i], Double.parseDouble(sv.get(i).value().decimal(20)), 1e-9 * Math.max(1, ref[i]));
            }
        }
    }

    @Test
    void closedFormsOfTheContractKernelMatrix() {
        // H = [[1/2, 0, 3/8], [0, 1/2, 3/8], [3/8, 3/8, 1]]: eigenvalues 1/2 and 3/4 ± √22/8 (hand derivation in the contract)
        Rational[][] h = {{Rational.HALF, Rational.ZERO, Rational.of(3, 8)}, {Rational.ZERO, Rational.HALF, Rational.of(3, 8)},
                {Rational.of(3, 8), Rational.of(3, 8), Rational.ONE}};
        List<Spectra.Eigen> eig = Spectra.symmetricEigenvalues(h);
        assertEquals(3, eig.size());
        MathContext mc = new MathContext(60);
        BigDecimal s22 = new BigDecimal(22).sqrt(mc).divide(new BigDecimal(8), mc);
        BigDecimal[] want = {new BigDecimal("0.75").subtract(s22), new BigDecimal("0.5"), new BigDecimal("0.75").add(s22)};
        ExactForms forms = new ExactForms(Cas.get());
        for (int i = 0; i < 3; i++) {
            String dec = eig.get(i).value().decimal(40);
            assertEquals(want[i].round(new MathContext(40)).compareTo(new BigDecimal(dec)), 0, dec + " vs " + want[i]);
            String exact = forms.of(eig.get(i).value());
            assertNotNull(exact);
            // Symja's numeric value of the closed form agrees with the certified decimal
            BigDecimal viaSymja = Cas.get().decimal(exact, 40);
            assertTrue(viaSymja.subtract(want[i]).abs().compareTo(new BigDecimal("1e-35")) < 0, exact);
        }
        assertEquals("1/2", forms.of(eig.get(1).value()));
    }

    @Test
    void longClosedFormsAreOneLine() {
        // [[p, q], [q, r]] with large denominators: eigenvalues (p + r)/2 ± √(((p − r)/2)² + q²), whose
        // closed forms run past Symja's output line width; the JSON needs them on one line.
        // Reference: that formula in BigDecimal, against Symja's numeric value of the closed form.
        Rational p = Rational.of(123456789, 987654), q = Rational.of(31415926, 271828), r = Rational.of(-7777777, 1234567);
        Rational[][] h = {{p, q}, {q, r}};
        List<Spectra.Eigen> eig = Spectra.symmetricEigenvalues(h);
        MathContext mc = new MathContext(60);
        Rational half = p.subtract(r).divide(Rational.of(2));
        Rational disc = half.multiply(half).add(q.multiply(q));
        BigDecimal root = new BigDecimal(disc.numerator()).divide(new BigDecimal(disc.denominator()), mc).sqrt(mc);
        BigDecimal center = new BigDecimal(p.add(r).numerator()).divide(new BigDecimal(p.add(r).denominator().multiply(java.math.BigInteger.TWO)), mc);
        BigDecimal[] want = {center.subtract(root), center.add(root)};
        ExactForms forms = new ExactForms(Cas.get());
        for (int i = 0; i < 2; i++) {
            String exact = forms.of(eig.get(i).value());
            assertNotNull(exact);
            assertTrue(exact.length() > 80, exact);
            assertFalse(exact.contains("\n"), "one line: " + exact);
            BigDecimal viaSymja = Cas.get().decimal(exact, 40);
            assertTrue(viaSymja.subtract(want[i]).abs().compareTo(new BigDecimal("1e-30")) < 0, exact + " vs " + want[i]);
        }
    }

    @Test
    void rationalRootsAreRecognisedExactlyEvenWhenBisectionNeverHitsThem() {
        // (3x - 1)(x^2 - 2)(x + 5/7)
        QPoly p = QPoly.of(Rational.of(-1), Rational.of(3)).multiply(QPoly.of(Rational.of(-2), Rational.ZERO, Rational.ONE))
                .multiply(QPoly.of(Rational.of(5, 7), Rational.ONE));
        List<RealRoot> roots = RealRoot.roots(p);
        assertEquals(4, roots.size());
        assertEquals(Rational.of(-5, 7), roots.get(1).exact());
        assertEquals(Rational.of(1, 3), roots.get(2).exact());
        assertEquals(null, roots.get(3).exact());
        assertEquals(new BigDecimal(2).sqrt(new MathContext(50)).toString(), roots.get(3).decimal(50));
        assertEquals("0.333333333333", roots.get(2).decimal(12));
    }

    @Test
    void squareFreeDecompositionRecoversMultiplicities() {
        QPoly a = QPoly.of(Rational.of(-1), Rational.ONE);                           // x - 1
        QPoly b = QPoly.of(Rational.of(-2), Rational.ZERO, Rational.ONE);             // x^2 - 2
        QPoly p = a.multiply(b).multiply(b).multiply(b).scale(Rational.of(3));         // 3 (x-1)(x^2-2)^3
        List<QPoly> sf = p.squareFreeDecomposition();
        assertEquals(3, sf.size());
        assertEquals(a, sf.get(0));
        assertEquals(QPoly.ONE, sf.get(1));
        assertEquals(b, sf.get(2));
    }

    @Test
    void weylIsDecidedExactlyIncludingEqualities() {
        // A symmetric PSD: σ(I + A) = 1 + σ(A), every pair an equality |gap| = 1 (irrational eigenvalues)
        Rational[][] a = {{Rational.of(2), Rational.ONE}, {Rational.ONE, Rational.ONE}};
        List<Spectra.WeylPair> eq = Spectra.weyl(Spectra.singularValues(QMatrix.add(QMatrix.identity(2), a)), Spectra.singularValues(a));
        for (Spectra.WeylPair w : eq) {
            assertTrue(w.holds());
            assertTrue(w.equality(), "pair " + w.k());
        }
        // random matrices: Weyl holds, and the exact decision agrees with float arithmetic where that is clear
        Random rnd = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rnd.nextInt(3);
            Rational[][] j = Nets.matrix(rnd, n, n);
            List<Spectra.Singular> with = Spectra.singularValues(QMatrix.add(QMatrix.identity(n), j));
            List<Spectra.Singular> without = Spectra.singularValues(j);
            double[] sw = new SingularValueDecomposition(new Array2DRowRealMatrix(d(QMatrix.add(QMatrix.identity(n), j)))).getSingularValues();
            double[] so = new SingularValueDecomposition(new Array2DRowRealMatrix(d(j))).getSingularValues();
            for (Spectra.WeylPair w : Spectra.weyl(with, without)) {
                assertTrue(w.holds());
                double gap = Math.abs(sw[w.k() - 1] - so[w.k() - 1]);
                assertTrue(gap <= 1 + 1e-12);
                if (gap < 1 - 1e-9) {
                    assertFalse(w.equality());
                }
            }
        }
    }

    @Test
    void certifiedDecimalsOfSquareRootsAndSums() {
        CReal s2 = CReal.sqrt(CReal.of(Rational.of(2)));
        CReal s3 = CReal.sqrt(CReal.of(Rational.of(3)));
        MathContext mc = new MathContext(80);
        BigDecimal want = new BigDecimal(2).sqrt(mc).add(new BigDecimal(3).sqrt(mc)).round(new MathContext(50));
        assertEquals(want.toString(), s2.add(s3).decimal(50));
        assertEquals(Rational.of(3, 2), CReal.sqrt(CReal.of(Rational.of(9, 4))).exact());
        Interval iv = s2.enclosure(30);
        assertTrue(iv.lo().multiply(iv.lo()).compareTo(Rational.of(2)) <= 0);
        assertTrue(iv.hi().multiply(iv.hi()).compareTo(Rational.of(2)) >= 0);
    }
}
