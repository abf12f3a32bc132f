package org.netgeom.symbolic.regions;

import org.netgeom.ir.Model;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.ExactLp;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.poly.Unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The brute-force reference for benchmarks: every activation pattern of the network (the product
 * of all units' options), each decided by one exact LP ({@link ExactLp#maxMargin}) on its
 * inequalities and the domain's. Exponential in the number of units; the test suite has its own
 * independent brute force (own propagation, own LPs).
 */
public final class BruteForce {
    private BruteForce() {
    }

    /** The number of non-empty activation regions, by trying all patterns (at most {@code maxPatterns}). */
    public static long count(Model model, Domain domain, long maxPatterns) {
        NetworkProgram p = NetworkProgram.forModel(model, AffineMap.identity(model.input().size()), false);
        List<Integer> options = new ArrayList<>();
        long total = 1;
        int depth = 0;
        for (Unit u = p.next(); u != null; u = p.next()) {
            options.add(u.options());
            total *= u.options();
            if (total > maxPatterns) {
                for (int i = 0; i < depth; i++) {
                    p.undo();
                }
                throw SymbolicError.BUDGET_EXCEEDED.error("more than " + maxPatterns + " patterns for brute force").with("found", total);
            }
            p.decide(0);
            depth++;
        }
        for (int i = 0; i < depth; i++) {
            p.undo();
        }
        int[] digit = new int[options.size()];
        long found = 0;
        for (long c = 0; c < total; c++) {
            List<Form> cons = new ArrayList<>(domain.constraints());
            if (inequalities(p, digit, cons)) {
                boolean[] strict = new boolean[cons.size()];
                Arrays.fill(strict, true);
                if (ExactLp.maxMargin(cons, strict).feasible()) {
                    found++;
                }
            }
            for (int i = digit.length - 1; i >= 0; i--) {
                if (++digit[i] < options.get(i)) {
                    break;
                }
                digit[i] = 0;
            }
        }
        return found;
    }

    /** Adds the pattern's inequalities; false when a unit contradicts itself (a '1' that is identically zero). */
    private static boolean inequalities(NetworkProgram p, int[] digit, List<Form> out) {
        int d = 0;
        boolean ok = true;
        for (; d < digit.length && ok; d++) {
            Unit u = p.next();
            int c = digit[d];
            if (u instanceof Unit.Sign s) {
                if (s.z().isZero()) {
                    ok = c == 0;
                } else {
                    out.add(c == 1 ? s.z() : s.z().negate());
                }
            } else if (u instanceof Unit.Argmax a) {
                for (int i = 0; i < a.z().length && ok; i++) {
                    if (i != c) {
                        Form g = a.z()[c].minus(a.z()[i]);
                        if (g.isZero()) {
                            ok = i > c;
                        } else {
                            out.add(g);
                        }
                    }
                }
            }
            p.decide(c);
        }
        for (int i = 0; i < d; i++) {
            p.undo();
        }
        return ok;
    }
}
