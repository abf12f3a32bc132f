package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.ParamLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom jacobian MODEL --data DATA [--wrt input|params]}: the Jacobian of the outputs
 * per example, ∂f(x)/∂x or ∂f(x)/∂θ (batchnorm in inference mode), by reverse mode.
 * JSON: {@code {"wrt", "samples", "outputs", "columns", "jacobian": [N][k][columns], "parameters":
 * [{"name", "shape", "offset"}] (wrt params)}}, floats as JSON numbers.
 */
@Command(name = "jacobian", description = "Per-example Jacobian of the outputs w.r.t. the input or all parameters.")
public final class JacobianCommand extends NumericCommand {
    @Option(names = "--wrt", defaultValue = "input", paramLabel = "input|params", description = "Differentiate w.r.t. the input (default) or the parameters.")
    String wrt;

    @Override
    public Integer call() {
        boolean params = switch (wrt.toLowerCase(Locale.ROOT)) {
            case "input", "x" -> false;
            case "params", "parameters", "weights" -> true;
            default -> throw NumericError.BAD_OPTION.at("--wrt", "--wrt is input or params, not " + wrt);
        };
        Inputs in = inputs(null);
        int n = in.n();
        double[] x = in.x();
        Net net = compile(in.model());
        int k = net.outputSize();
        int cols = params ? net.paramCount() : net.inputSize();
        // the array of doubles, the boxed copies JSON output makes and the text: about 96 bytes a value
        requireMemory((double) n * k * cols, json ? 96 : 8, "the " + n + " × " + k + " × " + cols + " Jacobian");
        double[] j = torch() ? torchEngine(1).jacobian(net, x, n, params) : javaJacobian(net, x, n, params, k * cols);
        Map<String, Object> o = JsonOut.object();
        o.put("wrt", params ? "params" : "input");
        o.put("samples", n);
        o.put("outputs", k);
        o.put("columns", cols);
        List<Object> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Object> mat = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                mat.add(JsonOut.floats(java.util.Arrays.copyOfRange(j, (r * k + i) * cols, (r * k + i + 1) * cols)));
            }
            rows.add(mat);
        }
        o.put("jacobian", rows);
        if (params) {
            o.put("parameters", layout(net.layout()));
        }
        if (json) {
            printJson(o);
            return 0;
        }
        out().printf(Locale.ROOT, "Jacobian of the %d output%s w.r.t. the %s (%d column%s), %d example%s:%n", k, k == 1 ? "" : "s",
                params ? "parameters" : "input", cols, cols == 1 ? "" : "s", n, n == 1 ? "" : "s");
        if (params) {
            for (ParamLayout.Entry e : net.layout().params()) {
                out().printf(Locale.ROOT, "  columns %d..%d: %s %s%n", e.offset(), e.offset() + e.size() - 1, e.name(), e.shape());
            }
        }
        for (int r = 0; r < n; r++) {
            out().println("example " + (r + 1) + ":");
            for (int i = 0; i < k; i++) {
                out().println("  " + row(j, (r * k + i) * cols, cols));
            }
        }
        return 0;
    }

    /**
     * The Java engine's Jacobian, computed in chunks of rows (each row's Jacobian depends only on
     * that row: batchnorm is in inference mode) so that a progress bar can follow it.
     */
    static double[] javaJacobian(Net net, double[] x, int n, boolean params, int perRow) {
        int d = net.inputSize();
        int chunk = Math.max(1, Math.min(n, 256));
        if (n <= chunk) {
            return params ? net.jacobianParams(x, n) : net.jacobianInput(x, n);
        }
        double[] out = new double[n * perRow];
        org.netgeom.ir.Progress p = org.netgeom.cli.ProgressBars.forStderr();
        p.start("jacobian", n);
        try {
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int m = Math.min(chunk, n - r0);
                double[] xs = java.util.Arrays.copyOfRange(x, r0 * d, (r0 + m) * d);
                double[] js = params ? net.jacobianParams(xs, m) : net.jacobianInput(xs, m);
                System.arraycopy(js, 0, out, r0 * perRow, m * perRow);
                p.step(m);
            }
        } finally {
            p.done();
        }
        return out;
    }

    static String row(double[] a, int off, int len) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(len, 12);
        for (int c = 0; c < shown; c++) {
            sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", a[off + c]));
        }
        return sb.append(len > shown ? ", ... (" + len + " values; --json for all)]" : "]").toString();
    }

    static List<Object> layout(ParamLayout l) {
        List<Object> out = new ArrayList<>();
        for (ParamLayout.Entry e : l.params()) {
            Map<String, Object> p = JsonOut.object();
            p.put("name", e.name());
            p.put("shape", JsonOut.shape(e.shape()));
            p.put("offset", e.offset());
            out.add(p);
        }
        return out;
    }
}
