package org.netgeom.symbolic.linalg;

import org.netgeom.ir.Rational;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A real algebraic number, exactly: a square-free polynomial p with rational coefficients and an
 * isolating interval (lo, hi] that holds exactly one root of p and whose right end is no root, or
 * the root itself when it is rational and has been recognised. Refinement is exact bisection
 * (the sign of p at a rational is decided exactly); rational roots are recognised by testing the
 * simplest rational of the interval (Stern–Brocot), so a root such as 1/3, which bisection never
 * hits, is still found exactly.
 *
 * <p>Roots are found by {@link #roots(QPoly)}: Descartes' rule of signs with bisection
 * ({@link Descartes}) isolates them inside Cauchy's bound.
 */
public final class RealRoot extends CReal {
    private final QPoly p;
    private Rational lo;
    private Rational hi;
    private Rational exact;
    private boolean decided;
    private int sinceCheck;

    private RealRoot(QPoly p, Rational lo, Rational hi) {
        this.p = p;
        this.lo = lo;
        this.hi = hi;
    }

    /** The rational q as a root of x − q. */
    public static RealRoot rational(Rational q) {
        RealRoot r = new RealRoot(QPoly.linear(q), q, q);
        r.exact = q;
        return r;
    }

    /** The distinct real roots of p (any non-zero polynomial), increasing. */
    public static List<RealRoot> roots(QPoly p) {
        List<RealRoot> out = new ArrayList<>();
        if (p.degree() <= 0) {
            return out;
        }
        QPoly sf = p.squareFree();
        if (sf.degree() == 1) {
            out.add(rational(sf.coeff(0).negate().divide(sf.coeff(1))));
            return out;
        }
        Rational b = sf.rootBound();
        for (Descartes.Isolated iso : Descartes.isolate(sf, b.negate(), b)) {
            RealRoot r = new RealRoot(sf, iso.lo(), iso.hi());
            if (iso.exact()) {
                r.exact = iso.lo();
            }
            out.add(r);
        }
        return out;
    }

    /** The defining square-free polynomial. */
    public QPoly poly() {
        return p;
    }

    /**
     * The root when it is known to be rational, else null. With L the leading coefficient of p's
     * primitive integer form, a rational root a/b has b | L, and two distinct rationals with
     * denominators ≤ L are at least 1/L² apart; so once the interval is narrower than 1/L², its
     * simplest rational is the only candidate, and p(candidate) = 0 settles it. That refinement is
     * done when L has at most 64 bits (then null means irrational); for larger L the simplest
     * rational is tested along 96 bisections only, so a rational root with a huge denominator
     * may stay unrecognised (its decimals are certified all the same).
     */
    @Override
    public synchronized Rational exact() {
        if (exact == null && !decided) {
            BigInteger l = p.primitive().lead().numerator();
            if (l.bitLength() <= 64) {
                Rational w = Rational.of(BigInteger.ONE, l.multiply(l).add(BigInteger.ONE));
                while (exact == null && hi.subtract(lo).compareTo(w) >= 0) {
                    bisect();
                }
            } else {
                for (int k = 0; k < 96 && exact == null; k++) {
                    bisect();
                }
            }
            checkRational();
            decided = true;
        }
        return exact;
    }

    /** The current isolating interval [lo, hi] (a point when the root is known exactly). */
    public synchronized Interval current() {
        return exact != null ? Interval.point(exact) : new Interval(lo, hi);
    }

    /** Halves the isolating interval once (or finds the root exactly). */
    synchronized void bisect() {
        if (exact != null) {
            return;
        }
        Rational m = lo.add(hi).multiply(Rational.HALF);
        int sm = p.signAt(m);
        if (sm == 0) {
            exact = m;
            lo = hi = m;
            return;
        }
        if (sm == p.signAt(hi)) {
            hi = m;
        } else {
            lo = m;
        }
        if (++sinceCheck >= 24) {
            sinceCheck = 0;
            checkRational();
        }
    }

    private void checkRational() {
        if (exact != null) {
            return;
        }
        Rational q = simplestBetween(lo, hi);
        if (q != null && q.compareTo(lo) > 0 && p.signAt(q) == 0) {
            exact = q;
            lo = hi = q;
        }
    }

    @Override
    public synchronized Interval enclose(int bits) {
        Rational w = Rational.of(BigInteger.ONE, BigInteger.ONE.shiftLeft(Math.max(bits, 0)));
        while (exact == null && hi.subtract(lo).compareTo(w) > 0) {
            bisect();
        }
        return current();
    }

    /** −1, 0 or 1 as this root is below, at or above q, decided exactly. */
    public int compareTo(Rational q) {
        synchronized (this) {
            if (exact != null) {
                return exact.compareTo(q);
            }
            if (q.compareTo(lo) <= 0) {
                return 1;                        // the root lies in (lo, hi]
            }
            if (q.compareTo(hi) <= 0 && p.signAt(q) == 0) {
                exact = q;
                lo = hi = q;
                return 0;
            }
        }
        while (true) {
            Interval iv = current();
            if (iv.hi().compareTo(q) < 0) {
                return -1;
            }
            if (iv.lo().compareTo(q) > 0) {
                return 1;
            }
            if (exact != null) {
                return exact.compareTo(q);
            }
            bisect();
        }
    }

    /**
     * −1, 0 or 1 as this root is below, equal to or above {@code o}, decided exactly: refinement
     * separates different numbers; two equal ones are recognised because their common value is a
     * root of gcd(p, q) lying in both isolating intervals (and any root of that gcd in both
     * intervals is both numbers, each being the only root of its polynomial there).
     */
    public int compareTo(RealRoot o) {
        if (this == o) {
            return 0;
        }
        Rational ex = exact();
        Rational ey = o.exact();
        if (ex != null && ey != null) {
            return ex.compareTo(ey);
        }
        if (ex != null) {
            return -o.compareTo(ex);
        }
        if (ey != null) {
            return compareTo(ey);
        }
        QPoly g = null;
        while (true) {
            Interval a = current();
            Interval b = o.current();
            if (a.hi().compareTo(b.lo()) <= 0) {
                return -1;
            }
            if (b.hi().compareTo(a.lo()) <= 0) {
                return 1;
            }
            if (g == null) {
                g = ModularGcd.gcd(p, o.p).squareFree();
            }
            Rational lo = a.lo().max(b.lo());
            Rational hi = a.hi().min(b.hi());
            if (g.degree() >= 1 && lo.compareTo(hi) < 0 && Descartes.count(g, lo, hi) >= 1) {
                return 0;
            }
            bisect();
            o.bisect();
        }
    }

    /**
     * The simplest rational (smallest denominator) in the open interval (a, b), by the
     * Stern–Brocot descent; null when a ≥ b.
     */
    static Rational simplestBetween(Rational a, Rational b) {
        if (a.compareTo(b) >= 0) {
            return null;
        }
        if (a.signum() < 0 && b.signum() > 0) {
            return Rational.ZERO;
        }
        if (b.signum() <= 0) {
            Rational r = simplestBetween(b.negate(), a.negate());
            return r == null ? null : r.negate();
        }
        // 0 <= a < b: the continued-fraction descent x = n + 1/y
        Rational n = Rational.of(a.floor());
        if (n.add(Rational.ONE).compareTo(b) < 0) {
            return n.add(Rational.ONE);              // the smallest integer above a is below b
        }
        if (a.compareTo(n) == 0) {                   // (n, b) with b <= n + 1: y in (1/(b - n), oo)
            Rational y = Rational.of(b.subtract(n).reciprocal().floor().add(BigInteger.ONE));
            return n.add(y.reciprocal());
        }
        Rational y = simplestBetween(b.subtract(n).reciprocal(), a.subtract(n).reciprocal());
        return y == null ? null : n.add(y.reciprocal());
    }

    @Override
    public String toString() {
        return exact != null ? exact.toString() : "Root(" + p + " in (" + lo + ", " + hi + "])";
    }
}
