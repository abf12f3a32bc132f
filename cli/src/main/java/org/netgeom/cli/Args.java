package org.netgeom.cli;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Symbol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Option values as IR scalars: every numeric option takes {@code "3/7"}, {@code "0.25"},
 * {@code "1e-3"}; lists are comma-separated ({@code --at=-1/2,0.25}: the {@code =} form lets a
 * value start with a minus sign).
 */
public final class Args {
    private Args() {
    }

    /** A comma-separated list of exact numbers. */
    public static Rational[] rationals(String text, String option) {
        if (text == null || text.isBlank()) {
            throw IrError.IR_BAD_SCALAR.at(option, option + " needs a comma-separated list of numbers");
        }
        String[] parts = text.split(",", -1);
        Rational[] out = new Rational[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = rational(parts[i].trim(), option + "[" + i + "]");
        }
        return out;
    }

    /** One exact number. */
    public static Rational rational(String text, String where) {
        Scalar s;
        try {
            s = Scalar.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw IrError.IR_BAD_SCALAR.at(where, text.isEmpty() ? "empty value" : e.getMessage());
        }
        if (s instanceof Symbol) {
            throw IrError.IR_BAD_SCALAR.at(where, "'" + text + "' is a symbol name; a number is needed here");
        }
        return (Rational) s;
    }

    /** {@code w1=1/2,w2=3} as a map from symbol to value. */
    public static Map<String, Rational> bindings(String text) {
        Map<String, Rational> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            if (eq < 0 || !Symbol.isSymbolName(name)) {
                throw IrError.IR_BAD_SCALAR.at("--bind", "'" + part + "' is not name=value (for example w1=1/2)");
            }
            out.put(name, rational(part.substring(eq + 1).trim(), "--bind " + name));
        }
        return out;
    }
}
