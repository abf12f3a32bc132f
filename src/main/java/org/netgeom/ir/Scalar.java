package org.netgeom.ir;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A scalar of the IR: an exact {@link Rational} or a free {@link Symbol}. Doubles are never
 * scalars: a double read from a tensor file becomes the rational it exactly denotes.
 *
 * <p>Spellings accepted by {@link #parse(String)} (IR.md, "Scalars"): rationals {@code "3/7"},
 * {@code "-1/2"}; decimals {@code "0.125"}, {@code "1e-3"}, {@code "-.5"}; symbols, a letter then
 * letters, digits or {@code _} ({@code "w1"}, {@code "a_2"}). {@code NaN}, {@code Infinity} and
 * {@code inf} in any letter case are not symbols but invalid scalars.
 */
public sealed interface Scalar permits Rational, Symbol {

    /** True for a rational, false for a symbol. */
    default boolean isNumber() {
        return this instanceof Rational;
    }

    /** This scalar as a rational; throws {@link IrError#IR_UNBOUND_SYMBOL} for a symbol. */
    default Rational rational() {
        if (this instanceof Rational q) {
            return q;
        }
        throw IrError.IR_UNBOUND_SYMBOL.error("free symbol '" + this + "' has no value here (bind it)");
    }

    /** Longest scalar text accepted, so that hostile input cannot make parsing slow. */
    int MAX_TEXT = 4096;

    /**
     * Parses a scalar's text spelling.
     *
     * @throws IllegalArgumentException with a reason, when the text is no scalar
     */
    static Scalar parse(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("scalar text longer than " + MAX_TEXT + " characters");
        }
        if (Symbol.isSymbolName(text)) {
            return new Symbol(text);
        }
        if (Syntax.NON_FINITE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a finite number (NaN and infinities are invalid)");
        }
        return Rational.parse(text);
    }

    /** Scalar syntax shared by the parsers. */
    final class Syntax {
        static final Pattern SYMBOL = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
        static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
        static final Pattern RATIONAL = Pattern.compile("([+-]?[0-9]+)/([0-9]+)");
        static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

        private Syntax() {
        }

        static boolean isReservedWord(String s) {
            String l = s.toLowerCase(Locale.ROOT);
            return l.equals("nan") || l.equals("inf") || l.equals("infinity");
        }

        static BigDecimal decimal(String s) {
            return new BigDecimal(s);
        }
    }
}
