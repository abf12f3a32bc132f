package org.netgeom.symbolic.bounds;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrReader;

import java.math.BigInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Serra et al. 2018 (Theorem 1) and Montúfar et al. 2014 (Theorem 4) on architectures whose
 * values are derived by hand in the comments (the expected numbers are not computed by the code
 * under test).
 */
class RegionBoundsTest {
    record Case(String name, String json, long serra, long montufar) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String mlp(int n0, String act, int... widths) {
        StringBuilder sb = new StringBuilder("{\"netgeom\": 1, \"input\": [" + n0 + "], \"layers\": [");
        int in = n0;
        for (int w : widths) {
            sb.append(dense(in, w)).append(", {\"op\": \"").append(act).append("\"").append(act.equals("leaky_relu") ? ", \"slope\": \"1/10\"" : "")
                    .append("}, ");
            in = w;
        }
        return sb.append(dense(in, 1)).append("]}").toString();
    }

    private static String dense(int in, int out) {
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < out; i++) {
            w.append(i == 0 ? "" : ", ").append("[");
            for (int j = 0; j < in; j++) {
                w.append(j == 0 ? "" : ", ").append((i + 2 * j) % 3 - 1);
            }
            w.append("]");
        }
        return "{\"op\": \"dense\", \"weight\": " + w + "]}";
    }

    static Stream<Case> cases() {
        return Stream.of(
                // tent-2 (IR.md): widths 2,1,2,1 on n0 = 1. Serra: j1 = 0 gives 7, j1 = 1 gives 2*7: 21.
                // Montufar: 2 * 1 * 2 * (C(1,0) + C(1,1)) = 8.
                new Case("tent-2", mlp(1, "relu", 2, 1, 2, 1), 21, 8),
                // one hidden layer of 3 on n0 = 2: C(3,0)+C(3,1)+C(3,2) = 7, both bounds (tight for L = 1).
                new Case("square-2d widths", mlp(2, "relu", 3), 7, 7),
                // the same with an identity between the dense layer and the relu: identity is affine of rank 3 >= d = 2,
                // so nothing changes: 7, 7.
                new Case("identity before the relu", """
                        {"netgeom": 1, "input": [2], "layers": [
                          {"op": "dense", "weight": [[1, 0], [0, 1], [1, 1]]},
                          {"op": "identity"},
                          {"op": "relu"},
                          {"op": "dense", "weight": [[1, 1, 1]]}]}""", 7, 7),
                // concat [x ; relu(dense 1->2 (x))] on n0 = 1: the body's relu of 2 units with d = 1 gives
                // C(2,0) + C(2,1) = 3; the dense after the concat is affine: Serra 3. Montufar (L = 1): 3.
                new Case("concat of a relu block, n0 = 1", """
                        {"netgeom": 1, "input": [1], "layers": [
                          {"op": "concat", "layers": [{"op": "dense", "weight": [[1], [-1]], "bias": [0, 1]}, {"op": "relu"}]},
                          {"op": "dense", "weight": [[1, 1, 1]]}]}""", 3, 3),
                // a 1x2x2 image through affine ops (1x1 conv2d, batchnorm with sqrt(var + eps) = 1, a 1x1 avgpool2d)
                // keeps d = n0 = 4; one 2x2 maxpool window: its 4 entries give C(4,2) = 6 pairwise hyperplanes,
                // sum_{j <= 4} C(6, j) = 1 + 6 + 15 + 20 + 15 = 57; flatten and dense after it: Serra 57.
                // Montufar (one piecewise-linear layer of width 1, the window): C(1,0) + C(1,1) = 2.
                new Case("conv2d, batchnorm, avgpool2d, maxpool2d, flatten", """
                        {"netgeom": 1, "input": [1, 2, 2], "layers": [
                          {"op": "conv2d", "weight": [[[[2]]]], "bias": [1]},
                          {"op": "batchnorm", "mean": [1], "var": [1], "weight": [3], "bias": [0], "eps": 0},
                          {"op": "avgpool2d", "kernel": 1},
                          {"op": "maxpool2d", "kernel": 2},
                          {"op": "flatten"},
                          {"op": "dense", "weight": [[1]]}]}""", 57, 2),
                // L = 1, n0 = 2, n1 = 5: 1 + 5 + 10 = 16.
                new Case("one layer of 5", mlp(2, "relu", 5), 16, 16),
                // relu [2, 2] on n0 = 2: j1=0: 1*(1+2+1) = 4; j1=1: 2*(1+2) = 6; j1=2: 1*1 = 1; total 11.
                // Montufar: floor(2/2)^2 * (1 + 2 + 1) = 4.
                new Case("relu [2,2], n0 = 2", mlp(2, "relu", 2, 2), 11, 4),
                // abs [2, 2]: no unit vanishes, no refinement: (1+2+1) * (1+2+1) = 16.
                new Case("abs [2,2], n0 = 2", mlp(2, "abs", 2, 2), 16, 4),
                new Case("leaky [2,2], n0 = 2", mlp(2, "leaky_relu", 2, 2), 16, 4),
                // Montufar [4, 4] on n0 = 2: floor(4/2)^2 * (1 + 4 + 6) = 44. Serra: j1 <= 2:
                // j1=0: 1*(1+4+6) = 11; j1=1: 4*11 = 44; j1=2: 6*(1+4+6) = 66 (4 - 2 = 2 >= 2); total 121.
                new Case("relu [4,4], n0 = 2", mlp(2, "relu", 4, 4), 121, 44),
                // Montufar with a width below n0: floor(1/2)^2 = 0, the trivial bound.
                // Serra [1, 3] on n0 = 2: j1 <= min(2, 1) = 1. j1 = 0: j2 <= min(2, 1 - 0, 3) = 1, so
                // C(1,0) * (C(3,0) + C(3,1)) = 4; j1 = 1: j2 <= min(2, 0, 3) = 0, so 1 * 1 = 1; total 5.
                new Case("relu [1,3], n0 = 2", mlp(2, "relu", 1, 3), 5, 0),
                // residual-bn example: dense 2->3 (d = 2); residual body leaky(3): 1+3+3 = 7 (no
                // refinement), dense, abs(3): 7 -> body 49; after the block d = min(2, 3) = 2; relu(3): 7.
                // 49 * 7 = 343. Montufar on widths 3, 3, 3: 1 * 1 * (1 + 3 + 3) = 7.
                new Case("residual-bn", """
                        {"netgeom": 1, "input": [2], "layers": [
                          {"op": "dense", "weight": [["1", "-1/2"], ["1/3", "2"], [0.5, -1]], "bias": ["0", "1/4", "-1"]},
                          {"op": "batchnorm", "mean": ["0", "1", "-1"], "var": ["3", "9/16", "0"], "eps": "1"},
                          {"op": "residual", "layers": [
                            {"op": "leaky_relu", "slope": "1/10"},
                            {"op": "dense", "weight": [["1", "0", "-1"], ["0", "1", "1"], ["1/2", "1/2", "0"]]},
                            {"op": "abs"}]},
                          {"op": "relu"},
                          {"op": "dense", "weight": [["1", "-1", "1/2"]]}]}""", 343, 7),
                // conv 3x3 on 1x4x4 -> 1x2x2 (d = 4), relu(4), maxpool 2x2: one window, C(4,2) = 6
                // hyperplanes. j=0: 1*(1+6+15+20+15) = 57; j=1: 4*(1+6+15+20) = 168; j=2: 6*(1+6+15) = 132;
                // j=3: 4*(1+6) = 28; j=4: 1*1 = 1; total 386. Montufar, widths 4, 1 on n0 = 16: floor(4/16) = 0.
                new Case("conv + maxpool", """
                        {"netgeom": 1, "input": [1, 4, 4], "layers": [
                          {"op": "conv2d", "weight": [[[[1, 0, -1], [0, 1, 0], [1, 1, 1]]]], "bias": [0]},
                          {"op": "relu"},
                          {"op": "maxpool2d", "kernel": 2},
                          {"op": "flatten"},
                          {"op": "dense", "weight": [[1]]}]}""", 386, 0),
                // hardtanh(2) on n0 = 1: 2 units are 4 sign units (z > min, z > max), 4 breakpoints on the line:
                // C(4,0) + C(4,1) = 5 (attained when the breakpoints are distinct); d after = min(1, 2) = 1; the
                // dense after adds nothing. Montufar's construction folds with rectifiers: not claimed, 0.
                new Case("hardtanh 1-D", """
                        {"netgeom": 1, "input": [1], "layers": [
                          {"op": "dense", "weight": [[1], [2]], "bias": [0, 1]},
                          {"op": "hardtanh", "min_val": "-1/2"},
                          {"op": "dense", "weight": [[1, 1]]}]}""", 5, 0),
                // maxout k = 3 on n0 = 1, 2 groups: each group is an arrangement of C(3,2) = 3 hyperplanes (points),
                // 2·3 = 6 points on the line: C(6,0) + C(6,1) = 7; d after = min(1, 2) = 1. Montufar: not claimed, 0.
                new Case("maxout 1-D", """
                        {"netgeom": 1, "input": [1], "layers": [
                          {"op": "dense", "weight": [[1], [2], [-1], [1], [0], [3]], "bias": [0, 1, 0, -1, 0, 1]},
                          {"op": "maxout", "k": 3},
                          {"op": "dense", "weight": [[1, 1]]}]}""", 7, 0),
                // a linear bottleneck: dense 2 -> 1 -> 3, relu(3), dense. The relu's 3 hyperplanes
                // are pulled back from a line, so at most 4 regions (3 parallel lines): Serra with
                // d = 1 gives C(3,0) + C(3,1) = 4. Montufar's sum over j <= n0 = 2 would claim 7 > 4,
                // a false lower bound; in the 1-D image it is C(3,0) + C(3,1) = 4 (attained: three
                // distinct breakpoints on the line).
                new Case("linear bottleneck before the last layer", """
                        {"netgeom": 1, "input": [2], "layers": [
                          {"op": "dense", "weight": [[1, 1]]},
                          {"op": "dense", "weight": [[1], [2], [3]], "bias": [0, -1, 1]},
                          {"op": "relu"},
                          {"op": "dense", "weight": [[1, 1, 1]]}]}""", 4, 4),
                // the same bottleneck before a middle layer: dense 2 -> 1 -> 4, relu(4), dense 4 -> 3,
                // relu(3). Montufar's folding needs n0 = 2 dimensions after the first layer: the
                // theorem does not apply, 0 (it would claim floor(4/2)^2 * 7 = 28). Serra with d = 1:
                // j1 = 0: 1 * (1 + 3) = 4; j1 = 1: 4 * (1 + 3) = 16; total 20.
                new Case("linear bottleneck before a middle layer", """
                        {"netgeom": 1, "input": [2], "layers": [
                          {"op": "dense", "weight": [[1, 1]]},
                          {"op": "dense", "weight": [[1], [2], [3], [4]]},
                          {"op": "relu"},
                          {"op": "dense", "weight": [[1, 1, 1, 1], [1, 0, 0, 1], [0, 1, 1, 0]]},
                          {"op": "relu"},
                          {"op": "dense", "weight": [[1, 1, 1]]}]}""", 20, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handDerivedValues(Case c) {
        Model m = IrReader.read(c.json(), null);
        RegionBounds.Bounds b = RegionBounds.of(m);
        assertEquals(BigInteger.valueOf(c.serra()), b.serra(), "Serra");
        assertEquals(BigInteger.valueOf(c.montufar()), b.montufar(), "Montufar");
    }

    /**
     * Every op of the IR has a rule in the recursion: the hand-derived cases above together use
     * every piecewise-linear and affine op (a new op without a rule fails here, where it used to be
     * taken for affine and give a too-small bound), and the two non-linear smooth ops are refused.
     */
    @org.junit.jupiter.api.Test
    void everyOpHasARule() {
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        cases().forEach(c -> IrReader.read(c.json(), null).walk(s -> seen.add(s.layer().getClass())));
        for (Class<?> op : org.netgeom.ir.Layer.class.getPermittedSubclasses()) {
            if (op == org.netgeom.ir.Layer.Square.class || op == org.netgeom.ir.Layer.Smooth.class) {
                continue;
            }
            org.junit.jupiter.api.Assertions.assertTrue(seen.contains(op), "no hand-derived case uses " + op.getSimpleName());
        }
        for (String op : new String[]{"{\"op\": \"square\"}", "{\"op\": \"tanh\"}"}) {
            Model m = IrReader.read("{\"netgeom\": 1, \"input\": [2], \"layers\": [" + op + "]}", null);
            org.netgeom.ir.NetgeomException e = org.junit.jupiter.api.Assertions.assertThrows(org.netgeom.ir.NetgeomException.class,
                    () -> RegionBounds.of(m));
            assertEquals(org.netgeom.symbolic.SymbolicError.NOT_PIECEWISE_LINEAR, e.code());
        }
    }
}
