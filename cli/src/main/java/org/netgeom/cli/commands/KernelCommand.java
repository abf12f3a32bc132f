package org.netgeom.cli.commands;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.DataReader;
import org.netgeom.numeric.kernels.WidthSweep;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.kernels.Activation;
import org.netgeom.symbolic.kernels.Architecture;
import org.netgeom.symbolic.kernels.DoubleKernels;
import org.netgeom.symbolic.kernels.DuRate;
import org.netgeom.symbolic.kernels.KernelKind;
import org.netgeom.symbolic.kernels.KernelOptions;
import org.netgeom.symbolic.kernels.KernelResult;
import org.netgeom.symbolic.kernels.Kernels;
import org.netgeom.symbolic.kernels.Predict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom kernel --data X --kind nngp|ntk|h-infinity ...}: the analytic NNGP/NTK of
 * {@code stax.serial(*[Dense, φ] * L, Dense)} in NTK parameterisation, or Du et al.'s H∞, on the
 * x columns of a data file, certified to {@code --digits} digits (symbolic module), with exact
 * expressions ({@code --closed-form}, {@code --latex}); {@code --predict} adds neural-tangents'
 * gradient_descent_mse mean predictions and Du et al.'s rate check; {@code --empirical} compares
 * random finite nets (numeric module) with the analytic kernel over widths.
 */
@Command(name = "kernel", description = "NNGP, NTK and Du et al.'s H-infinity in closed form, decimals checked at two precisions, "
        + "GD-MSE predictions and empirical kernels.")
public final class KernelCommand extends BaseCommand {
    @Option(names = "--data", required = true, paramLabel = "X", description = "Data file (CSV, JSON, safetensors); its x columns.")
    Path data;

    @Option(names = "--kind", defaultValue = "ntk", paramLabel = "KIND", description = "nngp, ntk or h-infinity (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "PHI",
            description = "relu, leaky_relu[:slope], abs, abrelu:neg,pos, identity, square, erf (closed forms); tanh, sigmoid, "
                    + "softplus, gelu (Gauss-Hermite quadrature). Default ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "L", description = "Hidden layers L (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--sigma-w2", defaultValue = "2", paramLabel = "Q", description = "sigma_w^2 (default ${DEFAULT-VALUE}).")
    String sigmaW2;

    @Option(names = "--sigma-b2", defaultValue = "0", paramLabel = "Q", description = "sigma_b^2 (default ${DEFAULT-VALUE}).")
    String sigmaB2;

    @Option(names = "--digits", defaultValue = "30", paramLabel = "D", description = "Significant digits (default ${DEFAULT-VALUE}).")
    int digits;

    @Option(names = "--closed-form", description = "Also each entry as an exact expression (ArcCos, Sqrt, Pi) and its LaTeX.")
    boolean closedForm;

    @Option(names = "--latex", description = "Print LaTeX for each entry (implies --closed-form).")
    boolean latex;

    @Option(names = "--nodes", defaultValue = "128", paramLabel = "N",
            description = "Gauss-Hermite nodes per dimension for activations without a closed form (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--predict", description = "GD-MSE mean predictions as neural-tangents' predict.gradient_descent_mse.")
    boolean predict;

    @Option(names = "--test", paramLabel = "XT", description = "Test inputs for --predict (a data file; its x columns).")
    Path test;

    @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate (neural-tangents' learning_rate).")
    String lr;

    @Option(names = "--time", paramLabel = "T", description = "Training time in steps (fractional allowed); t = infinity is always given.")
    String time;

    @Option(names = "--delta", defaultValue = "1/10", paramLabel = "P", description = "Du et al.'s failure probability (default ${DEFAULT-VALUE}).")
    String delta;

    @Option(names = "--steps", paramLabel = "K", description = "Steps k for Du et al.'s bound (1 - eta lambda0/2)^k (default: --time).")
    Long steps;

    @Option(names = "--empirical", description = "Compare random finite nets with the analytic kernel over --width.")
    boolean empirical;

    @Option(names = "--width", paramLabel = "W1,W2,...", description = "Widths for --empirical.")
    String widths;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "K", description = "Random nets per width (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Base seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--plot", paramLabel = "FILE", description = "With --empirical: the log-log error curve (.svg or .png).")
    Path plot;

    @Override
    public Integer call() {
        try {
            return run();
        } finally {
            Cas.shutdown();
        }
    }

    private int run() {
        KernelKind k = KernelKind.parse(kind);
        if (plot != null) {
            PlotFiles.format(plot);
            if (!empirical) {
                throw CliError.USAGE.at("--plot", "--plot draws the --empirical error curve; add --empirical --width ...");
            }
        }
        if (predict && test == null) {
            throw CliError.USAGE.at("--test", "--predict needs --test XT (the test inputs)");
        }
        if (predict && lr == null) {
            throw CliError.USAGE.at("--lr", "--predict needs --lr ETA");
        }
        int[] ws = empirical ? widths() : null;
        DataSet ds = DataReader.read(data);
        // the N × N matrix of arbitrary-precision entries (about 160 bytes each with their decimal text)
        org.netgeom.ir.io.MemoryBudget.require(160.0 * ds.size() * ds.size(), "the " + ds.size() + " × " + ds.size()
                + " kernel matrix", "--data", "or fewer rows (a sample of the data set)");
        Rational[][] x = Kernels.rows(ds);
        Architecture arch = k == KernelKind.H_INFINITY ? null : new Architecture(Activation.parse(activation), depth,
                Args.rational(sigmaW2, "--sigma-w2"), Args.rational(sigmaB2, "--sigma-b2"));
        Progress progress = ProgressBars.forStderr();
        KernelOptions opts = new KernelOptions(digits, closedForm || latex, nodes, progress);
        KernelResult r = Kernels.compute(k, x, arch, opts);
        Map<String, Object> o = describe(r, x.length);
        Rational eta = lr == null ? null : positive(lr, "--lr");
        Rational t = time == null ? null : Args.rational(time, "--time");
        Long kSteps = steps != null ? steps : t != null && t.isInteger() ? Long.valueOf(t.floor().longValueExact()) : null;
        if (predict) {
            o.put("prediction", prediction(k, ds, arch, eta, t, opts));
        }
        if (predict || k == KernelKind.H_INFINITY) {
            o.put("du", du(x, ds, eta, kSteps));
        }
        if (empirical) {
            o.put("empirical", empirical(k, x, arch, ws, progress));
        }
        if (json) {
            printJson(o);
        } else {
            human(r, o);
        }
        return 0;
    }

    private Map<String, Object> describe(KernelResult r, int n) {
        Map<String, Object> o = JsonOut.object();
        o.put("kind", r.kind().cli);
        o.put("n", n);
        if (r.architecture() != null) {
            Architecture a = r.architecture();
            o.put("activation", a.activation().name());
            o.put("depth", a.depth());
            o.put("sigmaW2", JsonOut.exact(a.sigmaW2()));
            o.put("sigmaB2", JsonOut.exact(a.sigmaB2()));
        }
        o.put("digits", r.digits());
        o.put("matrix", decimals(r.matrix()));
        o.put("eigenvalues", decimals(r.eigenvalues()));
        o.put("lambdaMin", KernelResult.format(r.lambdaMin()));
        o.put("exactZeros", r.exactZeros());
        if (r.zeroCertificate() != null) {
            o.put("zeroCertificate", r.zeroCertificate());
        }
        o.put("method", r.method());
        if (r.estimatedError() != null) {
            o.put("estimatedError", KernelResult.format(r.estimatedError()));
        }
        o.put("warnings", r.warnings());
        if (r.expressions() != null) {
            o.put("closedForm", Arrays.stream(r.expressions()).map(Arrays::asList).toList());
            o.put("latex", Arrays.stream(r.latex()).map(Arrays::asList).toList());
        }
        return o;
    }

    private Map<String, Object> prediction(KernelKind k, DataSet ds, Architecture arch, Rational eta, Rational t, KernelOptions opts) {
        if (ds.y() == null) {
            throw IrError.IR_DATA.at("--data", "--predict needs targets: name the target columns y1, ..., yk");
        }
        Rational[][] y = new Rational[ds.size()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = ds.y(i);
        }
        Rational[][] xt = Kernels.rows(DataReader.read(test));
        Predict.Prediction p = Predict.gradientDescentMse(k, Kernels.rows(ds), y, xt, arch, eta, t, opts);
        Map<String, Object> o = JsonOut.object();
        o.put("convention", "neural_tangents.predict.gradient_descent_mse(k_train_train, y_train, learning_rate, diag_reg=0, "
                + "trace_axes=(-1,)) with fx_train_0 = fx_test_0 = 0: gradient flow on (1/(2N))|f - y|^2, N = y_train.size");
        o.put("learningRate", JsonOut.exact(eta));
        o.put("time", t == null ? null : JsonOut.exact(t));
        o.put("normalization", p.normalization());
        Map<String, Object> testPart = JsonOut.object();
        testPart.put("mean", p.testMean() == null ? null : decimals(p.testMean()));
        testPart.put("meanInfinity", decimals(p.testMeanInfinity()));
        Map<String, Object> trainPart = JsonOut.object();
        trainPart.put("mean", p.trainMean() == null ? null : decimals(p.trainMean()));
        trainPart.put("meanInfinity", decimals(p.trainMeanInfinity()));
        o.put("test", testPart);
        o.put("train", trainPart);
        o.put("warnings", p.warnings());
        return o;
    }

    private Map<String, Object> du(Rational[][] x, DataSet ds, Rational eta, Long kSteps) {
        KernelResult h = Kernels.compute(KernelKind.H_INFINITY, x, null, KernelOptions.defaults().withDigits(digits + 10));
        Rational[][] y = null;
        if (ds.y() != null) {
            y = new Rational[ds.size()][];
            for (int i = 0; i < y.length; i++) {
                y[i] = ds.y(i);
            }
        }
        DuRate d = DuRate.of(x, y, h.lambdaMin(), Args.rational(delta, "--delta"), eta, kSteps, digits);
        Map<String, Object> o = JsonOut.object();
        o.put("theorem", DuRate.THEOREM);
        o.put("lambda0", KernelResult.format(d.lambda0().round(new java.math.MathContext(digits))));
        o.put("n", d.n());
        o.put("delta", JsonOut.exact(d.delta()));
        o.put("unitNorm", d.unitNorm());
        o.put("targetsKnown", d.targetsKnown());
        o.put("widthOrder", dec(d.widthOrder()));
        o.put("widthOrderFormula", "n^6/(lambda0^4 delta^3)");
        o.put("widthWithProofConstants", dec(d.widthWithProofConstants()));
        o.put("proofConstant", DuRate.PROOF_CONSTANT);
        o.put("stepSizeOrder", dec(d.stepSizeOrder()));
        o.put("etaDu", dec(d.etaDu()));
        o.put("steps", d.steps());
        o.put("rate", dec(d.rate()));
        o.put("bound", dec(d.bound()));
        return o;
    }

    private int[] widths() {
        if (widths == null) {
            throw CliError.USAGE.at("--width", "--empirical needs --width W1,W2,...");
        }
        int[] ws;
        try {
            ws = Arrays.stream(widths.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw CliError.USAGE.at("--width", "--width takes comma-separated positive integers, not " + widths);
        }
        for (int w : ws) {
            if (w < 1 || w > 1_000_000) {
                throw CliError.USAGE.at("--width", "widths must be between 1 and 1000000, not " + w);
            }
        }
        if (seeds < 1 || seeds > 100_000) {
            throw CliError.USAGE.at("--seeds", "--seeds must be between 1 and 100000");
        }
        return ws;
    }

    private Map<String, Object> empirical(KernelKind k, Rational[][] x, Architecture arch, int[] ws, Progress progress) {
        double[][] xd = DoubleKernels.doubles(x);
        double[][] analytic = k == KernelKind.H_INFINITY ? DoubleKernels.hInfinity(xd)
                : DoubleKernels.kernel(k, xd, arch, nodes, Progress.NONE);
        WidthSweep.Kind sk = switch (k) {
            case NNGP -> WidthSweep.Kind.NNGP;
            case NTK -> WidthSweep.Kind.NTK;
            case H_INFINITY -> WidthSweep.Kind.DU_GRAM;
        };
        Layer phi = arch == null ? Layer.AbRelu.relu(null) : layerOf(arch.activation());
        int dd = arch == null ? 0 : arch.depth();
        double w2 = arch == null ? 1 : arch.sigmaW2().doubleValue();
        double b2 = arch == null ? 0 : arch.sigmaB2().doubleValue();
        WidthSweep.Result res = WidthSweep.run(sk, xd, analytic, ws, seeds, seed, phi, dd, w2, b2, progress);
        List<Map<String, Object>> pts = new ArrayList<>();
        for (WidthSweep.Point p : res.points()) {
            Map<String, Object> m = JsonOut.object();
            m.put("width", p.width());
            m.put("relativeFrobeniusError", p.meanError());
            m.put("std", p.stdError());
            pts.add(m);
        }
        Map<String, Object> o = JsonOut.object();
        o.put("net", k == KernelKind.H_INFINITY ? "Du et al.'s H(0): w_r ~ N(0, I), m = width"
                : "stax.serial(*[Dense(width), phi] * depth, Dense(1)), NTK parameterisation, standard normal W and b");
        o.put("seeds", seeds);
        o.put("seed", seed);
        o.put("points", pts);
        o.put("slope", Double.isFinite(res.slope()) ? res.slope() : null);
        if (plot != null) {
            plot(res, k);
            o.put("plot", plot.toString());
        }
        return o;
    }

    private void plot(WidthSweep.Result res, KernelKind k) {
        XYChart chart = new XYChartBuilder().width(640).height(440)
                .title("empirical vs analytic " + k.cli + ": slope " + String.format("%.3f", res.slope()))
                .xAxisTitle("width").yAxisTitle("relative Frobenius error").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] w = res.points().stream().mapToDouble(WidthSweep.Point::width).toArray();
        double[] e = res.points().stream().mapToDouble(WidthSweep.Point::meanError).toArray();
        XYSeries s = chart.addSeries("mean over seeds", w, e);
        s.setMarker(SeriesMarkers.CIRCLE);
        double[] ref = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            ref[i] = e[0] * Math.sqrt(w[0] / w[i]);
        }
        chart.addSeries("1/sqrt(width)", w, ref).setMarker(SeriesMarkers.NONE);
        PlotFiles.save(chart, plot);
    }

    /** The IR activation layer the numeric engine runs for a kernel activation. */
    static Layer layerOf(Activation a) {
        if (a instanceof Activation.AbRelu r) {
            return new Layer.AbRelu(null, r.op(), r.neg(), r.pos());
        }
        if (a instanceof Activation.Identity) {
            return new Layer.Identity(null);
        }
        if (a instanceof Activation.Square) {
            return new Layer.Square(null);
        }
        if (a instanceof Activation.ErfAct) {
            return new Layer.Smooth(null, Layer.Smooth.Fn.ERF);
        }
        return new Layer.Smooth(null, ((Activation.Quadrature) a).fn());
    }

    private void human(KernelResult r, Map<String, Object> o) {
        StringBuilder head = new StringBuilder(r.kind().cli);
        if (r.architecture() != null) {
            Architecture a = r.architecture();
            head.append(" kernel (").append(a.activation().name()).append(", depth ").append(a.depth())
                    .append(", sigma_w^2 = ").append(a.sigmaW2()).append(", sigma_b^2 = ").append(a.sigmaB2()).append(")");
        } else {
            head.append(" (Du et al.'s H-infinity)");
        }
        out().println(head + " on " + r.size() + " points, " + r.digits() + " significant digits");
        out().println("  " + r.method());
        for (int i = 0; i < r.size(); i++) {
            out().println("  [" + i + "]  " + String.join("  ", decimals(r.matrix()[i])));
        }
        if (r.expressions() != null) {
            out().println(latex ? "LaTeX:" : "closed forms:");
            for (int i = 0; i < r.size(); i++) {
                for (int j = i; j < r.size(); j++) {
                    out().println("  K[" + i + "][" + j + "] = " + (latex ? r.latex()[i][j] : r.expressions()[i][j]));
                }
            }
        }
        out().println("eigenvalues (ascending): " + String.join("  ", decimals(r.eigenvalues())));
        out().println("lambda_min = " + KernelResult.format(r.lambdaMin())
                + (r.exactZeros() > 0 ? "   (exactly 0: " + r.zeroCertificate() + ")" : ""));
        if (r.estimatedError() != null) {
            out().println("estimated error of each entry: " + KernelResult.format(r.estimatedError()));
        }
        for (String w : r.warnings()) {
            out().println("warning: " + w);
        }
        if (o.get("prediction") instanceof Map<?, ?> p) {
            out().println("GD-MSE mean predictions (neural-tangents' gradient_descent_mse, N = " + p.get("normalization")
                    + ", learning rate " + p.get("learningRate") + "):");
            Map<?, ?> tp = (Map<?, ?>) p.get("test");
            if (tp.get("mean") != null) {
                out().println("  test at t = " + p.get("time") + ": " + tp.get("mean"));
            }
            out().println("  test at t = infinity: " + tp.get("meanInfinity"));
            for (Object w : (List<?>) p.get("warnings")) {
                out().println("  warning: " + w);
            }
        }
        if (o.get("du") instanceof Map<?, ?> d) {
            out().println(DuRate.THEOREM + ": lambda0 = " + d.get("lambda0") + (Boolean.TRUE.equals(d.get("unitNorm")) ? ""
                    : "  (the theorem assumes |x_i| = 1; these inputs are not unit vectors)"));
            out().println("  width m = Omega(n^6/(lambda0^4 delta^3)) = Omega(" + d.get("widthOrder") + "), delta = " + d.get("delta"));
            out().println("  with the proof's constants: m > " + d.get("widthWithProofConstants")
                    + (Boolean.TRUE.equals(d.get("targetsKnown")) ? "" : "  (assuming |y_i| <= 1)"));
            out().println("  step size eta = O(lambda0/n^2) = O(" + d.get("stepSizeOrder") + ")");
            if (d.get("rate") != null) {
                out().println("  eta_Du = " + d.get("etaDu") + ": |y - u(k)|^2 <= (1 - eta lambda0/2)^k |y - u(0)|^2, rate "
                        + d.get("rate") + (d.get("bound") != null ? ", bound at k = " + d.get("steps") + ": " + d.get("bound") : ""));
            }
        }
        if (o.get("empirical") instanceof Map<?, ?> e) {
            out().println("empirical vs analytic (" + e.get("seeds") + " seeds per width): relative Frobenius error");
            for (Object q : (List<?>) e.get("points")) {
                Map<?, ?> m = (Map<?, ?>) q;
                out().printf("  width %8d   %.4g +- %.2g%n", (Integer) m.get("width"), (Double) m.get("relativeFrobeniusError"),
                        (Double) m.get("std"));
            }
            out().println("  log-log slope " + e.get("slope") + " (about -0.5 expected)" + (e.get("plot") != null
                    ? "; plot " + e.get("plot") : ""));
        }
    }

    private static Rational positive(String text, String option) {
        Rational q = Args.rational(text, option);
        if (q.signum() <= 0) {
            throw CliError.USAGE.at(option, option + " must be positive, not " + text);
        }
        return q;
    }

    private static String dec(BigDecimal v) {
        return v == null ? null : KernelResult.format(v);
    }

    private static List<String> decimals(BigDecimal[] v) {
        return Arrays.stream(v).map(KernelResult::format).toList();
    }

    private static List<List<String>> decimals(BigDecimal[][] m) {
        return Arrays.stream(m).map(KernelCommand::decimals).toList();
    }
}
