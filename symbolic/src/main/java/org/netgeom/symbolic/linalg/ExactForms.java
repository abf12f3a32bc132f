package org.netgeom.symbolic.linalg;

import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact closed forms of real algebraic numbers, through Symja: the defining polynomial is
 * factored over ℚ, and the factor that vanishes at the number gives it: a rational for a linear
 * factor, radicals (−b ± √(b² − 4ac))/(2a) for a quadratic one, Mathematica's exact
 * {@code Root(f&, k)} (the k-th real root of the irreducible f, increasing) for a cubic or
 * quartic one, and none for higher degrees (nor for polynomials of degree above 24, which are
 * not factored). Which factor
 * and which root is decided exactly (root counts on the isolating interval, an exact comparison
 * with −b/(2a)), never by comparing decimals. Every form is null when Symja cannot give it within
 * the time limit; the certified decimals do not depend on this class.
 */
public final class ExactForms {
    /** Time limit of each factorisation, in seconds. */
    static final long FACTOR_TIMEOUT_S = 30;
    /** Polynomials above this degree are not factored (Symja's factoriser gets slow). */
    static final int MAX_DEGREE = 24;
    /** Irreducible factors above this degree give no closed form (a Root of a long polynomial helps nobody). */
    static final int MAX_ROOT_DEGREE = 4;

    private final Cas cas;
    private final String x;
    private final Map<QPoly, List<QPoly>> factors = new HashMap<>();
    private boolean gaveUp;

    public ExactForms(Cas cas) {
        this.cas = cas;
        this.x = cas.symbol("#factor-variable");   // no IR name can collide: IR names have no '#'
    }

    /** The closed form of an algebraic number, or null. */
    public String of(RealRoot r) {
        Rational q = r.exact();
        if (q != null) {
            return q.toString();
        }
        List<QPoly> fs = factor(r.poly());
        if (fs == null) {
            return null;
        }
        for (QPoly f : fs) {
            if (f.degree() < 1 || f.degree() > MAX_ROOT_DEGREE || !vanishesAt(f, r)) {
                continue;
            }
            if (f.degree() == 1) {
                return f.coeff(0).negate().divide(f.coeff(1)).toString();
            }
            if (f.degree() == 2) {
                Rational a = f.coeff(2);
                Rational b = f.coeff(1);
                Rational c = f.coeff(0);
                Rational vertex = b.negate().divide(a.multiply(2));
                String sign = r.compareTo(vertex) < 0 ? "-" : "+";
                Rational disc = b.multiply(b).subtract(a.multiply(c).multiply(4));
                // √(n/d) = √(n·d)/d: an integer radicand, which Symja then frees of square factors
                Rational half = a.multiply(2).abs().reciprocal().divide(Rational.of(disc.denominator()));
                BigInteger radicand = disc.numerator().multiply(disc.denominator());
                return simplify(Cas.of(vertex) + sign + Cas.of(half) + "*Sqrt(" + radicand + ")");
            }
            Rational bound = f.rootBound();
            Interval iv = r.current();
            int k = Descartes.count(f.squareFree(), bound.negate(), iv.lo()) + 1;
            return "Root(" + f.primitive().toSymja("#1") + "&," + k + ")";
        }
        return null;
    }

    /** The closed form of √r (r ≥ 0), or null. */
    public String sqrtOf(RealRoot r) {
        String inner = of(r);
        if (inner == null) {
            return null;
        }
        return inner.startsWith("Root(") ? "Sqrt(" + inner + ")" : simplify("Sqrt(" + inner + ")");
    }

    /** The closed form of a/b, simplified by Symja, or null when either is null. */
    public String ratio(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        String t = "(" + a + ")/(" + b + ")";
        return a.contains("Root(") || b.contains("Root(") ? t : simplify("Simplify(" + t + ")");
    }

    private String simplify(String input) {
        try {
            return cas.evalLine(input, FACTOR_TIMEOUT_S);   // one line: Symja's toString wraps long forms
        } catch (NetgeomException e) {
            return null;
        }
    }

    private static boolean vanishesAt(QPoly f, RealRoot r) {
        Rational q = r.exact();
        if (q != null) {
            return f.signAt(q) == 0;
        }
        Interval iv = r.current();          // isolates r among the roots of r.poly(), which f divides
        return Descartes.count(f.squareFree(), iv.lo(), iv.hi()) >= 1;
    }

    /** The irreducible factors over ℚ (Symja's Factor), or null when Symja cannot give them. */
    private List<QPoly> factor(QPoly p) {
        if (gaveUp || p.degree() > MAX_DEGREE) {
            return null;
        }
        if (factors.containsKey(p)) {
            return factors.get(p);
        }
        List<QPoly> out = new ArrayList<>();
        try {
            String poly = p.primitive().toSymja(x);
            String list = cas.eval("Module({f = Factor(" + poly + ")}, If(Head(f) === Times, Apply(List, f), {f}))",
                    FACTOR_TIMEOUT_S);
            for (String fac : cas.list(list)) {
                List<String> cs = cas.list("CoefficientList(" + fac + ", " + x + ")");
                Rational[] co = new Rational[cs.size()];
                for (int i = 0; i < co.length; i++) {
                    co[i] = Rational.parse(cs.get(i));
                }
                QPoly f = QPoly.of(co);
                if (f.degree() >= 1) {
                    out.add(f);
                }
            }
        } catch (NetgeomException | IllegalArgumentException | ArithmeticException e) {
            gaveUp = e instanceof NetgeomException ne && ne.code().name().equals("CAS_TIMEOUT");
            out = null;
        }
        factors.put(p, out);
        return out;
    }
}
