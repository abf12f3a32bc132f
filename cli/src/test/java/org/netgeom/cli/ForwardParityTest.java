package org.netgeom.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.netgeom.proofs.junit.Agreement;
import org.netgeom.proofs.junit.CounterexampleExtension;
import org.netgeom.proofs.junit.NetInstance;
import org.netgeom.proofs.junit.RandomModels;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.Forward64;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float64 forward pass (numeric) agrees with the exact one (symbolic) on random rational
 * models of every piecewise-linear op, to 1e-12 relative (float64 rounding only).
 */
@ExtendWith(CounterexampleExtension.class)
class ForwardParityTest {
    /** The same parity on the JUnit extension's random instances (deep, residual and leaky). */
    @ParameterizedTest
    @RandomModels(count = 25, seed = 3, inputs = 3, widths = {3, 3, 3}, outputs = 2, activation = "leaky_relu", residual = true)
    void floatMatchesExactOnGeneratedInstances(NetInstance inst) {
        double[] x = new double[inst.point().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = inst.point()[i].doubleValue();
        }
        Agreement.assertAgrees("f(x)", Forward64.eval(inst.model(), x), ExactForward.eval(inst.model(), inst.point()),
                Agreement.Tolerance.of(1e-12, 1e-12), inst);
    }

    private static String r(Random rnd) {
        return "\"" + (rnd.nextInt(41) - 20) + "/" + (1 + rnd.nextInt(16)) + "\"";
    }

    private static String mat(Random rnd, int rows, int cols) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < cols; j++) {
                sb.append(j == 0 ? "" : ", ").append(r(rnd));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private static String vec(Random rnd, int n) {
        String m = mat(rnd, 1, n);
        return m.substring(1, m.length() - 1);      // [[a, b]] -> [a, b]
    }

    @Test
    void floatMatchesExactOnRandomModels() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            String json = "{\"netgeom\": 1, \"input\": [1, 4, 4], \"layers\": ["
                    + "{\"op\": \"conv2d\", \"weight\": [[" + mat(rnd, 2, 2) + "], [" + mat(rnd, 2, 2) + "]], \"bias\": " + vec(rnd, 2) + ", \"padding\": 1},"
                    + "{\"op\": \"leaky_relu\", \"slope\": " + r(rnd) + "},"
                    + "{\"op\": \"maxpool2d\", \"kernel\": 2},"
                    + "{\"op\": \"batchnorm\", \"mean\": " + vec(rnd, 2) + ", \"var\": [\"3\", \"5/4\"], \"eps\": 1, \"weight\": " + vec(rnd, 2) + "},"
                    + "{\"op\": \"avgpool2d\", \"kernel\": [1, 2]},"
                    + "{\"op\": \"flatten\"},"
                    + "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": " + mat(rnd, 4, 4) + "}, {\"op\": \"abs\"}],"
                    + " \"shortcut\": [{\"op\": \"dense\", \"weight\": " + mat(rnd, 4, 4) + ", \"bias\": " + vec(rnd, 4) + "}]},"
                    + "{\"op\": \"concat\", \"layers\": [{\"op\": \"abrelu\", \"neg\": " + r(rnd) + ", \"pos\": " + r(rnd) + "}]},"
                    + "{\"op\": \"square\"}, {\"op\": \"dense\", \"weight\": " + mat(rnd, 2, 8) + ", \"bias\": " + vec(rnd, 2) + "}]}";
            Model m = IrReader.read(json, null);
            Rational[] x = new Rational[16];
            double[] xd = new double[16];
            for (int i = 0; i < 16; i++) {
                x[i] = Rational.of(rnd.nextInt(201) - 100, 64);      // dyadic: exact in float64 too
                xd[i] = x[i].doubleValue();
            }
            Rational[] exact = ExactForward.eval(m, x);
            double[] f = Forward64.eval(m, xd);
            for (int i = 0; i < exact.length; i++) {
                double want = exact[i].doubleValue();
                assertEquals(want, f[i], 1e-12 * Math.max(1, Math.abs(want)), "trial " + trial + " output " + i);
            }
        }
    }
}
