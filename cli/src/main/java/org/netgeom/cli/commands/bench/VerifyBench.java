package org.netgeom.cli.commands.bench;

import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.commands.BaseCommand;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.verify.BranchAndBound;
import org.netgeom.symbolic.verify.Graph;
import org.netgeom.symbolic.verify.Relaxation;
import org.netgeom.symbolic.verify.Verify;
import org.netgeom.symbolic.verify.VnnLib;
import org.netgeom.symbolic.verify.VnnSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code netgeom bench verify}: {@code netgeom verify} on ACAS-Xu-shaped nets (5 inputs, L hidden
 * layers of 50 relus, 5 outputs; seeded random weights j/64, |j| ≤ 22 (about Kaiming's scale for
 * fan-in 50), biases j/64, |j| ≤ 8) and properties of VNN-COMP's ACAS-Xu kind: an input box of
 * half-width EPS around a random centre in [−1/2, 1/2]^5, and the violation "Y_j is minimal"
 * (Y_j ≤ Y_k for every k ≠ j), with j the output that is second smallest at the centre (the
 * smallest would be sat at once). Each property is written as VNN-LIB text and read back. Printed
 * per property: the result, the wall time and the nodes of the exact search, and as the reference
 * in the same run the root CROWN bound alone (an incomplete verifier: "verified" when its bound of
 * the margin is below 0) and its time. One cold run per property after a warm-up; no repetition.
 */
@Command(name = "verify", description = "netgeom verify on ACAS-Xu-shaped random nets: result, time and nodes per property, against CROWN alone.")
public final class VerifyBench extends BaseCommand {
    @Option(names = "--layers", paramLabel = "L", defaultValue = "6", description = "Hidden layers of 50 relus (ACAS Xu: 6).")
    int layers;

    @Option(names = "--width", paramLabel = "W", defaultValue = "50", description = "Relus per hidden layer (ACAS Xu: 50).")
    int width;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "3", description = "Random nets (seeds 1..S).")
    int seeds;

    @Option(names = "--eps", paramLabel = "E1,E2,...", defaultValue = "1/64,1/16,1/4", description = "Half-widths of the input boxes.")
    String eps;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "60", description = "Seconds per property (then unknown).")
    double timeout;

    @Option(names = "--input-splits", paramLabel = "K", description = "Input bisections per path before unit splits (default as verify's: 25).")
    Integer inputSplits;

    @Option(names = "--write", paramLabel = "DIR", description = "Also write each net (IR JSON) and property (.vnnlib) into DIR, to rerun with netgeom verify.")
    Path write;

    @Option(names = "--certify", description = "Also re-check each sat/unsat answer with netgeom-certify (as verify does by default) and report its time.")
    boolean certify;

    @Option(names = "--quick", description = "One seed, two hidden layers, half-widths 1/64 and 1/4, 10 s per property (a smoke test of the benchmark).")
    boolean quick;

    static final int INPUTS = 5;
    static final int OUTPUTS = 5;

    /** The ACAS-Xu-shaped net of a seed. */
    static Model net(long seed, int layers, int width) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> ls = new ArrayList<>();
        int in = INPUTS;
        for (int l = 0; l <= layers; l++) {
            int out = l == layers ? OUTPUTS : width;
            Rational[][] w = new Rational[out][in];
            Rational[] b = new Rational[out];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[i][j] = Rational.of(r.nextInt(-22, 23), 64);
                }
                b[i] = Rational.of(r.nextInt(-8, 9), 64);
            }
            ls.add(new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b)));
            if (l < layers) {
                ls.add(RandomNets.activation("relu"));
            }
            in = out;
        }
        return new Model("acas-shaped-" + seed, Shape.of(INPUTS), ls);
    }

    /** The property text: the box around c of half-width e, and "Y_j is minimal". */
    static String property(Rational[] c, Rational e, int j) {
        StringBuilder sb = new StringBuilder("; ACAS-Xu-shaped property: Y_" + j + " is minimal somewhere in the box\n");
        for (int i = 0; i < INPUTS; i++) {
            sb.append("(declare-const X_").append(i).append(" Real)\n");
        }
        for (int i = 0; i < OUTPUTS; i++) {
            sb.append("(declare-const Y_").append(i).append(" Real)\n");
        }
        for (int i = 0; i < INPUTS; i++) {
            sb.append("(assert (>= X_").append(i).append(' ').append(lit(c[i].subtract(e))).append("))\n");
            sb.append("(assert (<= X_").append(i).append(' ').append(lit(c[i].add(e))).append("))\n");
        }
        sb.append("(assert (and");
        for (int k = 0; k < OUTPUTS; k++) {
            if (k != j) {
                sb.append(" (<= Y_").append(j).append(" Y_").append(k).append(')');
            }
        }
        return sb.append("))\n").toString();
    }

    static String lit(Rational q) {
        return q.isInteger() ? q.toString() : "(/ " + q.numerator() + " " + q.denominator() + ")";
    }

    record Prop(Model model, String name, String text) {
    }

    @Override
    public Integer call() {
        if (quick) {
            seeds = 1;
            layers = 2;
            timeout = 10;
            eps = "1/64,1/4";
        }
        if (layers < 1 || width < 1 || seeds < 1 || !(timeout > 0)) {
            throw CliError.USAGE.error("--layers, --width, --seeds and --timeout must be positive");
        }
        Rational[] eps = org.netgeom.cli.Args.rationals(this.eps, "--eps");
        int splits = inputSplits != null ? inputSplits : org.netgeom.cli.commands.VerifyCommand.defaultInputSplits(INPUTS);
        if (splits < 0) {
            throw CliError.USAGE.error("--input-splits must be 0 or more");
        }
        List<Prop> props = new ArrayList<>();
        for (int s = 1; s <= seeds; s++) {
            Model m = net(s, layers, width);
            SplittableRandom r = new SplittableRandom(100 + s);
            Rational[] c = new Rational[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                c[i] = Rational.of(r.nextInt(-8, 9), 16);
            }
            Rational[] y = ExactForward.eval(m, c);
            Integer[] order = {0, 1, 2, 3, 4};
            Arrays.sort(order, (a, b) -> y[a].compareTo(y[b]));
            int j = order[1];
            for (Rational e : eps) {
                props.add(new Prop(m, "seed " + s + " eps " + e + " Y_" + j + " min", property(c, e, j)));
            }
        }
        if (write != null) {
            writeFiles(props);
        }
        var w = out();
        if (!json) {
            w.printf("netgeom bench verify: ACAS-Xu-shaped nets 5-%s-5 (relu, seeded weights j/64), properties \"Y_j is minimal\" on boxes "
                    + "of half-width %s; timeout %.0f s per property; %d input splits per path; reference: the root CROWN bound alone; %s%n",
                    layers + "x" + width, this.eps, timeout, splits, BenchEnv.jvm());
            w.printf("%-28s %8s %17s %10s %9s %8s %12s %10s%s%n", "property", "result", "by", "seconds", "nodes", "leaves", "crown alone",
                    "crown s", certify ? String.format(" %10s", "check s") : "");
            w.flush();
        }
        // warm-up: the first property with a short limit
        Verify.run(props.get(0).model(), VnnLib.read(props.get(0).text(), INPUTS, OUTPUTS),
                new BranchAndBound.Limits(Relaxation.Method.CROWN, 200, System.nanoTime() + 2_000_000_000L), null);
        List<Object> rows = new ArrayList<>();
        for (Prop p : props) {
            long t0 = System.nanoTime();
            VnnSpec spec = VnnLib.read(p.text(), INPUTS, OUTPUTS);
            Verify.Outcome o = Verify.run(p.model(), spec, new BranchAndBound.Limits(Relaxation.Method.CROWN, Long.MAX_VALUE,
                    System.nanoTime() + (long) (timeout * 1e9), splits), null);
            double secs = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            double crown = crownAlone(p.model(), spec);
            double crownSecs = (System.nanoTime() - t1) / 1e9;
            long leaves = o.terms().stream().mapToLong(Verify.TermResult::leaves).sum();
            Double checkSecs = null;
            if (certify && o.answer() != Verify.Answer.UNKNOWN) {
                long t2 = System.nanoTime();
                org.netgeom.cli.commands.VerifyCommand.certify(modelFile(p.model()), spec, o, Relaxation.Method.CROWN);
                checkSecs = (System.nanoTime() - t2) / 1e9;
            }
            Map<String, Object> row = JsonOut.object();
            row.put("property", p.name());
            row.put("result", o.answer().name().toLowerCase());
            String by = o.term() >= 0 ? o.terms().get(o.term()).by() : Verify.BY_SEARCH;
            row.put("by", by);
            row.put("seconds", secs);
            row.put("nodes", o.nodes());
            row.put("leaves", leaves);
            row.put("crownBound", crown);
            row.put("crownVerified", crown < 0);
            row.put("crownSeconds", crownSecs);
            if (certify) {
                row.put("certifySeconds", checkSecs);
            }
            rows.add(row);
            if (!json) {
                w.printf("%-28s %8s %17s %10.3f %9d %8d %12s %10.4f%s%n", p.name(), o.answer().name().toLowerCase(), by, secs, o.nodes(), leaves,
                        crown < 0 ? "verified" : "unknown", crownSecs,
                        certify ? checkSecs == null ? String.format(" %10s", "-") : String.format(" %10.3f", checkSecs) : "");
                w.flush();
            }
        }
        if (json) {
            Map<String, Object> out = JsonOut.object();
            out.put("layers", layers);
            out.put("width", width);
            out.put("timeout", timeout);
            out.put("inputSplits", splits);
            out.put("properties", rows);
            out.put("reference", BenchEnv.reference("the root CROWN bound of the margin alone"));
            printJson(out);
        }
        return 0;
    }

    private final Map<Model, java.nio.file.Path> files = new java.util.IdentityHashMap<>();

    /** The model as an IR file for the checker (which reads only files): a temporary file, deleted on exit. */
    private java.nio.file.Path modelFile(Model m) {
        return files.computeIfAbsent(m, x -> {
            try {
                java.nio.file.Path f = java.nio.file.Files.createTempFile("netgeom-bench-verify", ".json");
                f.toFile().deleteOnExit();
                java.nio.file.Files.writeString(f, org.netgeom.ir.io.IrWriter.toJson(x));
                return f;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The root bound of the margin min_k (Y_k − Y_j): the least CROWN bound of each row and of their mean. */
    static double crownAlone(Model m, VnnSpec spec) {
        Graph g = Graph.of(m);
        VnnSpec.Box b = spec.boxes().get(0);
        double[] lo = new double[INPUTS];
        double[] hi = new double[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            lo[i] = Math.nextDown(b.lo()[i].doubleValue());
            hi[i] = Math.nextUp(b.hi()[i].doubleValue());
        }
        Relaxation r = new Relaxation(g, Relaxation.Method.CROWN, lo, hi, null);
        List<VnnSpec.Constraint> cs = spec.terms().get(0).constraints();
        double best = Double.POSITIVE_INFINITY;
        Rational[] mean = new Rational[OUTPUTS];
        Arrays.fill(mean, Rational.ZERO);
        for (VnnSpec.Constraint c : cs) {
            best = Math.min(best, r.objectiveUpper(c.a(), null, null));
            for (int k = 0; k < OUTPUTS; k++) {
                mean[k] = mean[k].add(c.a()[k].divide(Rational.of(cs.size())));
            }
        }
        return Math.min(best, r.objectiveUpper(mean, null, null));
    }

    private void writeFiles(List<Prop> props) {
        try {
            Files.createDirectories(write);
            for (int i = 0; i < props.size(); i++) {
                Prop p = props.get(i);
                Path model = write.resolve(p.model().name() + ".json");
                if (!Files.exists(model)) {
                    IrWriter.write(p.model(), model, IrWriter.Options.DEFAULT);
                }
                Files.writeString(write.resolve("prop-" + i + "-" + p.model().name() + ".vnnlib"), p.text());
            }
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot write into " + write + ": " + e.getMessage());
        }
    }
}
