package org.netgeom.cli.commands.bench;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.loss.AffineForward;
import org.netgeom.symbolic.loss.LayerParams;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.LossLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code netgeom bench loss-line}: the exact loss along a line computed by walking each data
 * point on its own ({@link LossLine}, what {@code loss-surface --line} runs) against the
 * reference of one global walk that re-evaluates every data point and re-sums the loss
 * polynomial at every breakpoint, on the same random net, data and direction, in the same
 * process. Both must give identical pieces (intervals and exact coefficients); the ratio is
 * printed.
 */
@Command(name = "loss-line", description = "Per-point line walk vs a global walk (loss-surface --line), as a ratio.")
public final class LossLineBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--points", defaultValue = "200", description = "Data points (default 200).")
    int points;

    @Option(names = "--width", defaultValue = "8", description = "Hidden width (default 8).")
    int width;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs of each method (default 3; the median is reported).")
    int repeats;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed.")
    long seed;

    private static Rational q(Random r) {
        int d = 1 + r.nextInt(8);
        return Rational.of(r.nextInt(8 * d + 1) - 4 * d, d);
    }

    private static Tensor matrix(Random r, int rows, int cols) {
        Rational[][] m = new Rational[rows][cols];
        for (Rational[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = q(r);
            }
        }
        return Tensor.matrix(m);
    }

    private static Tensor vector(Random r, int n) {
        Rational[] v = new Rational[n];
        for (int i = 0; i < n; i++) {
            v[i] = q(r);
        }
        return Tensor.vector(v);
    }

    @Override
    public Integer call() {
        Random r = new Random(seed);
        int in = 4;
        Model m = new Model("bench", Shape.of(in), List.of(
                new Layer.Dense(null, matrix(r, width, in), vector(r, width)), Layer.AbRelu.relu(null),
                new Layer.Dense(null, matrix(r, width, width), vector(r, width)), Layer.AbRelu.relu(null),
                new Layer.Dense(null, matrix(r, 1, width), vector(r, 1))));
        DataSet data = new DataSet(matrix(r, points, in), matrix(r, points, 1));
        LayerParams p = LayerParams.of(m, "0");
        Rational[] d = new Rational[p.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = q(r);
        }
        Rational t0 = Rational.of(-4);
        Rational t1 = Rational.of(4);
        LossLine.Result a = LossLine.compute(m, p, d, data, LossKind.MSE, t0, t1, Progress.NONE);   // warm-up
        List<String> b = globalWalk(m, p, d, data, t0, t1);
        boolean same = flat(a).equals(b);
        long[] ta = new long[repeats];
        long[] tb = new long[repeats];
        for (int k = 0; k < repeats; k++) {
            long s = System.nanoTime();
            LossLine.compute(m, p, d, data, LossKind.MSE, t0, t1, Progress.NONE);
            ta[k] = System.nanoTime() - s;
            s = System.nanoTime();
            globalWalk(m, p, d, data, t0, t1);
            tb[k] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(ta);
        java.util.Arrays.sort(tb);
        double ma = ta[repeats / 2] / 1e6;
        double mb = tb[repeats / 2] / 1e6;
        spec.commandLine().getOut().printf("loss-line: net 4-%d-%d-1, %d data points, %d breakpoints on [-4, 4], same result: %s%n",
                width, width, points, a.breakpoints().size(), same ? "yes" : "NO");
        spec.commandLine().getOut().printf("  per-point walk (loss-surface --line)  %10.1f ms%n", ma);
        spec.commandLine().getOut().printf("  global walk (reference)               %10.1f ms%n", mb);
        spec.commandLine().getOut().println("  reference: " + BenchEnv.reference("global walk, every data point re-evaluated at every breakpoint"));
        spec.commandLine().getOut().printf("  ratio reference / per-point            %10.2f x  (median of %d runs)%n", mb / ma, repeats);
        return same ? 0 : 1;
    }

    /**
     * The reference: the straightforward algorithm, which at every breakpoint evaluates every data
     * point again and sums the whole loss polynomial afresh. Returns pieces as "t0 t1 c0 c1 c2".
     */
    private static List<String> globalWalk(Model m, LayerParams p, Rational[] d, DataSet data, Rational t0, Rational t1) {
        AffineForward.Target target = new AffineForward.Target(p, p.values(), new Rational[][]{d});
        Rational scale = LossKind.MSE.scale(data);
        List<String> out = new ArrayList<>();
        Rational t = t0;
        while (t.compareTo(t1) < 0) {
            Rational next = t1;
            Rational[] c = {Rational.ZERO, Rational.ZERO, Rational.ZERO};
            for (int i = 0; i < data.size(); i++) {
                AffineForward.Result res = AffineForward.run(m, AffineForward.constant(data.x(i), 1), 1, target, AffineForward.rightOf(t));
                for (AffineForward.Constraint k : res.constraints()) {
                    if (!k.g()[1].isZero()) {
                        Rational root = k.g()[0].negate().divide(k.g()[1]);
                        if (root.compareTo(t) > 0 && root.compareTo(next) < 0) {
                            next = root;
                        }
                    }
                }
                Rational r0 = res.output()[0][0].subtract(data.y(i)[0]);
                Rational s1 = res.output()[0][1];
                c[0] = c[0].add(r0.multiply(r0));
                c[1] = c[1].add(r0.multiply(s1).multiply(2));
                c[2] = c[2].add(s1.multiply(s1));
            }
            out.add(t + " " + next + " " + c[0].multiply(scale) + " " + c[1].multiply(scale) + " " + c[2].multiply(scale));
            t = next;
        }
        return out;
    }

    private static List<String> flat(LossLine.Result r) {
        List<String> out = new ArrayList<>();
        for (LossLine.Piece pc : r.pieces()) {
            out.add(pc.t0() + " " + pc.t1() + " " + pc.coeffs()[0] + " " + pc.coeffs()[1] + " " + pc.coeffs()[2]);
        }
        return out;
    }
}
