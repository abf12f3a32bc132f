package org.netgeom.symbolic.regions;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST REFERENCE: all activation patterns, each decided by an exact LP of the test's own
 * ({@link RefLp}) on the inequalities {@link RefNet} derives for it. Exponential in the number
 * of units, so only for small nets.
 */
final class BruteForceRef {
    private BruteForceRef() {
    }

    /**
     * Pattern → output map rows [A | b] of every non-empty region of the box lo &lt; u &lt; hi
     * intersected with {@code extra} strict inequalities (a polytope domain), for inputs given by
     * {@code inputMap} (rows [A | b], u ↦ model input).
     */
    static Map<String, Rational[][]> regions(Model m, Rational[][] inputMap, Rational[] lo, Rational[] hi, List<Rational[]> extra) {
        List<Integer> opts = RefNet.unitOptions(m);
        long total = 1;
        for (int o : opts) {
            total *= o;
            if (total > 1_000_000) {
                throw new IllegalArgumentException("too many patterns for brute force");
            }
        }
        Map<String, Rational[][]> out = new LinkedHashMap<>();
        int[] digit = new int[opts.size()];
        for (long p = 0; p < total; p++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < digit.length; i++) {
                sb.append(Character.forDigit(digit[i], 36));
            }
            String pattern = sb.toString();
            RefNet.Result r = RefNet.under(m, pattern, inputMap);
            if (r.feasible()) {
                List<Rational[]> all = new ArrayList<>(r.inequalities());
                all.addAll(extra);
                if (RefLp.feasible(all, lo, hi)) {
                    out.put(pattern, r.output());
                }
            }
            for (int i = digit.length - 1; i >= 0; i--) {       // next pattern (mixed radix)
                if (++digit[i] < opts.get(i)) {
                    break;
                }
                digit[i] = 0;
            }
        }
        return out;
    }

    /** Rows [A | b] of an affine map. */
    static Rational[][] rows(AffineMap m) {
        Rational[][] r = new Rational[m.outputs()][m.variables() + 1];
        for (int i = 0; i < m.outputs(); i++) {
            for (int j = 0; j < m.variables(); j++) {
                r[i][j] = m.a(i, j);
            }
            r[i][m.variables()] = m.b(i);
        }
        return r;
    }
}
