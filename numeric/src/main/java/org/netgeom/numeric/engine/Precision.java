package org.netgeom.numeric.engine;

/**
 * The engine's number format. {@link #F64} is IEEE binary64 throughout. {@link #F32} stores
 * parameters, activations, gradients and optimizer state as binary32 (every stored value is
 * rounded to the nearest float); matrix products run in binary32 fused multiply-adds
 * ({@code Gemm.get32()}: sums over k in float within blocks of 1024, the blocks added in binary64),
 * as an sgemm does, and other sums inside one op (a channel mean, a loss) run in binary64 before
 * their result is rounded.
 */
public enum Precision {
    F64, F32;

    /** Rounds every element to the nearest float, in place. */
    public static void toFloat(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i];
        }
    }

    /** Parses {@code float64|float32} (also f64/f32, double/float). */
    public static Precision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float64", "f64", "double" -> F64;
            case "float32", "f32", "float" -> F32;
            default -> throw org.netgeom.numeric.NumericError.BAD_OPTION.at("--dtype", "--dtype is float64 or float32, not " + s);
        };
    }
}
