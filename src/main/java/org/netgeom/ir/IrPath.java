package org.netgeom.ir;

/**
 * A JSON path in the form error messages use: {@code layers[2].weight[1][0]},
 * {@code layers[3].shortcut[0].bias}. Immutable; the root is the empty path.
 */
public final class IrPath {
    public static final IrPath ROOT = new IrPath("");

    private final String text;

    private IrPath(String text) {
        this.text = text;
    }

    public static IrPath of(String text) {
        return text == null || text.isEmpty() ? ROOT : new IrPath(text);
    }

    public IrPath key(String key) {
        return new IrPath(text.isEmpty() ? key : text + "." + key);
    }

    public IrPath index(int i) {
        return new IrPath(text + "[" + i + "]");
    }

    /**
     * The selector {@link Model#locate} takes for this layer path: {@code layers[3].shortcut[0]} is
     * {@code 3.shortcut.0} (a path into a layer's tensors is not a layer path and is returned as it is).
     */
    public String selector() {
        return text.replaceFirst("^layers\\[(\\d+)]", "$1").replaceAll("\\.(layers|shortcut)\\[(\\d+)]", ".$1.$2");
    }

    public boolean isRoot() {
        return text.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IrPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
