package org.netgeom.ir;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The IR's scalar spellings (IR.md, "Scalars"). */
class ScalarTest {
    @ParameterizedTest
    @CsvSource({"w1, w1", "a_2, a_2", "x, x", "Nan2, Nan2", "infinite, infinite", "E, E"})
    void symbols(String text, String name) {
        assertEquals(new Symbol(name), assertInstanceOf(Symbol.class, Scalar.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN", "Infinity", "-Infinity", "+inf", "INF", "infinity", "iNf",
        "1/0", "_a", "a-b", "x y", "", "1.2.3"})
    void invalid(String text) {
        assertThrows(IllegalArgumentException.class, () -> Scalar.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"3/7, 3/7", "-1/2, -1/2", "0.125, 1/8", "1e-3, 1/1000"})
    void numbers(String text, String value) {
        assertEquals(Rational.parse(value), assertInstanceOf(Rational.class, Scalar.parse(text)));
    }
}
