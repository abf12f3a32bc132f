package org.netgeom.symbolic.verify;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.regions.RandomNets;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile VNN-LIB text (seeded mutations of valid properties: truncation, stray characters, odd
 * numbers, deep nesting, swapped tokens) either reads, and then verify decides it on a small net
 * or refuses it with a code, or is refused with SPEC_PARSE / SPEC_UNSUPPORTED and a line:col:
 * never another exception.
 */
class VnnLibFuzzTest {
    static final String BASE = "; fuzz base\n(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
            + "(declare-const Y_1 Real)\n(assert (or (and (>= X_0 -0.5) (<= X_0 0.5) (>= X_1 -1) (<= X_1 1e0))\n"
            + "  (and (>= X_0 0) (<= X_0 1) (>= X_1 (/ 1 4)) (<= X_1 (* 2 0.5)))))\n"
            + "(assert (or (and (<= Y_0 Y_1) (>= (+ Y_0 (* -2 Y_1)) (- 0.25))) (>= (- Y_1 Y_0 1) 0)))\n(check-sat)\n";
    static final String[] ODD = {"1e999999999", "-.", ".", "0x10", "1/0", "9".repeat(5000), "-0", "+1", "1e-100001", "X_", "Y_99",
            "X_1000000000", "(", ")", ";", "and", "or", "<=", "Real", "\u0000", "é", "true", "false", "((((((((((", "(- )", "(* X_0 Y_0)"};
    static final String CHARS = "()+-*/;.eE0123456789 XY_\n\t";

    static String mutate(String t, Random r) {
        if (t.isEmpty()) {
            return "(";
        }
        int at = r.nextInt(t.length());
        return switch (r.nextInt(7)) {
            case 0 -> t.substring(0, at);
            case 1 -> t.substring(0, at) + CHARS.charAt(r.nextInt(CHARS.length())) + t.substring(at);
            case 2 -> t.substring(0, at) + t.substring(Math.min(t.length(), at + 1 + r.nextInt(4)));
            case 3 -> t.substring(0, at) + ODD[r.nextInt(ODD.length)] + t.substring(at);
            case 4 -> t.substring(0, at) + "(".repeat(1 + r.nextInt(3000)) + t.substring(at);
            case 5 -> {
                int b = r.nextInt(t.length());
                int lo = Math.min(at, b);
                int hi = Math.max(at, b);
                yield t.substring(0, lo) + t.substring(hi) + t.substring(lo, hi);
            }
            default -> t.replaceFirst("X_1", r.nextBoolean() ? "Y_1" : "X_0");
        };
    }

    @Test
    void hostileTextGivesCodedErrors() {
        Random r = new Random(16);
        Model m = RandomNets.mlp(3, 2, new int[]{4}, 2, "relu", 4);
        Map<String, Integer> tally = new TreeMap<>();
        for (int c = 0; c < 1500; c++) {
            String t = BASE;
            for (int k = c % 2 == 0 ? 1 : 1 + r.nextInt(3); k > 0; k--) {
                t = mutate(t, r);
            }
            String outcome;
            try {
                VnnSpec s = VnnLib.read(t, 2, 2);
                try {
                    Verify.Outcome o = Verify.run(m, s, new BranchAndBound.Limits(Relaxation.Method.CROWN, 500, 0), null);
                    outcome = o.answer().name();
                } catch (NetgeomException e) {
                    assertTrue(e.code() == SymbolicError.SPEC_UNSUPPORTED, "case " + c + ": " + e.code() + " " + e.getMessage());
                    outcome = "verify " + e.code();
                }
            } catch (NetgeomException e) {
                assertTrue(e.code() == SymbolicError.SPEC_PARSE || e.code() == SymbolicError.SPEC_UNSUPPORTED, "case " + c + ": " + e.code());
                assertTrue(e.details().get("line") instanceof Integer && e.details().get("column") instanceof Integer, "case " + c);
                assertTrue(e.getMessage().matches("(?s).* at \\d+:\\d+"), "case " + c + ": " + e.getMessage());
                outcome = e.code().name();
            } catch (RuntimeException | StackOverflowError e) {
                fail("case " + c + ": " + e + "\n" + (t.length() > 2000 ? t.substring(0, 2000) : t), e);
                return;
            }
            tally.merge(outcome, 1, Integer::sum);
        }
        System.out.println("VnnLibFuzzTest: " + tally);
        assertTrue(tally.getOrDefault("SPEC_PARSE", 0) > 100 && tally.getOrDefault("SPEC_UNSUPPORTED", 0) > 50, tally.toString());
        assertTrue(tally.getOrDefault("SAT", 0) + tally.getOrDefault("UNSAT", 0) > 20, tally.toString());
    }
}
