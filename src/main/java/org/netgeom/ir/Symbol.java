package org.netgeom.ir;

/**
 * A free parameter of a model, for symbolic analysis: a letter, then letters, digits or
 * {@code _}. Numeric engines refuse a model with free symbols unless values are bound for them
 * ({@link Binder}).
 */
public record Symbol(String name) implements Scalar {

    public Symbol {
        if (!isSymbolName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a symbol name");
        }
    }

    /** True when {@code s} spells a symbol (and is not NaN, inf or Infinity in any case). */
    public static boolean isSymbolName(String s) {
        return s != null && Scalar.Syntax.SYMBOL.matcher(s).matches() && !Scalar.Syntax.isReservedWord(s);
    }

    @Override
    public String toString() {
        return name;
    }
}
