package org.netgeom.symbolic.poly;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The domain of an enumeration: a bounded convex polytope of Q^k with non-empty interior, a box
 * prod [lo_j, hi_j] or {u : A u ≤ b}. Cells are open subsets of its interior. Its constraints
 * are forms g_i(u) ≥ 0: for a box, g_{2j} = u_j − lo_j and g_{2j+1} = hi_j − u_j; for a
 * polytope, g_i = b_i − A_i·u.
 */
public final class Domain {
    private final int k;
    private final List<Form> cons;
    private final Rational[] lo;       // the bounding box (the box itself for boxes)
    private final Rational[] hi;
    private final boolean isBox;

    private Domain(int k, List<Form> cons, Rational[] lo, Rational[] hi, boolean isBox) {
        this.k = k;
        this.cons = Collections.unmodifiableList(cons);
        this.lo = lo;
        this.hi = hi;
        this.isBox = isBox;
    }

    /** The box prod [lo_j, hi_j]; needs lo_j &lt; hi_j. */
    public static Domain box(Rational[] lo, Rational[] hi) {
        if (lo.length != hi.length || lo.length == 0) {
            throw IrError.BAD_INPUT.error("a box needs as many lower as upper bounds, at least one of each");
        }
        for (int j = 0; j < lo.length; j++) {
            if (lo[j].compareTo(hi[j]) >= 0) {
                throw IrError.BAD_INPUT.error("the box is empty in coordinate " + (j + 1) + ": " + lo[j] + " is not below " + hi[j]);
            }
        }
        return new Domain(lo.length, ExactLp.boxForms(lo, hi), lo.clone(), hi.clone(), true);
    }

    /**
     * The polytope {u : A u ≤ b}; a coded error when it is unbounded or has an empty interior
     * (decided by exact LP).
     */
    public static Domain polytope(Rational[][] a, Rational[] b) {
        if (a.length == 0 || a.length != b.length) {
            throw IrError.BAD_INPUT.error("a polytope needs as many rows in A as entries in b, at least one");
        }
        int k = a[0].length;
        List<Form> cons = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != k || k == 0) {
                throw IrError.BAD_INPUT.at("A[" + i + "]", "every row of A needs " + k + " entries (one per variable)");
            }
            Rational[] neg = new Rational[k];
            for (int j = 0; j < k; j++) {
                neg[j] = a[i][j].negate();
            }
            cons.add(Form.of(neg, b[i]));
        }
        boolean[] strict = new boolean[cons.size()];
        Arrays.fill(strict, true);
        if (!ExactLp.maxMargin(withCap(cons, k), strictWithCap(strict, k)).feasible()) {
            throw IrError.BAD_INPUT.error("the polytope A u <= b has an empty interior");
        }
        Rational[] lo = new Rational[k];
        Rational[] hi = new Rational[k];
        for (int j = 0; j < k; j++) {
            Rational[] e = new Rational[k];
            Arrays.fill(e, Rational.ZERO);
            e[j] = Rational.ONE;
            ExactLp.Optimum up = ExactLp.maximize(cons, e);
            e[j] = Rational.MINUS_ONE;
            ExactLp.Optimum down = ExactLp.maximize(cons, e);
            if (up.status() != ExactLp.Status.OPTIMAL || down.status() != ExactLp.Status.OPTIMAL) {
                throw IrError.BAD_INPUT.error("the polytope A u <= b is unbounded in coordinate " + (j + 1)
                        + "; regions need a bounded domain");
            }
            hi[j] = up.value();
            lo[j] = down.value().negate();
        }
        return new Domain(k, cons, lo, hi, false);
    }

    // the margin LP needs bounded variables; a huge box adds nothing but boundedness
    private static List<Form> withCap(List<Form> cons, int k) {
        List<Form> out = new ArrayList<>(cons);
        Rational big = Rational.of(java.math.BigInteger.TEN.pow(60));
        Rational[] lo = new Rational[k];
        Rational[] hi = new Rational[k];
        Arrays.fill(lo, big.negate());
        Arrays.fill(hi, big);
        out.addAll(ExactLp.boxForms(lo, hi));
        return out;
    }

    private static boolean[] strictWithCap(boolean[] strict, int k) {
        boolean[] s = Arrays.copyOf(strict, strict.length + 2 * k);
        return s;
    }

    public int dimension() {
        return k;
    }

    /** The constraints g_i(u) ≥ 0 (strict on the interior). */
    public List<Form> constraints() {
        return cons;
    }

    public boolean isBox() {
        return isBox;
    }

    /** The lower corner of the box (of the bounding box for a polytope), exact. */
    public Rational[] lower() {
        return lo.clone();
    }

    /** The upper corner of the box (of the bounding box for a polytope), exact. */
    public Rational[] upper() {
        return hi.clone();
    }

    /** The starting cell: the domain's interior, in the representation asked for. */
    Polytope initial(Options.Mode mode, Options.Arithmetic arith) {
        boolean exact = arith != Options.Arithmetic.FLOAT64;
        boolean filter = arith == Options.Arithmetic.EXACT;
        if (mode == Options.Mode.LP) {
            if (!exact) {
                throw IrError.BAD_INPUT.error("the float64 run needs the vertex mode");
            }
            Rational[] c = new Rational[k];
            for (int j = 0; j < k; j++) {
                c[j] = lo[j].add(hi[j]).divide(Rational.TWO);
            }
            Point w = new Point(c);
            if (!isBox) {
                boolean[] strict = new boolean[cons.size()];
                Arrays.fill(strict, true);
                w = new Point(ExactLp.maxMargin(cons, strict).point());
            }
            return new LpPolytope(new ArrayList<>(cons), w);
        }
        Form[] boxForms = (exact ? ExactLp.boxForms(lo, hi) : floatBox()).toArray(new Form[0]);
        int[] boxLabels = new int[2 * k];
        for (int i = 0; i < boxLabels.length; i++) {
            boxLabels[i] = isBox ? -(1 + i) : Cell.BOUNDING_BOX;
        }
        Polytope p;
        if (k == 2) {
            Point[] c = {corner(0, exact), corner(1, exact), corner(3, exact), corner(2, exact)};
            // counter-clockwise from (lo0, lo1): edges y >= lo1, x <= hi0, y <= hi1, x >= lo0
            Form[] e = {boxForms[2], boxForms[1], boxForms[3], boxForms[0]};
            int[] l = {boxLabels[2], boxLabels[1], boxLabels[3], boxLabels[0]};
            p = Polygon.box(c, e, l, filter);
        } else {
            p = VPolytope.box(k, m -> corner(m, exact), boxForms, boxLabels, filter);
        }
        if (!isBox) {
            Stats ignored = new Stats();
            for (int i = 0; i < cons.size(); i++) {
                Form f = exact ? cons.get(i) : toFloat(cons.get(i));
                Polytope q = p.cut(f, -(1 + i), ignored);
                if (q == null) {
                    throw new IllegalStateException("a polytope with non-empty interior lost its interior");
                }
                p = q;
            }
        }
        return p;
    }

    private Point corner(int m, boolean exact) {
        Rational[] c = new Rational[k];
        for (int j = 0; j < k; j++) {
            c[j] = ((m >> j) & 1) == 0 ? lo[j] : hi[j];
        }
        if (exact) {
            return Point.trusted(c);
        }
        double[] d = new double[k];
        for (int j = 0; j < k; j++) {
            d[j] = c[j].doubleValue();
        }
        return Point.ofDoubles(d);
    }

    private List<Form> floatBox() {
        List<Form> out = new ArrayList<>();
        for (Form f : ExactLp.boxForms(lo, hi)) {
            out.add(toFloat(f));
        }
        return out;
    }

    private static Form toFloat(Form f) {
        double[] d = new double[f.variables() + 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = f.approx(i);
        }
        return Form.ofDoubles(d);
    }

    /** True when u lies strictly inside (exactly). */
    public boolean containsStrictly(Rational[] u) {
        for (Form f : cons) {
            if (f.signAt(u) <= 0) {
                return false;
            }
        }
        return true;
    }
}
