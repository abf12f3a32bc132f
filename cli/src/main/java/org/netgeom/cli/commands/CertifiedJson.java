package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.ExactForms;
import org.netgeom.symbolic.linalg.Interval;
import org.netgeom.symbolic.linalg.RealRoot;
import org.netgeom.symbolic.linalg.Spectra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON of certified real numbers, shared by {@code loss-surface} and {@code perturb}:
 * {@code {"exact": "3/4-Sqrt(11/2)/4" | null, "decimal": "0.1636…", "enclosure": ["lo", "hi"]}},
 * the decimal to {@code --digits} significant digits, every digit certified by the enclosure
 * (lower end rounded down, upper end rounded up). {@code exact} is a rational {@code "p/q"} or a
 * Symja expression, null where Symja gives no closed form.
 */
final class CertifiedJson {
    private CertifiedJson() {
    }

    static Map<String, Object> of(CReal v, String exact, int digits) {
        Map<String, Object> o = JsonOut.object();
        Rational q = v.exact();
        o.put("exact", q != null ? q.toString() : exact);
        o.put("decimal", v.decimal(digits));
        Interval iv = v.enclosure(digits + 4);
        o.put("enclosure", List.of(iv.loDecimal(digits), iv.hiDecimal(digits)));
        return o;
    }

    /** An eigenvalue with its closed form (when {@code forms} can give one). */
    static Map<String, Object> eigen(RealRoot r, ExactForms forms, int digits) {
        return of(r, forms == null ? null : forms.of(r), digits);
    }

    /** Singular values, decreasing. */
    static List<Object> singular(List<Spectra.Singular> sv, ExactForms forms, int digits) {
        List<Object> out = new ArrayList<>();
        for (Spectra.Singular s : sv) {
            out.add(of(s.value(), forms == null ? null : forms.sqrtOf(s.squared()), digits));
        }
        return out;
    }

    /**
     * σ_max/σ_min over min(m, n) singular values, or null when σ_min = 0 (the matrix is rank
     * deficient; the condition number is infinite).
     */
    static Map<String, Object> condition(List<Spectra.Singular> sv, ExactForms forms, int digits) {
        if (sv.isEmpty() || sv.get(sv.size() - 1).isZero()) {
            return null;
        }
        Spectra.Singular max = sv.get(0);
        Spectra.Singular min = sv.get(sv.size() - 1);
        if (max.squared() == min.squared()) {          // one distinct singular value: κ = 1 exactly
            return of(CReal.of(Rational.ONE), null, digits);
        }
        String exact = forms == null ? null : forms.ratio(forms.sqrtOf(max.squared()), forms.sqrtOf(min.squared()));
        // κ = √(λmax/λmin): exact when both are rational and the ratio is a square
        return of(CReal.sqrt(max.squared().divide(min.squared())), exact, digits);
    }

    /** An exact matrix as nested lists of "p/q" strings. */
    static List<Object> matrix(Rational[][] m) {
        List<Object> out = new ArrayList<>();
        for (Rational[] row : m) {
            out.add(JsonOut.exact(row));
        }
        return out;
    }

    /** A short human form of a certified number: its decimal, and its closed form when that is short. */
    static String human(CReal v, String exact, int digits) {
        Rational q = v.exact();
        if (q != null) {
            return q.toString();
        }
        String d = v.decimal(Math.min(digits, 12));
        return exact != null && exact.length() <= 40 ? d + " (= " + exact + ")" : d;
    }
}
