package org.netgeom.symbolic.exact;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Binder;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.SymbolicError;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact forward pass against values derived by hand (derivations in the comments). */
class ExactForwardTest {
    static final String TENT2 = """
            {"netgeom": 1, "input": [1], "layers": [
              {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
              {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
              {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
              {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}""";

    private static Rational q(String s) {
        return Rational.parse(s);
    }

    private static Rational[] v(String... s) {
        Rational[] out = new Rational[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = q(s[i]);
        }
        return out;
    }

    /** t(x) = 2x on [0, 1/2], 2 - 2x on [1/2, 1]; f = t(t(x)). */
    private static Rational tent(Rational x) {
        return x.compareTo(Rational.HALF) <= 0 ? x.multiply(Rational.TWO) : Rational.TWO.subtract(x.multiply(Rational.TWO));
    }

    @Test
    void tentComposedTwiceMatchesItsClosedForm() {
        Model m = IrReader.read(TENT2, null);
        for (int k = 0; k <= 48; k++) {
            Rational x = Rational.of(k, 48);
            assertEquals(tent(tent(x)), ExactForward.eval(m, new Rational[]{x})[0], "x = " + x);
        }
        ExactForward.Result r = ExactForward.run(m, v("1/3"));
        assertEquals(q("2/3"), r.output()[0]);
        assertEquals("101111", r.pattern(), "relu(x) on, relu(x-1/2) off, t on, relu(y) on, relu(y-1/2) on (y = 2/3), f on");
        assertFalse(r.onKink());
        assertTrue(ExactForward.run(m, v("1/4")).onKink(), "at x = 1/4, y = 1/2: relu(y - 1/2) has pre-activation 0");
    }

    /**
     * The hand-written model of examples/residual-bn.json at x = (1/2, -1/3):
     * dense: (2/3, -1/4, -5/12); batchnorm with √(var+eps) = (2, 5/4, 1): (2/3, -1, 31/24);
     * block: leaky 1/10 -> (2/3, -1/10, 31/24), dense -> (-5/8, 143/120, 17/60), abs -> (5/8, 143/120, 17/60),
     * plus the input: (31/24, 23/120, 63/40); relu keeps all; out = 31/24 - 23/120 + 63/80 = 151/80.
     */
    @Test
    void residualBatchnormModelDerivedByHand() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [2], "layers": [
                  {"op": "dense", "weight": [["1", "-1/2"], ["1/3", "2"], [0.5, -1]], "bias": ["0", "1/4", "-1"]},
                  {"op": "batchnorm", "mean": ["0", "1", "-1"], "var": ["3", "9/16", "0"], "weight": ["2", "1", "1/2"],
                   "bias": ["0", "0", "1"], "eps": "1"},
                  {"op": "residual", "layers": [
                    {"op": "leaky_relu", "slope": "1/10"},
                    {"op": "dense", "weight": [["1", "0", "-1"], ["0", "1", "1"], ["1/2", "1/2", "0"]], "bias": ["0", "0", "0"]},
                    {"op": "abs"}]},
                  {"op": "relu"},
                  {"op": "dense", "weight": [["1", "-1", "1/2"]]}]}""", null);
        ExactForward.Result r = ExactForward.run(m, v("1/2", "-1/3"));
        assertArrayEquals(v("151/80"), r.output());
        assertEquals("101" + "011" + "111", r.pattern());
    }

    /**
     * conv2d (one 2x2 filter [[1, 0], [0, -1]], bias 1/2, padding 0) on the 1x3x3 image 1..9
     * (row-major): each output is a - d + 1/2 = (x[i][j] - x[i+1][j+1]) + 1/2 = -4 + 1/2 = -7/2;
     * abs -> 7/2 each; maxpool 2 -> one value 7/2, a tie everywhere (on a kink), winner index 0;
     * avgpool on the same: 7/2.
     */
    @Test
    void convolutionAndPooling() {
        String img = "{\"netgeom\": 1, \"input\": [1, 3, 3], \"layers\": ["
                + "{\"op\": \"conv2d\", \"weight\": [[[[1, 0], [0, -1]]]], \"bias\": [\"1/2\"]}, {\"op\": \"abs\"}, %s, {\"op\": \"flatten\"}]}";
        Rational[] x = v("1", "2", "3", "4", "5", "6", "7", "8", "9");
        ExactForward.Result max = ExactForward.run(IrReader.read(String.format(img, "{\"op\": \"maxpool2d\", \"kernel\": 2}"), null), x);
        assertArrayEquals(v("7/2"), max.output());
        assertEquals("0000" + "0", max.pattern(), "four abs units negative, then the max winner index 0");
        assertTrue(max.onKink(), "all four window values tie");
        ExactForward.Result avg = ExactForward.run(IrReader.read(String.format(img, "{\"op\": \"avgpool2d\", \"kernel\": 2}"), null), x);
        assertArrayEquals(v("7/2"), avg.output());
        // stride 2 with padding 1 on a 1x2x2 image, 1x1 weight 2: output 2x2 of [0,0;0,2*x4]
        Model p = IrReader.read("{\"netgeom\": 1, \"input\": [1, 2, 2], \"layers\": ["
                + "{\"op\": \"conv2d\", \"weight\": [[[[2]]]], \"stride\": 2, \"padding\": 1}]}", null);
        assertArrayEquals(v("0", "0", "0", "8"), ExactForward.eval(p, v("1", "2", "3", "4")));
    }

    @Test
    void squareAndConcat() {
        Model m = IrReader.read("{\"netgeom\": 1, \"input\": [2], \"layers\": [{\"op\": \"concat\", \"layers\": ["
                + "{\"op\": \"dense\", \"weight\": [[1, 1]], \"bias\": [\"-1/2\"]}, {\"op\": \"square\"}]}]}", null);
        assertArrayEquals(v("1/3", "1/4", "1/144"), ExactForward.eval(m, v("1/3", "1/4")), "(1/3 + 1/4 - 1/2)^2 = 1/144");
    }

    @Test
    void refusals() {
        Model smooth = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"tanh\"}]}", null);
        assertEquals(SymbolicError.NOT_EXACT, assertThrows(NetgeomException.class, () -> ExactForward.eval(smooth, v("1"))).code());
        Model bn = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"batchnorm\", \"mean\": [0], \"var\": [1]}]}", null);
        assertEquals(SymbolicError.NOT_EXACT, assertThrows(NetgeomException.class, () -> ExactForward.eval(bn, v("1"))).code(),
                "√(1 + 1e-5) is irrational");
        assertEquals("layers[0]", assertThrows(NetgeomException.class, () -> ExactForward.eval(bn, v("1"))).path());
        Model nested = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"relu\"}, {\"op\": \"residual\", "
                + "\"layers\": [{\"op\": \"identity\"}], \"shortcut\": [{\"op\": \"dense\", \"weight\": [[1]]}, {\"op\": \"gelu\"}]}]}", null);
        assertEquals("layers[1].shortcut[1]", assertThrows(NetgeomException.class, () -> ExactForward.eval(nested, v("1"))).path(),
                "the refusing layer's JSON path");
        Model tent = IrReader.read(TENT2, null);
        assertEquals(IrError.BAD_INPUT, assertThrows(NetgeomException.class, () -> ExactForward.eval(tent, v("1", "2"))).code());
        Model sym = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": [[\"w\"]]}]}", null);
        NetgeomException e = assertThrows(NetgeomException.class, () -> ExactForward.eval(sym, v("1")));
        assertEquals(IrError.IR_UNBOUND_SYMBOL, e.code());
        assertEquals("layers[0].weight[0][0]", e.path());
        assertArrayEquals(v("3/2"), ExactForward.eval(Binder.bind(sym, Map.of("w", q("1/2"))), v("3")));
    }
}
