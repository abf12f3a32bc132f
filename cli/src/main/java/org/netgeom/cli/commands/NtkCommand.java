package org.netgeom.cli.commands;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.numeric.curvature.SymEig;
import org.netgeom.numeric.engine.Net;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom ntk MODEL --data DATA}: the empirical neural tangent kernel Θ = J Jᵀ, J the
 * Jacobian of the outputs w.r.t. all parameters at the data (Jacot, Gabriel and Hongler 2018,
 * eq. 4 at finite width), batchnorm in inference mode. Rows and columns are indexed by
 * (example n, output i) as n·k + i. JSON: {@code {"samples", "outputs", "parameters", "ntk":
 * [[...]], "eigenvalues": [...] (descending)}}.
 */
@Command(name = "ntk", description = "The empirical neural tangent kernel J Jᵀ at the data (w.r.t. all parameters).")
public final class NtkCommand extends NumericCommand {
    @Option(names = "--plot", paramLabel = "ntk.svg|png", description = "Draw Θ as a heat map.")
    Path plot;

    @Override
    public Integer call() {
        Inputs in = inputs(plot);
        int n = in.n();
        double[] x = in.x();
        Net net = compile(in.model());
        int k = net.outputSize();
        int r = n * k;
        // Θ, its copy for the eigenvalues, the Jacobian (r × P) and the JSON text of Θ
        requireMemory((double) r * r + (double) r * net.paramCount() / 6, json ? 112 : 24, "the " + r + " × " + r + " NTK");
        double[] theta = torch() ? torchEngine(1).ntk(net, x, n) : javaNtk(net, x, n);
        double[] eig = SymEig.of(theta.clone(), r, false).values();
        Map<String, Object> o = JsonOut.object();
        o.put("samples", n);
        o.put("outputs", k);
        o.put("parameters", net.paramCount());
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            rows.add(JsonOut.floats(java.util.Arrays.copyOfRange(theta, i * r, (i + 1) * r)));
        }
        o.put("ntk", rows);
        o.put("eigenvalues", JsonOut.floats(eig));
        if (plot != null) {
            PlotFiles.save(heat(theta, r), plot);
        }
        if (json) {
            printJson(o);
            return 0;
        }
        out().printf(Locale.ROOT, "empirical NTK over %d example%s x %d output%s (%d parameters), %d x %d:%n", n, n == 1 ? "" : "s", k,
                k == 1 ? "" : "s", net.paramCount(), r, r);
        for (int i = 0; i < Math.min(r, 12); i++) {
            out().println("  " + JacobianCommand.row(theta, i * r, r));
        }
        if (r > 12) {
            out().println("  ... (" + r + " rows; --json for all)");
        }
        out().println("eigenvalues: " + JacobianCommand.row(eig, 0, eig.length));
        return 0;
    }

    /**
     * Θ = J Jᵀ with the Java engine, J computed in chunks of rows and Θ in blocks of rows, so
     * that a progress bar follows both (on a big data set either takes minutes); the same
     * arithmetic as {@link Net#ntk} (one GEMM per block of rows of Θ).
     */
    static double[] javaNtk(Net net, double[] x, int n) {
        int k = net.outputSize();
        int pc = net.paramCount();
        int r = n * k;
        if (n <= 256) {
            return net.ntk(x, n);
        }
        double[] j = JacobianCommand.javaJacobian(net, x, n, true, k * pc);
        double[] theta = new double[r * r];
        int block = Math.max(1, Math.min(r, 256));
        org.netgeom.ir.Progress p = org.netgeom.cli.ProgressBars.forStderr();
        p.start("ntk J·Jᵀ", r);
        try {
            for (int i0 = 0; i0 < r; i0 += block) {
                int m = Math.min(block, r - i0);
                org.netgeom.numeric.linalg.Gemm.get().mul(false, true, m, r, pc, j, i0 * pc, j, 0, theta, i0 * r, false);
                p.step(m);
            }
        } finally {
            p.done();
        }
        return theta;
    }

    private static HeatMapChart heat(double[] t, int r) {
        HeatMapChart c = new HeatMapChartBuilder().width(700).height(600).title("empirical NTK").build();
        int[] idx = new int[r];
        for (int i = 0; i < r; i++) {
            idx[i] = i;
        }
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                cells.add(new Number[]{j, r - 1 - i, t[i * r + j]});
            }
        }
        int[] ys = new int[r];
        for (int i = 0; i < r; i++) {
            ys[i] = i;
        }
        c.addSeries("ntk", java.util.Arrays.stream(idx).boxed().toList(), java.util.Arrays.stream(ys).boxed().toList(), cells);
        return c;
    }
}
