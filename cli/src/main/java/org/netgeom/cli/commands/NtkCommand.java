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
        double[] theta = torch() ? torchEngine(1).ntk(net, x, n) : net.ntk(x, n);
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
