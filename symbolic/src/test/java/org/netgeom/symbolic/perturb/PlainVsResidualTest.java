package org.netgeom.symbolic.perturb;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.loss.Nets;
import org.netgeom.symbolic.linalg.QMatrix;
import org.netgeom.symbolic.linalg.Spectra;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain layer relu(Wx + b) and its residual twin x + relu(Wx + b) with the same weights, on 120
 * random instances (n = 3, entries p/q with q ≤ 4 and |p/q| ≤ 1, as a small-weight regime, and
 * a wide regime with |p/q| ≤ 4): the local factors are D W and I + D W (checked against the
 * test's own D and W), their singular values agree with Hipparchus' float64 SVD, Weyl's
 * inequality |σ_k(I + DW) − σ_k(DW)| ≤ 1 holds for every k (decided exactly), and D W is singular
 * exactly when a unit is inactive or W is singular. The condition numbers observed are printed;
 * docs/perturbation.md reports them.
 */
class PlainVsResidualTest {
    private static final int N = 3;

    private static double[][] d(Rational[][] m) {
        double[][] out = new double[m.length][m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                out[i][j] = m[i][j].doubleValue();
            }
        }
        return out;
    }

    private static Rational small(Random r) {
        int q = 1 + r.nextInt(4);
        return Rational.of(r.nextInt(2 * q + 1) - q, q);
    }

    @Test
    void residualTwinsOnRandomInstances() {
        Random rnd = new Random(2022);
        Stats[] stats = {new Stats("|w| <= 1"), new Stats("|w| <= 4")};
        int equalities = 0;
        int instances = 0;
        for (int trial = 0; trial < 120; trial++) {
            boolean wide = trial >= 60;
            Stats st = stats[wide ? 1 : 0];
            Rational[][] w = new Rational[N][N];
            Rational[] b = new Rational[N];
            Rational[] x = new Rational[N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    w[i][j] = wide ? Nets.q(rnd) : small(rnd);
                }
                b[i] = small(rnd);
                x[i] = Nets.q(rnd);
            }
            Layer.Dense dense = Nets.dense(w, b);
            Model plain = new Model("plain", Shape.of(N), List.of(dense, Layer.AbRelu.relu(null)));
            Model res = new Model("res", Shape.of(N), List.of(new Layer.Residual(null, List.of(dense, Layer.AbRelu.relu(null)), null)));
            List<Factors.Factor> pf = Factors.at(plain, x);
            List<Factors.Factor> rf = Factors.at(res, x);
            assertEquals(1, pf.size());
            assertEquals(1, rf.size());
            assertEquals(Factors.Kind.RESIDUAL, rf.get(0).kind());

            // the test's own D W: D = diag(1 if (Wx + b)_i > 0 else 0)
            Rational[][] dw = new Rational[N][N];
            boolean inactive = false;
            for (int i = 0; i < N; i++) {
                Rational z = ExactMatrices.dot(w[i], x).add(b[i]);
                boolean on = z.signum() > 0;
                inactive |= !on;
                for (int j = 0; j < N; j++) {
                    dw[i][j] = on ? w[i][j] : Rational.ZERO;
                }
            }
            for (int i = 0; i < N; i++) {
                assertArrayEquals(dw[i], pf.get(0).block()[i], "plain factor = D W");
                assertArrayEquals(dw[i], rf.get(0).body()[i], "residual body = D W");
                Rational[] want = dw[i].clone();
                want[i] = want[i].add(Rational.ONE);
                assertArrayEquals(want, rf.get(0).block()[i], "residual block = I + D W");
            }

            List<Spectra.Singular> sPlain = Spectra.singularValues(pf.get(0).block());
            List<Spectra.Singular> sRes = Spectra.singularValues(rf.get(0).block());
            double[] refPlain = new SingularValueDecomposition(new Array2DRowRealMatrix(d(dw))).getSingularValues();
            double[] refRes = new SingularValueDecomposition(new Array2DRowRealMatrix(d(rf.get(0).block()))).getSingularValues();
            for (int k = 0; k < N; k++) {
                assertEquals(refPlain[k], Double.parseDouble(sPlain.get(k).value().decimal(20)), 1e-9 * Math.max(1, refPlain[k]));
                assertEquals(refRes[k], Double.parseDouble(sRes.get(k).value().decimal(20)), 1e-9 * Math.max(1, refRes[k]));
            }
            for (Spectra.WeylPair p : Spectra.weyl(sRes, sPlain)) {
                assertTrue(p.holds(), "Weyl pair " + p.k() + " of instance " + trial);
                equalities += p.equality() ? 1 : 0;
            }

            boolean singularW = QMatrix.rank(w) < N;
            boolean pSing = sPlain.get(N - 1).isZero();
            assertEquals(inactive || singularW, pSing, "D W is singular iff a unit is off or W is singular");
            double kp = pSing ? Double.POSITIVE_INFINITY : refPlain[0] / refPlain[N - 1];
            double kr = sRes.get(N - 1).isZero() ? Double.POSITIVE_INFINITY : refRes[0] / refRes[N - 1];
            st.add(kp, kr, refPlain, refRes);
            instances++;
        }
        assertEquals(120, instances);
        System.out.printf("PlainVsResidualTest: %d instances (n = %d), Weyl held in every pair, %d pairs with equality%n",
                instances, N, equalities);
        for (Stats st : stats) {
            System.out.println("  " + st);
            assertTrue(st.plainSingular > st.resSingular, "skip connections make the local factor singular less often");
        }
    }

    /** Condition numbers and singular values observed in one weight regime. */
    private static final class Stats {
        final String name;
        final List<Double> kPlain = new ArrayList<>();
        final List<Double> kRes = new ArrayList<>();
        final List<Double> minRes = new ArrayList<>();
        final List<Double> maxRes = new ArrayList<>();
        final List<Double> maxPlain = new ArrayList<>();
        int plainSingular;
        int resSingular;
        int resBetter;
        int bothFinite;
        int bothFiniteResBetter;
        int n;

        Stats(String name) {
            this.name = name;
        }

        void add(double kp, double kr, double[] sp, double[] sr) {
            n++;
            kPlain.add(kp);
            kRes.add(kr);
            plainSingular += Double.isInfinite(kp) ? 1 : 0;
            resSingular += Double.isInfinite(kr) ? 1 : 0;
            resBetter += kr < kp ? 1 : 0;
            if (!Double.isInfinite(kp) && !Double.isInfinite(kr)) {
                bothFinite++;
                bothFiniteResBetter += kr < kp ? 1 : 0;
            }
            minRes.add(sr[sr.length - 1]);
            maxRes.add(sr[0]);
            maxPlain.add(sp[0]);
        }

        @Override
        public String toString() {
            return String.format("%s: %d instances; kappa(DW) infinite in %d, kappa(I+DW) infinite in %d; kappa(I+DW) < kappa(DW) in %d "
                            + "(both finite in %d, of which I+DW smaller in %d); "
                            + "median kappa DW %s, I+DW %s; 90th pct kappa I+DW %s; median sigma_min(I+DW) %.3f, "
                            + "median sigma_max DW %.3f, I+DW %.3f",
                    name, n, plainSingular, resSingular, resBetter, bothFinite, bothFiniteResBetter, fmt(percentile(kPlain, 0.5)), fmt(percentile(kRes, 0.5)),
                    fmt(percentile(kRes, 0.9)), percentile(minRes, 0.5), percentile(maxPlain, 0.5), percentile(maxRes, 0.5));
        }

        private static String fmt(double x) {
            return Double.isInfinite(x) ? "inf" : String.format("%.3f", x);
        }
    }

    private static double percentile(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
    }
}
