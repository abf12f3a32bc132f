package org.netgeom.proofs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.kernels.WidthSweep;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.exact.ExactJacobian;
import org.netgeom.symbolic.perturb.Factors;
import org.netgeom.symbolic.regions.Regions;
import org.netgeom.symbolic.poly.Options;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutation tests of the catalog: for every theorem, the engine its check relies on is replaced by
 * a broken test double (a wrong sign in a derivative, a dropped unit, a wrong map), and the TRUE
 * statement's check must then report {@code violated} (exit status 3). A check that still says
 * {@code holds} with a broken engine cannot tell a correct network computation from a wrong one.
 * (That every theorem holds with the real engines is {@link CatalogTest}'s job.)
 */
class CatalogMutationTest {
    /** One broken engine per theorem id: what is broken, and the engines with it. */
    record Mutation(String theorem, String broken, UnaryOperator<Engines> apply) {
        @Override
        public String toString() {
            return theorem + ": " + broken;
        }
    }

    static List<Mutation> mutations() {
        return List.of(
                new Mutation("telgarsky-tent", "region engine drops a unit (first dense layer's unit 0 compiled as zero)",
                        e -> e.withRegions((m, d) -> Regions.enumerate(dropUnit(m), d, Options.defaults()))),
                new Mutation("yarotsky-square", "region engine drops a unit (first dense layer's unit 0 compiled as zero)",
                        e -> e.withRegions((m, d) -> Regions.enumerate(dropUnit(m), d, Options.defaults()))),
                new Mutation("serra-bound", "region engine compiles a spurious unit (unit 0 duplicated with its bias shifted by 1/3)",
                        e -> e.withRegions((m, d) -> Regions.enumerate(spuriousUnit(m), d, Options.defaults()))),
                new Mutation("montufar-lower", "region engine drops a unit (first dense layer's unit 0 compiled as zero)",
                        e -> e.withRegions((m, d) -> Regions.enumerate(dropUnit(m), d, Options.defaults()))),
                new Mutation("du-hinf", "H-infinity engine drops the inputs' second coordinate (a wrong map of the data)",
                        e -> e.withHInfinity((d, o) -> Engines.REAL.hInfinity().of(firstCoordinateOnly(d), o))),
                new Mutation("pl-star", "backpropagation drops a unit (unit 0 of layers[0] gets no gradient)",
                        e -> e.withLossGradient((m, d) -> dropUnitGradient(m, Engines.REAL.lossGradient().at(m, d)))),
                new Mutation("piecewise-quadratic-loss", "loss engine drops the last data point (off by one in the data loop)",
                        e -> e.withLossCell((v, d) -> Engines.REAL.lossCell().compute(v, dropLastPoint(d)))),
                new Mutation("resnet-conditioning", "local factors with the wrong sign of the body's derivative (I - DW for I + DW)",
                        e -> e.withFactors((m, x) -> Engines.REAL.factors().at(m, x).stream().map(CatalogMutationTest::flipBody).toList())),
                new Mutation("bn-centering", "batchnorm's training mode normalises with the running statistics (train flag lost)",
                        e -> e.withBatchNormTrain((m, x, n) -> Net.of(m).forward(x, n, false))),
                new Mutation("gf-invariants", "a wrong sign in one derivative (the gradient's first entry negated)",
                        e -> e.withFlowGradient((net, x, y, n, g) -> {
                            double[] own = new double[g.length];
                            double loss = Engines.REAL.flowGradient().add(net, x, y, n, own);
                            own[0] = -own[0];
                            for (int i = 0; i < g.length; i++) {
                                g[i] += own[i];
                            }
                            return loss;
                        })),
                new Mutation("ntk-convergence", "empirical NTK without the hidden layers' gradients (last layer only)",
                        e -> e.withNtkSweep((x, limit, widths, seeds, seed, phi, depth, p) -> WidthSweep.run(WidthSweep.Kind.NNGP, x, limit,
                                widths, seeds, seed, phi, depth, 2, 0, p))));
    }

    @AfterAll
    static void stopSymja() {
        Cas.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theTrueStatementFailsOnABrokenEngine(Mutation mu) {
        Theorem t = Catalog.byId(mu.theorem());
        CheckContext ctx = CheckContext.defaults(false).withEngines(mu.apply().apply(Engines.REAL));
        CheckResult r = t.check(ctx);
        System.out.println("mutation " + mu + " -> " + r.verdict().json() + ": " + r.notes());
        assertEquals(Verdict.VIOLATED, r.verdict(), mu + " went unnoticed: " + r.evidence() + " " + r.notes());
        assertEquals(3, r.verdict().exitStatus);
    }

    @Test
    void everyTheoremOfTheCatalogIsCovered() {
        Set<String> covered = new LinkedHashSet<>();
        for (Mutation mu : mutations()) {
            covered.add(mu.theorem());
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Theorem t : Catalog.all()) {
            ids.add(t.id());
        }
        assertEquals(Catalog.all().size(), covered.size(), "one mutation per theorem");
        assertEquals(ids, covered);
    }

    // ------------------------------------------------------------------ broken engines

    /** The model with unit 0 of its first top-level dense layer zeroed (weights and bias). */
    static Model dropUnit(Model m) {
        List<Layer> ls = new ArrayList<>(m.layers());
        for (int i = 0; i < ls.size(); i++) {
            if (ls.get(i) instanceof Layer.Dense d) {
                Scalar[] w = d.weight().rationals();
                for (int j = 0; j < d.in(); j++) {
                    w[j] = Rational.ZERO;
                }
                Tensor b = d.bias();
                if (b != null) {
                    Scalar[] bv = b.rationals();
                    bv[0] = Rational.ZERO;
                    b = Tensor.of(b.shape(), bv);
                }
                ls.set(i, new Layer.Dense(d.name(), Tensor.of(d.weight().shape(), w), b));
                return new Model(m.name(), m.input(), ls);
            }
        }
        throw new IllegalArgumentException("no dense layer");
    }

    /** The model with unit 0 of its first dense layer duplicated (bias + 1/3) and a zero column for it in the next dense layer. */
    static Model spuriousUnit(Model m) {
        List<Layer> ls = new ArrayList<>(m.layers());
        int first = -1;
        for (int i = 0; i < ls.size(); i++) {
            if (ls.get(i) instanceof Layer.Dense d) {
                if (first < 0) {
                    first = i;
                    Rational[][] w = new Rational[d.out() + 1][];
                    Rational[] b = new Rational[d.out() + 1];
                    for (int r = 0; r < d.out(); r++) {
                        w[r] = d.weight().row(r);
                        b[r] = d.bias() == null ? Rational.ZERO : d.bias().rational(r);
                    }
                    w[d.out()] = d.weight().row(0);
                    b[d.out()] = b[0].add(Rational.of(1, 3));
                    ls.set(i, new Layer.Dense(d.name(), Tensor.matrix(w), Tensor.vector(b)));
                } else {
                    Rational[][] w = new Rational[d.out()][];
                    for (int r = 0; r < d.out(); r++) {
                        Rational[] row = java.util.Arrays.copyOf(d.weight().row(r), d.in() + 1);
                        row[d.in()] = Rational.ZERO;
                        w[r] = row;
                    }
                    ls.set(i, new Layer.Dense(d.name(), Tensor.matrix(w), d.bias()));
                    return new Model(m.name(), m.input(), ls);
                }
            }
        }
        throw new IllegalArgumentException("needs two dense layers");
    }

    static DataSet firstCoordinateOnly(DataSet d) {
        Scalar[] x = d.x().rationals();
        int w = d.inputWidth();
        for (int i = 0; i < x.length; i++) {
            if (i % w != 0) {
                x[i] = Rational.ZERO;
            }
        }
        return new DataSet(Tensor.of(d.x().shape(), x), d.y());
    }

    static DataSet dropLastPoint(DataSet d) {
        int n = d.size() - 1;
        Scalar[] x = java.util.Arrays.copyOf(d.x().rationals(), n * d.inputWidth(), Scalar[].class);
        Scalar[] y = java.util.Arrays.copyOf(d.y().rationals(), n * d.targetWidth(), Scalar[].class);
        return new DataSet(Tensor.of(Shape.of(n, d.inputWidth()), x), Tensor.of(Shape.of(n, d.targetWidth()), y));
    }

    static Rational[] dropUnitGradient(Model m, Rational[] g) {
        for (ExactJacobian.Param p : ExactJacobian.parameters(m)) {
            if (p.path().equals("layers[0].weight")) {
                int in = p.shape().dims()[1];
                for (int j = 0; j < in; j++) {
                    g[p.offset() + j] = Rational.ZERO;
                }
            } else if (p.path().equals("layers[0].bias")) {
                g[p.offset()] = Rational.ZERO;
            }
        }
        return g;
    }

    static Factors.Factor flipBody(Factors.Factor f) {
        if (f.kind() != Factors.Kind.RESIDUAL || !f.identityShortcut()) {
            return f;
        }
        Rational[][] body = f.body();
        Rational[][] neg = new Rational[body.length][];
        Rational[][] block = new Rational[body.length][];
        for (int i = 0; i < body.length; i++) {
            neg[i] = new Rational[body[i].length];
            block[i] = new Rational[body[i].length];
            for (int j = 0; j < body[i].length; j++) {
                neg[i][j] = body[i][j].negate();
                block[i][j] = (i == j ? Rational.ONE : Rational.ZERO).add(neg[i][j]);
            }
        }
        return new Factors.Factor(f.layers(), f.kind(), block, neg, true);
    }
}
