package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;

import java.util.Arrays;

/**
 * An exact affine map u ↦ A u + b from Q^k to Q^m, immutable: A is {@code [m][k]} (outputs by
 * variables), b has m entries. Equality is exact.
 */
public final class AffineMap {
    private final Rational[][] a;
    private final Rational[] b;

    public AffineMap(Rational[][] a, Rational[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " rows in A, " + b.length + " entries in b");
        }
        this.a = new Rational[a.length][];
        for (int i = 0; i < a.length; i++) {
            this.a[i] = a[i].clone();
        }
        this.b = b.clone();
    }

    /** The identity of Q^k. */
    public static AffineMap identity(int k) {
        Rational[][] a = new Rational[k][k];
        Rational[] b = new Rational[k];
        for (int i = 0; i < k; i++) {
            Arrays.fill(a[i], Rational.ZERO);
            a[i][i] = Rational.ONE;
            b[i] = Rational.ZERO;
        }
        return new AffineMap(a, b);
    }

    /**
     * The affine slice u ↦ origin + Σ u_j dir_j of Q^n (the columns of A are the directions).
     */
    public static AffineMap slice(Rational[] origin, Rational[]... dirs) {
        int n = origin.length;
        Rational[][] a = new Rational[n][dirs.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dirs.length; j++) {
                if (dirs[j].length != n) {
                    throw new IllegalArgumentException("direction " + (j + 1) + " has " + dirs[j].length + " entries, the origin " + n);
                }
                a[i][j] = dirs[j][i];
            }
        }
        return new AffineMap(a, origin);
    }

    /** m, the number of outputs. */
    public int outputs() {
        return a.length;
    }

    /** k, the number of variables. */
    public int variables() {
        return a.length == 0 ? 0 : a[0].length;
    }

    /** A (a copy). */
    public Rational[][] a() {
        Rational[][] out = new Rational[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /** b (a copy). */
    public Rational[] b() {
        return b.clone();
    }

    public Rational a(int i, int j) {
        return a[i][j];
    }

    public Rational b(int i) {
        return b[i];
    }

    /** A u + b, exactly. */
    public Rational[] apply(Rational[] u) {
        Rational[] out = new Rational[a.length];
        for (int i = 0; i < a.length; i++) {
            Rational s = b[i];
            for (int j = 0; j < u.length; j++) {
                s = s.add(a[i][j].multiply(u[j]));
            }
            out[i] = s;
        }
        return out;
    }

    /** This map after {@code inner}: u ↦ A (inner(u)) + b. */
    public AffineMap compose(AffineMap inner) {
        int m = a.length;
        int k = inner.variables();
        Rational[][] c = new Rational[m][k];
        Rational[] d = new Rational[m];
        for (int i = 0; i < m; i++) {
            Rational s = b[i];
            for (int l = 0; l < inner.outputs(); l++) {
                s = s.add(a[i][l].multiply(inner.b[l]));
            }
            d[i] = s;
            for (int j = 0; j < k; j++) {
                Rational t = Rational.ZERO;
                for (int l = 0; l < inner.outputs(); l++) {
                    t = t.add(a[i][l].multiply(inner.a[l][j]));
                }
                c[i][j] = t;
            }
        }
        return new AffineMap(c, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffineMap m && Arrays.deepEquals(m.a, a) && Arrays.equals(m.b, b);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(a) * 31 + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "A " + Arrays.deepToString(a) + ", b " + Arrays.toString(b);
    }
}
