package org.netgeom.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.Forward64;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.torch.TorchEngine;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.exact.IntervalDomain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op of the IR × every number domain of the {@link org.netgeom.ir.interp.Interpreter}
 * either evaluates, agreeing with an independent reference, or refuses with a code — the count
 * of checked pairs is asserted, in the style of EJML's count-checked tests, so a new op or a new
 * domain that is not covered here fails this test. References: PyTorch (through the bridge, float64)
 * for the float64 and the exact domain (dyadic inputs and weights, so the only difference is
 * float64 rounding); for the interval (IBP) domain the exact values themselves: on a one-point
 * box the bounds must equal the exact value, and on a small box they must contain the exact value
 * at 40 random rational points of it.
 */
class DomainCoverageTest {
    static TorchEngine torch;

    @BeforeAll
    static void bridge() {
        torch = new TorchEngine(TorchEngine.Options.CPU64);
    }

    @AfterAll
    static void done() {
        torch = null;
    }

    /** One model that exercises one op (or one member of an op family). */
    record Case(String name, Class<? extends Layer> op, Model model) {
    }

    private static final Random RND = new Random(15);

    /** A dyadic rational in [-2, 2] with denominator 16: exact in float64. */
    private static Rational dy() {
        return Rational.of(RND.nextInt(65) - 32, 16);
    }

    private static Tensor t(int... dims) {
        Shape s = Shape.of(dims);
        Scalar[] v = new Scalar[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = dy();
        }
        return Tensor.of(s, v);
    }

    private static Layer.Dense dense(int in, int out) {
        return new Layer.Dense(null, t(out, in), t(out));
    }

    private static Case vec(String name, Class<? extends Layer> op, Layer... middle) {
        List<Layer> ls = new ArrayList<>();
        ls.add(dense(3, 4));
        ls.addAll(Arrays.asList(middle));
        return new Case(name, op, new Model(name, Shape.of(3), ls));
    }

    private static Case img(String name, Class<? extends Layer> op, Layer... middle) {
        List<Layer> ls = new ArrayList<>();
        ls.add(new Layer.Conv2d(null, t(2, 1, 2, 2), t(2), Layer.Hw.of(1), Layer.Hw.of(1)));   // [1,4,4] -> [2,5,5]
        ls.addAll(Arrays.asList(middle));
        ls.add(new Layer.Flatten(null));
        return new Case(name, op, new Model(name, Shape.of(1, 4, 4), ls));
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(vec("dense", Layer.Dense.class, dense(4, 2)));
        cs.add(vec("dense without bias", Layer.Dense.class, new Layer.Dense(null, t(2, 4), null)));
        cs.add(vec("relu", Layer.AbRelu.class, Layer.AbRelu.relu(null)));
        cs.add(vec("leaky_relu", Layer.AbRelu.class, Layer.AbRelu.leakyRelu(null, Rational.of(1, 8))));
        cs.add(vec("abs", Layer.AbRelu.class, Layer.AbRelu.abs(null)));
        cs.add(vec("abrelu", Layer.AbRelu.class, Layer.AbRelu.abrelu(null, Rational.of(-3, 4), Rational.of(5, 2))));
        cs.add(vec("hardtanh", Layer.HardTanh.class, new Layer.HardTanh(null, Rational.MINUS_ONE, Rational.ONE)));
        cs.add(vec("hardtanh [-5/2, 7/4]", Layer.HardTanh.class, new Layer.HardTanh(null, Rational.of(-5, 2), Rational.of(7, 4))));
        cs.add(vec("maxout k=2", Layer.Maxout.class, new Layer.Maxout(null, 2)));
        cs.add(vec("maxout k=4 after dense", Layer.Maxout.class, dense(4, 8), new Layer.Maxout(null, 4)));
        cs.add(vec("identity", Layer.Identity.class, new Layer.Identity(null)));
        cs.add(vec("square", Layer.Square.class, new Layer.Square(null)));
        for (Layer.Smooth.Fn f : Layer.Smooth.Fn.values()) {
            cs.add(vec(f.op, Layer.Smooth.class, new Layer.Smooth(null, f)));
        }
        cs.add(vec("residual (identity shortcut)", Layer.Residual.class,
                new Layer.Residual(null, List.of(dense(4, 4), Layer.AbRelu.relu(null)), null)));
        cs.add(vec("residual (dense shortcut)", Layer.Residual.class,
                new Layer.Residual(null, List.of(dense(4, 3), Layer.AbRelu.abs(null)), List.of(dense(4, 3)))));
        cs.add(vec("concat", Layer.Concat.class, new Layer.Concat(null, List.of(dense(4, 2), Layer.AbRelu.relu(null)))));
        // var + eps are squares (4, 9/4), so √(var + eps) is rational and the exact domains apply
        cs.add(vec("batchnorm", Layer.BatchNorm.class, new Layer.BatchNorm(null, t(4),
                Tensor.vector(Rational.of(3), Rational.of(5, 4), Rational.of(0), Rational.of(15)), t(4), t(4), Rational.ONE)));
        cs.add(img("conv2d", Layer.Conv2d.class, new Layer.Conv2d(null, t(3, 2, 3, 2), null, new Layer.Hw(2, 1), new Layer.Hw(1, 0))));
        cs.add(img("maxpool2d", Layer.MaxPool2d.class, new Layer.MaxPool2d(null, Layer.Hw.of(2), Layer.Hw.of(2))));
        cs.add(img("maxpool2d k3 s2", Layer.MaxPool2d.class, new Layer.MaxPool2d(null, Layer.Hw.of(3), Layer.Hw.of(2))));
        cs.add(img("avgpool2d", Layer.AvgPool2d.class, new Layer.AvgPool2d(null, new Layer.Hw(2, 3), Layer.Hw.of(1))));
        cs.add(img("flatten", Layer.Flatten.class));
        return cs;
    }

    /** The domains under test; each returns the outputs as doubles for the reference check, or throws a coded error. */
    enum Dom { FLOAT64, EXACT, INTERVAL }

    private static Rational[] point(int n) {
        Rational[] x = new Rational[n];
        for (int i = 0; i < n; i++) {
            x[i] = dy();
        }
        return x;
    }

    private static double[] doubles(Rational[] x) {
        return Arrays.stream(x).mapToDouble(Rational::doubleValue).toArray();
    }

    private static void assertClose(String what, double[] ref, double[] got) {
        assertEquals(ref.length, got.length, what + ": output size");
        for (int i = 0; i < ref.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.abs(ref[i]));
            assertTrue(Math.abs(ref[i] - got[i]) <= tol, what + " output " + i + ": reference " + ref[i] + ", domain " + got[i]);
        }
    }

    /** Evaluates one pair; returns "ok" or the refusal's code. */
    private static String check(Case c, Dom d, Rational[] x, double[] ref) {
        Model m = c.model();
        int n = m.input().size();
        double[] xd = doubles(x);
        try {
            switch (d) {
                case FLOAT64 -> assertClose(c.name + " float64 vs torch", ref, Forward64.eval(m, xd));
                case EXACT -> assertClose(c.name + " exact vs torch", ref, doubles(ExactForward.eval(m, x)));
                case INTERVAL -> {
                    Rational[] y = ExactForward.eval(m, x);
                    IntervalDomain.Iv[] at = IntervalDomain.bounds(m, x, x);
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(new IntervalDomain.Iv(y[i], y[i]), at[i], c.name + ": IBP on a one-point box is the value");
                    }
                    Rational r = Rational.of(1, 8);
                    Rational[] lo = new Rational[n];
                    Rational[] hi = new Rational[n];
                    for (int i = 0; i < n; i++) {
                        lo[i] = x[i].subtract(r);
                        hi[i] = x[i].add(r);
                    }
                    IntervalDomain.Iv[] box = IntervalDomain.bounds(m, lo, hi);
                    for (int s = 0; s < 40; s++) {
                        Rational[] p = new Rational[n];
                        for (int i = 0; i < n; i++) {
                            p[i] = lo[i].add(Rational.of(RND.nextInt(257), 1024));   // in [lo, lo + 1/4]
                        }
                        Rational[] yp = ExactForward.eval(m, p);
                        for (int i = 0; i < yp.length; i++) {
                            assertTrue(box[i].contains(yp[i]), c.name + ": IBP bound " + box[i] + " misses f(p)_" + i + " = " + yp[i]);
                        }
                    }
                }
                default -> fail("unknown domain " + d);
            }
            return "ok";
        } catch (NetgeomException e) {
            assertTrue(e.path() != null && e.path().startsWith("layers["), c.name + " × " + d + ": a refusal names its layer, got " + e.render());
            return e.code().name();
        }
    }

    @Test
    void everyOpInEveryDomainEvaluatesAgreeingWithItsReferenceOrRefusesWithACode() {
        List<Case> cs = cases();
        Map<String, String> outcome = new LinkedHashMap<>();
        for (Case c : cs) {
            Rational[] x = point(c.model().input().size());
            double[] ref = torch.forward(Net.of(c.model()), doubles(x), 1, false);   // one torch call per case
            for (Dom d : Dom.values()) {
                outcome.put(c.name + " × " + d, check(c, d, x, ref));
            }
        }
        assertEquals(cs.size() * Dom.values().length, outcome.size(), "checked pairs");
        assertEquals(26 * 3, outcome.size(), "checked pairs: 26 op cases × 3 domains");
        // the refusals, stated: smooth activations have no rational values
        Set<String> refused = new TreeSet<>();
        outcome.forEach((k, v) -> {
            if (!v.equals("ok")) {
                refused.add(k + " → " + v);
            }
        });
        Set<String> expected = new TreeSet<>();
        for (Layer.Smooth.Fn f : Layer.Smooth.Fn.values()) {
            expected.add(f.op + " × EXACT → NOT_EXACT");
            expected.add(f.op + " × INTERVAL → NOT_EXACT");
        }
        assertEquals(expected, refused);
    }

    @Test
    void everyOpOfTheIrHasACase() {
        Set<Class<?>> covered = new LinkedHashSet<>();
        for (Case c : cases()) {
            covered.add(c.op());
        }
        Set<Class<?>> ops = new LinkedHashSet<>(Arrays.asList(Layer.class.getPermittedSubclasses()));
        assertEquals(ops, covered, "a new op of the IR needs a case here (and a rule in every domain)");
        Set<String> family = new TreeSet<>();
        for (Case c : cases()) {
            family.add(c.name().split(" ")[0]);
        }
        assertTrue(family.containsAll(Layer.AbRelu.OPS), "every member of the relu family has a case");
    }

    @Test
    void aModelWithSeveralRefusedOpsReportsThemAllAtOnce() {
        Model m = new Model("two smooth", Shape.of(3), List.of(dense(3, 4), new Layer.Smooth(null, Layer.Smooth.Fn.TANH),
                new Layer.Residual(null, List.of(new Layer.Smooth(null, Layer.Smooth.Fn.GELU)), null), dense(4, 1)));
        NetgeomException e = org.junit.jupiter.api.Assertions.assertThrows(NetgeomException.class,
                () -> ExactForward.eval(m, point(3)));
        assertEquals("NOT_EXACT", e.code().name());
        assertEquals("layers[1]", e.path());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) e.details().get("unsupported");
        assertEquals(List.of("layers[1]", "layers[2].layers[0]"), list.stream().map(o -> o.get("path")).toList());
        assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains("gelu"), e.getMessage());
    }
}
