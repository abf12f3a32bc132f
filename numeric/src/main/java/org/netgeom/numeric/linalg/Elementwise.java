package org.netgeom.numeric.linalg;

/**
 * Elementwise kernels of the relu family, y = pos·x if x &gt; 0 else neg·x and its derivative
 * (with the value {@code atZero} at x = 0), branch-free: on the Vector API when it is resolved
 * (compare and blend), in plain Java otherwise. Both give identical results.
 */
public abstract class Elementwise {
    private static final Elementwise DEFAULT = pick();

    /** The engine's implementation. */
    public static Elementwise get() {
        return DEFAULT;
    }

    /** The plain-Java implementation. */
    public static Elementwise plain() {
        return new Plain();
    }

    private static Elementwise pick() {
        if (!System.getProperty("netgeom.kernel", "auto").equals("scalar") && Gemm.vectorAvailable()) {
            try {
                return (Elementwise) Class.forName("org.netgeom.numeric.linalg.VectorElementwise").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through
            }
        }
        return new Plain();
    }

    /** y[i] = x[i] &gt; 0 ? pos·x[i] : neg·x[i] (relu: max(x, 0)). */
    public abstract void forward(double[] x, double[] y, double neg, double pos);

    /** gx[i] = d(x[i])·g[i], d = pos for x &gt; 0, neg for x &lt; 0, atZero at 0. */
    public abstract void gradient(double[] x, double[] g, double[] gx, double neg, double pos, double atZero);

    static final class Plain extends Elementwise {
        @Override
        public void forward(double[] x, double[] y, double neg, double pos) {
            if (neg == 0 && pos == 1) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(x[i], 0.0);
                }
                return;
            }
            for (int i = 0; i < y.length; i++) {
                double v = x[i];
                y[i] = v > 0 ? pos * v : neg * v;
            }
        }

        @Override
        public void gradient(double[] x, double[] g, double[] gx, double neg, double pos, double atZero) {
            for (int i = 0; i < gx.length; i++) {
                double v = x[i];
                gx[i] = (v > 0 ? pos : v < 0 ? neg : atZero) * g[i];
            }
        }
    }
}
