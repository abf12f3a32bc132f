package org.netgeom.proofs.junit;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;
import org.opentest4j.AssertionFailedError;

import java.lang.annotation.Annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assertions fail when they should, and say what reproduces the failure. */
class AgreementTest {
    private static RandomModels spec(long seed) {
        return new RandomModels() {
            public Class<? extends Annotation> annotationType() {
                return RandomModels.class;
            }

            public int count() {
                return 3;
            }

            public long seed() {
                return seed;
            }

            public int inputs() {
                return 2;
            }

            public int[] widths() {
                return new int[]{2};
            }

            public int outputs() {
                return 1;
            }

            public String activation() {
                return "relu";
            }

            public boolean residual() {
                return false;
            }

            public int numerator() {
                return 8;
            }

            public int denominator() {
                return 4;
            }
        };
    }

    @Test
    void toleranceIsEnforcedAndTheMessageCarriesTheModel() {
        NetInstance inst = RandomModelsProvider.instance(spec(5), 0);
        Agreement.assertAgrees("q", 0.1, Rational.of(1, 10), Agreement.Tolerance.relative(0), inst);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Agreement.assertAgrees("q", 0.1 + 1e-9, Rational.of(1, 10), Agreement.Tolerance.relative(1e-12), inst));
        assertTrue(e.getMessage().contains("\"netgeom\": 1") && e.getMessage().contains("counterexample"), e.getMessage());
        assertThrows(AssertionFailedError.class,
                () -> Agreement.assertAgrees("q", Double.NaN, Rational.ZERO, Agreement.Tolerance.of(1, 1), inst));
    }

    @Test
    void instancesAreDeterministicPerSeed() {
        assertEquals(RandomModelsProvider.instance(spec(5), 1).toIr(), RandomModelsProvider.instance(spec(5), 1).toIr());
        assertNotEquals(RandomModelsProvider.instance(spec(5), 1).toIr(), RandomModelsProvider.instance(spec(6), 1).toIr());
    }
}
