package org.netgeom.symbolic.formula;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Free symbols named like Symja built-ins, patterns, case-folded twins or LaTeX constants: the
 * {@code formula} text, parsed back by Symja with the printed names, must have exactly one free
 * variable per symbol and input and the value of the exact forward pass of the bound model (the
 * reference: {@link ExactForward} on {@link Binder#bind}, which never sees the output names).
 */
class ReservedSymbolsTest {
    /** Every collision we know of, and plain names that must keep their names. */
    static final List<String> COLLIDING = List.of("Pi", "pi", "E", "I", "N", "D", "C", "O", "gamma", "beta", "i", "e",
            "a_2", "w_1", "Pi_", "Ab", "ab", "X1", "EulerGamma", "GoldenRatio", "Degree", "Catalan", "Glaisher", "Khinchin",
            "True", "False", "Null", "ComplexInfinity", "Indeterminate", "Sin", "Max", "Sign", "List", "Plus");
    static final List<String> PLAIN = List.of("K", "x", "w1", "Wb", "alpha");

    @AfterAll
    static void stop() {
        Cas.shutdown();
    }

    /** A linear model: out = Σ_j s_j · x_j + 1/3 over the given symbols s_j (one input each). */
    private static Model linear(List<String> names) {
        StringBuilder w = new StringBuilder();
        for (String n : names) {
            w.append(w.length() == 0 ? "" : ", ").append('"').append(n).append('"');
        }
        return IrReader.read("{\"netgeom\": 1, \"input\": [" + names.size() + "], \"layers\": [{\"op\": \"dense\", \"weight\": [["
                + w + "]], \"bias\": [\"1/3\"]}]}", null);
    }

    @Test
    void collidingSymbolsAreRenamedAndTheTextRoundTripsThroughSymja() {
        List<String> names = new ArrayList<>(COLLIDING);
        names.addAll(PLAIN);
        Model m = linear(names);
        Formula.Nested f = Formula.nested(m);
        String text = f.text().get(0);
        Map<String, String> out = new HashMap<>();
        for (Formula.Renamed r : f.renamed()) {
            out.put(r.symbol(), r.output());
            assertTrue(r.note().startsWith("symbol " + r.symbol() + " renamed to " + r.output() + " in output ("), r.note());
        }
        assertEquals(new HashSet<>(COLLIDING), out.keySet(), "renamed: " + out);
        assertEquals(List.of("x1", "x2"), f.variables().subList(0, 2));

        // Symja reads the text with one free variable per symbol and per input: no name became a
        // constant (Pi, E, I, Degree …), a pattern (a_2) or another name's symbol (Ab/ab, X1/x1)
        Cas cas = Cas.get();
        List<String> vars = cas.list("Variables(" + text + ")");
        assertEquals(2 * names.size(), vars.size(), text + " has variables " + vars);

        SplittableRandom rnd = new SplittableRandom(14);
        for (int t = 0; t < 3; t++) {
            Map<String, Rational> values = new HashMap<>();
            StringBuilder rules = new StringBuilder();
            Rational[] x = new Rational[names.size()];
            for (int j = 0; j < names.size(); j++) {
                String s = names.get(j);
                Rational v = Rational.of(rnd.nextInt(-50, 51), rnd.nextInt(1, 9));
                values.put(s, v);
                x[j] = Rational.of(rnd.nextInt(-30, 31), rnd.nextInt(1, 7));
                rules.append(rules.length() == 0 ? "" : ", ").append(out.getOrDefault(s, s)).append(" -> ").append(Cas.of(v));
                rules.append(", ").append(f.variables().get(j)).append(" -> ").append(Cas.of(x[j]));
            }
            Rational expected = ExactForward.eval(Binder.bind(m, values), x)[0];
            Rational got = cas.rational("ReplaceAll(" + text + ", {" + rules + "})");
            assertNotNull(got, "not a rational after substitution: " + text);
            assertEquals(expected, got);
        }

        String tex = f.latex().get(0);
        for (String constant : new String[]{"\\pi", "\\gamma", "\\beta", "\\phi", "\\infty", "\\text{True}", "\\textnormal"}) {
            assertFalse(tex.contains(constant), constant + " in " + tex);
        }
        // no lone e or i (Euler's number, the imaginary unit to a reader)
        assertFalse(Pattern.compile("(?<![A-Za-z\\\\])[ei](?![A-Za-z0-9\\\\_])").matcher(tex).find(), tex);
        for (Formula.Renamed r : f.renamed()) {
            assertTrue(tex.contains(r.latex()), r.latex() + " not in " + tex);
        }
        for (String p : new String[]{"K", "alpha", "Wb"}) {
            assertTrue(Pattern.compile("(?<![A-Za-z])" + p + "(?![A-Za-z\\\\$])").matcher(text).find(), p + " kept in " + text);
        }
    }

    @Test
    void renamedNamesAreDistinctPlainSymbolsAndStable() {
        List<String> names = new ArrayList<>(COLLIDING);
        names.addAll(PLAIN);
        Cas cas = Cas.get();
        Map<String, Formula.Renamed> a = Formula.outputNames(names, List.of("x1", "x2"), cas);
        Map<String, Formula.Renamed> b = Formula.outputNames(names, List.of("x1", "x2"), cas);
        assertEquals(a, b);
        assertEquals("Pi$", a.get("Pi").output());
        assertEquals("a$2", a.get("a_2").output());
        assertEquals("I$", a.get("I").output());
        assertEquals("Pi\\$", a.get("Pi").latex());
        Set<String> readings = new HashSet<>();
        for (String s : names) {
            String o = a.containsKey(s) ? a.get(s).output() : s;
            String r = cas.reading(o);
            assertNotNull(r, o + " is no plain symbol to Symja");
            assertTrue(readings.add(r), o + " reads as " + r + ", taken already");
        }
        assertFalse(readings.contains(cas.reading("x1")));
    }
}
