package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.curvature.Hutchinson;
import org.netgeom.numeric.curvature.Lanczos;
import org.netgeom.numeric.curvature.LossHessian;
import org.netgeom.numeric.curvature.Slq;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.loss.Loss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom hessian MODEL --data DATA --loss mse [--top-k K] [--trace] [--density]}: the
 * spectrum of the Hessian of the full-batch loss w.r.t. all parameters (batchnorm in inference
 * mode) from exact Hessian-vector products (forward-over-reverse): the K largest eigenvalues by
 * Lanczos, the trace by Hutchinson, the spectral density by stochastic Lanczos quadrature, as
 * PyHessian (Yao et al. 2020) computes them. Without any of the three it gives --top-k 1.
 * JSON: {@code {"topEigenvalues": [...], "trace": t, "density": {"grid": [...], "values": [...]},
 * "hvps": N, ...}}, keys not asked for omitted.
 */
@Command(name = "hessian", description = "Hessian spectrum of the loss: top-k eigenvalues (Lanczos), trace (Hutchinson), density (SLQ).")
public final class HessianCommand extends NumericCommand {
    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|cross_entropy", description = "The loss (default mse).")
    String loss;

    @Option(names = "--top-k", paramLabel = "K", description = "The K largest (algebraic) eigenvalues, descending.")
    Integer topK;

    @Option(names = "--trace", description = "Estimate the trace (Hutchinson, Rademacher vectors).")
    boolean trace;

    @Option(names = "--density", description = "The spectral density by stochastic Lanczos quadrature.")
    boolean density;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the random vectors (default 0).")
    long seed;

    @Option(names = "--tol", defaultValue = "1e-10", paramLabel = "T", description = "Lanczos: residual of each top-k Ritz pair <= T·|λ|max (default 1e-10).")
    double tol;

    @Option(names = "--max-iter", defaultValue = "300", paramLabel = "M", description = "Lanczos: at most M products (and the Krylov dimension), default 300.")
    int maxIter;

    @Option(names = "--trace-samples", defaultValue = "100", paramLabel = "N", description = "Hutchinson: at most N samples (PyHessian's maxIter, default 100).")
    int traceSamples;

    @Option(names = "--trace-tol", defaultValue = "1e-3", paramLabel = "T", description = "Hutchinson: PyHessian's stopping tolerance (default 1e-3).")
    double traceTol;

    @Option(names = "--density-iter", defaultValue = "100", paramLabel = "M", description = "SLQ: Lanczos steps per run (PyHessian's iter, default 100).")
    int densityIter;

    @Option(names = "--density-runs", defaultValue = "1", paramLabel = "R", description = "SLQ: random start vectors (PyHessian's n_v, default 1).")
    int densityRuns;

    @Option(names = "--density-bins", defaultValue = "10000", paramLabel = "B", description = "SLQ: grid points (PyHessian's num_bins, default 10000).")
    int densityBins;

    @Option(names = "--density-sigma2", defaultValue = "1e-5", paramLabel = "S", description = "SLQ: Gaussian variance factor (PyHessian's sigma_squared, default 1e-5).")
    double densitySigma2;

    @Option(names = "--density-overhead", defaultValue = "0.01", paramLabel = "O", description = "SLQ: grid margin (PyHessian's overhead, default 0.01).")
    double densityOverhead;

    @Option(names = "--plot", paramLabel = "density.svg|png", description = "Plot the spectral density (with --density).")
    Path plot;

    @Override
    public Integer call() {
        if (topK == null && !trace && !density) {
            topK = 1;
        }
        if (maxIter < 1 || traceSamples < 1 || densityIter < 1 || densityRuns < 1 || densityBins < 2) {
            throw NumericError.BAD_OPTION.error("--max-iter, --trace-samples, --density-iter, --density-runs must be >= 1 and --density-bins >= 2");
        }
        Inputs in = inputs(plot);
        int n = in.n();
        double[] x = in.x();
        double[] y = targets(in.data());
        Loss l = Loss.parse(loss);
        Net net = compile(in.model());
        Map<String, Object> o = torch() ? onTorch(net, x, y, n, l) : onJava(net, x, y, n, l);
        if (plot != null && o.get("density") instanceof Map<?, ?> dens) {
            PlotFiles.save(chart(dens), plot);
        }
        if (json) {
            printJson(o);
            return 0;
        }
        human(o);
        return 0;
    }

    private Map<String, Object> onJava(Net net, double[] x, double[] y, int n, Loss l) {
        LossHessian h = new LossHessian(net, x, y, n, l);
        Progress p = ProgressBars.forStderr();
        Map<String, Object> o = JsonOut.object();
        if (topK != null) {
            Lanczos.Result r = Lanczos.topK(h, topK, maxIter, tol, seed, p);
            o.put("topEigenvalues", JsonOut.floats(r.values()));
            o.put("residuals", JsonOut.floats(r.residuals()));
            o.put("converged", r.converged());
        }
        if (trace) {
            Hutchinson.Result r = Hutchinson.trace(h, traceSamples, traceTol, seed, p);
            o.put("trace", r.trace());
            o.put("traceStdError", r.stdError());
            o.put("traceSamples", r.samples());
        }
        if (density) {
            Slq.Result r = Slq.density(h, densityIter, densityRuns, densityBins, densitySigma2, densityOverhead, seed, p);
            o.put("density", density(r.grid(), r.density(), r.nodes(), r.weights()));
        }
        o.put("hvps", h.applications());
        o.put("parameters", net.paramCount());
        o.put("loss", h.loss());
        return o;
    }

    private Map<String, Object> onTorch(Net net, double[] x, double[] y, int n, Loss l) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", seed);
        if (topK != null) {
            s.put("top_k", topK);
            s.put("max_iter", maxIter);
            s.put("tol", tol);
        }
        if (trace) {
            s.put("trace", true);
            s.put("trace_samples", traceSamples);
            s.put("trace_tol", traceTol);
        }
        if (density) {
            s.put("density", true);
            s.put("density_iter", densityIter);
            s.put("density_runs", densityRuns);
        }
        JsonNode r = torchEngine(1).hessian(net, x, y, n, l, s);
        Map<String, Object> o = JsonOut.object();
        if (topK != null) {
            o.put("topEigenvalues", doubles(r.get("topEigenvalues")));
            o.put("residuals", doubles(r.get("residuals")));
            o.put("converged", r.path("converged").asBoolean());
        }
        if (trace) {
            o.put("trace", r.get("trace").asDouble());
            o.put("traceSamples", r.get("traceSamples").asInt());
        }
        if (density) {
            double[][] nodes = matrix(r.get("nodes"));
            double[][] weights = matrix(r.get("weights"));
            double[][] g = Slq.grid(nodes, weights, densityBins, densitySigma2, densityOverhead);
            o.put("density", density(g[0], g[1], nodes, weights));
        }
        o.put("hvps", r.get("hvps").asLong());
        o.put("parameters", net.paramCount());
        return o;
    }

    private static Map<String, Object> density(double[] grid, double[] values, double[][] nodes, double[][] weights) {
        Map<String, Object> dens = JsonOut.object();
        dens.put("grid", JsonOut.floats(grid));
        dens.put("values", JsonOut.floats(values));
        List<Object> ns = new ArrayList<>();
        List<Object> ws = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            ns.add(JsonOut.floats(nodes[i]));
            ws.add(JsonOut.floats(weights[i]));
        }
        dens.put("nodes", ns);
        dens.put("weights", ws);
        return dens;
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    private static double[][] matrix(JsonNode a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = a.get(i);
            m[i] = new double[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = row.get(j).asDouble();
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static XYChart chart(Map<?, ?> dens) {
        List<Double> g = (List<Double>) dens.get("grid");
        List<Double> v = (List<Double>) dens.get("values");
        XYChart c = new XYChartBuilder().width(800).height(500).title("Hessian spectral density (SLQ)").xAxisTitle("eigenvalue")
                .yAxisTitle("density").build();
        c.getStyler().setLegendVisible(false);
        c.addSeries("density", g, v).setMarker(SeriesMarkers.NONE);
        return c;
    }

    @SuppressWarnings("unchecked")
    private void human(Map<String, Object> o) {
        out().printf(Locale.ROOT, "Hessian of the %s loss w.r.t. %s parameters%n", loss, o.get("parameters"));
        if (o.containsKey("topEigenvalues")) {
            List<Double> ev = (List<Double>) o.get("topEigenvalues");
            out().println("top " + ev.size() + " eigenvalue" + (ev.size() == 1 ? "" : "s") + " (Lanczos"
                    + (Boolean.TRUE.equals(o.get("converged")) ? "" : ", NOT converged: raise --max-iter") + "):");
            for (int i = 0; i < ev.size(); i++) {
                out().printf(Locale.ROOT, "  λ%d = %.12g%n", i + 1, ev.get(i));
            }
        }
        if (o.containsKey("trace")) {
            out().printf(Locale.ROOT, "trace ~ %.8g (Hutchinson, %s samples)%n", (Double) o.get("trace"), o.get("traceSamples"));
        }
        if (o.get("density") instanceof Map<?, ?> dens) {
            List<Double> g = (List<Double>) dens.get("grid");
            out().printf(Locale.ROOT, "spectral density on [%.6g, %.6g], %d points%s%n", g.get(0), g.get(g.size() - 1), g.size(),
                    plot != null ? " (plotted to " + plot + ")" : " (--json or --plot for the values)");
        }
        out().println(o.get("hvps") + " Hessian-vector products");
    }
}
