package org.netgeom.symbolic.poly;

import org.netgeom.ir.Rational;

import java.util.Arrays;

/**
 * An exact point of Q^k with its nearest-double coordinates (used by the floating-point filter
 * of {@link Form#signAt(Point)}; a point whose non-zero coordinate underflows or overflows in
 * double carries no doubles, so every predicate on it is decided in rational arithmetic).
 */
public final class Point {
    final Rational[] q;
    final double[] d;       // null when some coordinate has no faithful double

    public Point(Rational[] q) {
        this.q = q.clone();
        this.d = doubles(this.q);
    }

    private Point(Rational[] q, double[] d) {
        this.q = q;
        this.d = d;
    }

    /** A point known only in double (float64 mode: no exact coordinates). */
    static Point ofDoubles(double[] d) {
        return new Point(null, d);
    }

    static Point trusted(Rational[] q) {
        return new Point(q, doubles(q));
    }

    private static double[] doubles(Rational[] q) {
        double[] d = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            double x = q[i].doubleValue();
            if (!Double.isFinite(x) || (x == 0) != q[i].isZero() || Math.abs(x) > 1e300
                    || (x != 0 && Math.abs(x) < 1e-290)) {
                return null;
            }
            d[i] = x;
        }
        return d;
    }

    public int dimension() {
        return q != null ? q.length : d.length;
    }

    /** The exact coordinates (a copy); null for a float64-mode point. */
    public Rational[] coordinates() {
        return q == null ? null : q.clone();
    }

    public Rational get(int i) {
        return q[i];
    }

    /** The coordinates as doubles (nearest doubles of the exact ones). */
    public double[] approx() {
        if (d != null) {
            return d.clone();
        }
        double[] out = new double[q.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = q[i].doubleValue();
        }
        return out;
    }

    double approx(int i) {
        return d != null ? d[i] : q[i].doubleValue();
    }

    boolean isExact() {
        return q != null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Point p)) {
            return false;
        }
        return q != null ? Arrays.equals(q, p.q) : Arrays.equals(d, p.d);
    }

    @Override
    public int hashCode() {
        return q != null ? Arrays.hashCode(q) : Arrays.hashCode(d);
    }

    @Override
    public String toString() {
        return q != null ? Arrays.toString(q) : Arrays.toString(d);
    }
}
