package org.netgeom.symbolic.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.cas.Cas;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact expressions through Symja: H∞'s closed form on rational inputs evaluated by Symja at 50
 * digits against the float64 value (and the certified decimals); the contract's NTK entries as
 * expressions Symja proves equal to 1/π and 3/2 + 1/π; deeper closed forms against the certified
 * decimals.
 */
class ClosedFormTest {
    @AfterAll
    static void stopSymja() {
        Cas.shutdown();
    }

    @Test
    void hInfinityClosedFormAgreesWithFloat64AtFiftyDigits() {
        Rational[][] x = RecursionTest.points(3, 5, 3);
        KernelResult r = Kernels.compute(KernelKind.H_INFINITY, x, null, KernelOptions.defaults().withClosedForm(true));
        double[][] dbl = DoubleKernels.hInfinity(DoubleKernels.doubles(x));
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                BigDecimal v = Cas.get().decimal(r.expressions()[i][j], 50);
                assertEquals(dbl[i][j], v.doubleValue(), 1e-14 * Math.max(1, Math.abs(dbl[i][j])),
                        "H∞[" + i + "][" + j + "] = " + r.expressions()[i][j]);
                CertifiedDecimalsTest.assertDigits(v, r.matrix()[i][j], 29, "certified H∞[" + i + "][" + j + "]");
                assertTrue(r.expressions()[i][j].matches("[-+*/^()0-9A-Za-z ]+"), r.expressions()[i][j]);
            }
        }
    }

    @Test
    void contractEntriesAreExactlyOneOverPiAndThreeHalvesPlusOneOverPi() {
        KernelResult r = Kernels.compute(KernelKind.NTK, CertifiedDecimalsTest.POINTS, Architecture.relu(1),
                KernelOptions.defaults().withClosedForm(true));
        assertEquals("0", Cas.get().eval("Simplify((" + r.expressions()[0][1] + ")-1/Pi)"));
        assertEquals("0", Cas.get().eval("Simplify((" + r.expressions()[0][2] + ")-(3/2+1/Pi))"));
        assertEquals("4", r.expressions()[2][2]);
        assertTrue(r.latex()[0][1].contains("\\pi"), r.latex()[0][1]);
    }

    @Test
    void deeperClosedFormsEvaluateToTheCertifiedDecimals() {
        Rational[][] x = RecursionTest.points(4, 3, 2);
        for (String act : new String[]{"relu", "abrelu:-1/3,1", "erf"}) {
            Architecture arch = new Architecture(Activation.parse(act), 3, Rational.of(3, 2), Rational.of(1, 5));
            KernelResult r = Kernels.compute(KernelKind.NTK, x, arch, KernelOptions.defaults().withClosedForm(true));
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    BigDecimal v = Cas.get().decimal(r.expressions()[i][j], 45);
                    CertifiedDecimalsTest.assertDigits(v, r.matrix()[i][j], 29, act + " NTK[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void quadratureActivationsHaveNoClosedForm() {
        Architecture tanh = new Architecture(Activation.parse("tanh"), 1, Rational.ONE, Rational.ZERO);
        NetgeomException e = assertThrows(NetgeomException.class, () -> Kernels.compute(KernelKind.NNGP,
                CertifiedDecimalsTest.POINTS, tanh, KernelOptions.defaults().withClosedForm(true)));
        assertEquals(SymbolicError.NOT_EXACT, e.code());
    }
}
