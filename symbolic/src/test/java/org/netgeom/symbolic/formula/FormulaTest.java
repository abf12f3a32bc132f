package org.netgeom.symbolic.formula;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed forms are checked by evaluating them in Symja (exact substitution) and comparing with
 * the exact forward pass, an independent evaluation of the same network.
 */
class FormulaTest {
    static final String TENT2 = """
            {"netgeom": 1, "input": [1], "layers": [
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
            {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
            {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}""";

    @AfterAll
    static void stop() {
        Cas.shutdown();
    }

    private static Rational at(String expr, Map<String, Rational> values) {
        StringBuilder rules = new StringBuilder();
        for (Map.Entry<String, Rational> e : values.entrySet()) {
            rules.append(rules.length() == 0 ? "" : ", ").append(e.getKey()).append(" -> ").append(Cas.of(e.getValue()));
        }
        return Cas.get().rational("ReplaceAll(" + expr + ", {" + rules + "})");
    }

    /**
     * A residual whose body starts with an op that used to rewrite its input in place (square): the
     * identity shortcut must see x, not x². Reference: the closed form x + x². (The formula's own
     * walk got 2x² before it ran on the interpreter, issue 15.)
     */
    @Test
    void residualShortcutSeesTheUnsquaredInput() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [1], "layers": [{"op": "residual", "layers": [{"op": "square"}]}]}""", null);
        Formula.Nested f = Formula.nested(m);
        for (int i = -6; i <= 6; i++) {
            Rational x = Rational.of(i, 3);
            assertEquals(x.add(x.multiply(x)), at(f.text().get(0), Map.of("x1", x)));
        }
    }

    @Test
    void nestedTentMatchesTheForwardPass() {
        Model m = IrReader.read(TENT2, null);
        Formula.Nested f = Formula.nested(m);
        assertEquals(List.of("x1"), f.variables());
        for (int i = 0; i <= 16; i++) {
            Rational x = Rational.of(i, 16).add(Rational.of(1, 97));
            assertEquals(ExactForward.eval(m, new Rational[]{x})[0], at(f.text().get(0), Map.of("x1", x)));
        }
        assertTrue(f.latex().get(0).contains("\\max") && f.latex().get(0).contains("x_{1}"), f.latex().get(0));
    }

    @Test
    void nestedResidualBatchnormAndConvMaxpoolMatchTheForwardPass() {
        Model rb = IrReader.read("""
                {"netgeom": 1, "input": [2], "layers": [
                  {"op": "dense", "weight": [["1", "-1/2"], ["1/3", "2"], [0.5, -1]], "bias": ["0", "1/4", "-1"]},
                  {"op": "batchnorm", "mean": ["0", "1", "-1"], "var": ["3", "9/16", "0"], "weight": ["2", "1", "1/2"],
                   "bias": ["0", "0", "1"], "eps": "1"},
                  {"op": "residual", "layers": [{"op": "leaky_relu", "slope": "1/10"},
                    {"op": "dense", "weight": [["1", "0", "-1"], ["0", "1", "1"], ["1/2", "1/2", "0"]]}, {"op": "abs"}]},
                  {"op": "relu"}, {"op": "dense", "weight": [["1", "-1", "1/2"]]}]}""", null);
        Model conv = IrReader.read("""
                {"netgeom": 1, "input": [1, 3, 3], "layers": [
                  {"op": "conv2d", "weight": [[[[1, "-1/2"], [0, 2]]], [[["1/3", 1], [-1, 0]]]], "bias": ["1/4", 0], "padding": 1},
                  {"op": "relu"}, {"op": "maxpool2d", "kernel": 2}, {"op": "avgpool2d", "kernel": 2}, {"op": "flatten"},
                  {"op": "dense", "weight": [[1, -1]]}]}""", null);
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (Model m : new Model[]{rb, conv}) {
            Formula.Nested f = Formula.nested(m);
            int n = m.input().size();
            for (int t = 0; t < 5; t++) {
                Rational[] x = new Rational[n];
                Map<String, Rational> vals = new java.util.HashMap<>();
                for (int i = 0; i < n; i++) {
                    x[i] = Rational.of(r.nextInt(-20, 21), 8);
                    vals.put("x" + (i + 1), x[i]);
                }
                assertEquals(ExactForward.eval(m, x)[0], at(f.text().get(0), vals));
            }
        }
    }

    /** hardtanh and maxout (issue 15): the nested formula, evaluated by Symja, equals the exact forward pass. */
    @Test
    void nestedHardtanhAndMaxoutMatchTheForwardPass() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [2], "layers": [
                  {"op": "dense", "weight": [[1, -2], [2, 1], ["-1/2", 1], [0, 1], [1, 1], [-1, 0]], "bias": ["1/4", 0, "-1/3", 0, "-1/2", "1/4"]},
                  {"op": "maxout", "k": 3}, {"op": "hardtanh", "min_val": "-1/3", "max_val": "1/2"},
                  {"op": "dense", "weight": [[1, -1], [2, 1]], "bias": [0, "1/2"]}, {"op": "hardtanh"},
                  {"op": "dense", "weight": [[1, -2]]}]}""", null);
        Formula.Nested f = Formula.nested(m);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int t = 0; t < 12; t++) {
            Rational[] x = {Rational.of(r.nextInt(-24, 25), 8), Rational.of(r.nextInt(-24, 25), 8)};
            assertEquals(ExactForward.eval(m, x)[0], at(f.text().get(0), Map.of("x1", x[0], "x2", x[1])));
        }
    }

    @Test
    void freeWeightSymbolsStaySymbolic() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [2], "layers": [
                {"op": "dense", "weight": [["w1", "1/2"], ["-1", "w2"]], "bias": ["b", "0"]},
                {"op": "leaky_relu", "slope": "s"},
                {"op": "residual", "layers": [{"op": "dense", "weight": [["1", "w1"], ["0", "1"]]}, {"op": "abs"}]},
                {"op": "dense", "weight": [["1", "-2"]]}]}""", null);
        Formula.Nested f = Formula.nested(m);
        String t = f.text().get(0);
        assertTrue(t.contains("w1") && t.contains("w2") && t.contains("s") && t.contains("b"), t);
        Map<String, Rational> bind = Map.of("w1", Rational.of(3, 2), "w2", Rational.of(-1, 3), "b", Rational.of(1, 5),
                "s", Rational.of(1, 7));
        Model bound = Binder.bind(m, bind);
        for (Rational[] x : new Rational[][]{{Rational.of(1, 3), Rational.of(-2)}, {Rational.of(-5, 4), Rational.of(1, 2)},
                {Rational.of(2), Rational.of(3, 8)}}) {
            Map<String, Rational> all = new java.util.HashMap<>(bind);
            all.put("x1", x[0]);
            all.put("x2", x[1]);
            assertEquals(ExactForward.eval(bound, x)[0], at(t, all));
        }
    }

    @Test
    void piecewiseTentHasFourIntervalCases() {
        Model m = IrReader.read(TENT2, null);
        RegionSet rs = Regions.enumerate(m, Domain.box(new Rational[]{Rational.ZERO}, new Rational[]{Rational.ONE}), Options.defaults());
        Formula.Piecewise p = Formula.piecewise(rs, List.of("x1"));
        assertEquals(4, p.cases().size());
        assertEquals("4*x1", p.cases().get(0).value());
        assertEquals("0 <= x1 <= 1/4", p.cases().get(0).condition());
        assertEquals("-4*x1 + 2", p.cases().get(1).value());
        assertTrue(p.latex().contains("\\begin{cases}") && p.latex().contains("\\frac{1}{4} \\le x_{1} \\le \\frac{1}{2}"), p.latex());
        assertEquals("Piecewise({{4*x1, 0 <= x1 <= 1/4}, {-4*x1 + 2, 1/4 <= x1 <= 1/2}, {4*x1 - 2, 1/2 <= x1 <= 3/4}, "
                + "{-4*x1 + 4, 3/4 <= x1 <= 1}})", p.text());
        for (int i = 1; i < 20; i++) {
            Rational x = Rational.of(i, 20);
            assertEquals(ExactForward.eval(m, new Rational[]{x})[0], at(p.text(), Map.of("x1", x)));
        }
    }

    @Test
    void piecewiseConditionsHoldAtTheWitnesses() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [2], "layers": [
                {"op": "dense", "weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0]}, {"op": "relu"},
                {"op": "dense", "weight": [[1, 1, -1]], "bias": [0]}]}""", null);
        Rational[] lo = {Rational.MINUS_ONE, Rational.MINUS_ONE};
        Rational[] hi = {Rational.ONE, Rational.ONE};
        RegionSet rs = Regions.enumerate(m, Domain.box(lo, hi), Options.defaults());
        Formula.Piecewise p = Formula.piecewise(rs, List.of("x1", "x2"));
        assertEquals(6, p.cases().size());
        for (Formula.Case c : p.cases()) {
            for (int ri : c.regions()) {
                Region r = rs.regions().get(ri);
                Map<String, Rational> x = Map.of("x1", r.witness()[0], "x2", r.witness()[1]);
                assertEquals("True", Cas.get().text("ReplaceAll(" + c.condition() + ", {x1 -> " + Cas.of(r.witness()[0])
                        + ", x2 -> " + Cas.of(r.witness()[1]) + "})"), c.condition());
                assertEquals(ExactForward.eval(m, r.witness())[0], at(c.value(), x));
            }
        }
    }
}
