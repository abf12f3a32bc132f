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
import org.netgeom.ir.Binder;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.DataReader;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.loss.LayerParams;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.LossLine;
import org.netgeom.symbolic.loss.QuadraticText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom loss-surface MODEL --data DATA --layer L [--loss mse|sse] MODE}: the squared loss
 * as an exact piecewise-quadratic function of one layer's parameters (Riedi, Balestriero &amp;
 * Baraniuk 2022). Modes: {@code --line DIR --range=T0,T1} (the loss along θ0 + t·d, exact
 * pieces and breakpoints) and {@code --at} (the cell of θ0, its quadratic, H's spectrum and the
 * minimiser) and {@code --plane DIR1,DIR2 --range=A0,A1,B0,B1} (the exact polygonal cells of a 2-D
 * slice with the bivariate quadratic on each, from the shared polyhedral engine).
 */
@Command(name = "loss-surface", description = "The loss as an exact piecewise quadratic in one layer's parameters.")
public final class LossSurfaceCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Data set (CSV x1..,y1.., JSON or safetensors).")
    Path data;

    @Option(names = "--layer", required = true, paramLabel = "L",
            description = "The layer whose parameters vary: its name, its 0-based top-level index, or a dotted path (3.layers.1).")
    String layer;

    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|sse",
            description = "mse: torch.nn.MSELoss() (mean over all N·k entries); sse: the sum of squares. Default: mse.")
    String loss;

    @Option(names = "--line", paramLabel = "DIR", description = "Direction file {\"weight\": [[...]], \"bias\": [...]} shaped like layer L.")
    Path line;

    @Option(names = "--plane", paramLabel = "DIR1,DIR2", description = "Two direction files for the 2-D slice θ0 + a·d1 + b·d2.")
    String plane;

    @Option(names = "--range", paramLabel = "T0,T1|A0,A1,B0,B1",
            description = "The t range of --line, or the (a, b) rectangle of --plane (write --range=-1,2 for a leading minus).")
    String range;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "1000000",
            description = "--plane: stop with BUDGET_EXCEEDED past N cells (default ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--no-certify", description = "--line: skip the independent re-check by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Option(names = "--at", description = "The cell containing the layer's current parameters, with its exact quadratic.")
    boolean at;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values of free symbols (symbols of layer L stay the variables of --at).")
    String bind;

    @Mixin
    DigitsOption digits;

    @Option(names = "--latex", description = "Also give the loss formula as LaTeX.")
    boolean latex;

    @Option(names = "--plot", paramLabel = "FILE.svg|.png",
            description = "Plot the loss along the line, or as a heat map over the plane with the exact cell boundaries.")
    Path plot;

    @Override
    public Integer call() {
        int modes = (line != null ? 1 : 0) + (plane != null ? 1 : 0) + (at ? 1 : 0);
        if (modes != 1) {
            throw CliError.USAGE.error("choose exactly one mode: --line DIR --range=T0,T1, --plane DIR1,DIR2 --range=A0,A1,B0,B1, or --at");
        }
        digits.get();
        if (plot != null && at) {
            throw CliError.USAGE.at("--plot", "--plot draws the loss along --line or over --plane");
        }
        LossKind kind = LossKind.parse(loss);
        Model raw = readModel(model);
        DataSet ds = DataReader.read(data);
        Map<String, Rational> values = Args.bindings(bind);
        if (at) {
            new LossCellReport(this, raw, ds, kind, values).run();
        } else if (plane != null) {
            new LossPlaneReport(this, raw, ds, kind, values).run(plane, range, budget, plot);
        } else {
            line(raw, ds, kind, values);
        }
        return 0;
    }

    private void line(Model raw, DataSet ds, LossKind kind, Map<String, Rational> values) {
        if (range == null) {
            throw CliError.USAGE.at("--range", "--line needs --range=T0,T1");
        }
        Rational[] r = Args.rationals(range, "--range");
        if (r.length != 2) {
            throw CliError.USAGE.at("--range", "--line takes --range=T0,T1 (two numbers), not " + r.length);
        }
        Model m = Binder.bind(raw, values);
        Binder.requireNoSymbols(m);
        LayerParams p = LayerParams.of(m, layer);
        Rational[] d = p.direction(line);
        LossLine.Result res = LossLine.compute(m, p, d, ds, kind, r[0], r[1], ProgressBars.forStderr());
        String tex = latex ? QuadraticText.lineLatex(res.pieces(), Cas.get()) : null;
        if (plot != null) {
            plotLine(res, kind, p.path());
        }
        Map<String, Object> o = JsonOut.object();
        List<Object> pieces = new ArrayList<>();
        for (LossLine.Piece pc : res.pieces()) {
            Map<String, Object> po = JsonOut.object();
            po.put("interval", List.of(JsonOut.exact(pc.t0()), JsonOut.exact(pc.t1())));
            po.put("pattern", pc.pattern());
            po.put("coeffs", JsonOut.exact(pc.coeffs()));
            pieces.add(po);
        }
        o.put("pieces", pieces);
        o.put("breakpoints", JsonOut.exact(res.breakpoints().toArray(new Rational[0])));
        if (tex != null) {
            o.put("latex", tex);
        }
        o.put("evidence", lineEvidence(p, d, ds, kind, r));
        org.netgeom.certify.Certifier.Report cert = noCertify ? null
                : SelfCertify.check(model, o, org.netgeom.certify.DomainSpec.box(r[0] + "," + r[1]), values);
        if (json) {
            if (cert != null) {
                o.put("certified", true);
            }
            printJson(o);
            return;
        }
        out().println(kind + " along " + p.path() + " + t·d for t in [" + r[0] + ", " + r[1] + "]: " + res.pieces().size()
                + " piece" + (res.pieces().size() == 1 ? "" : "s") + (res.breakpoints().isEmpty() ? ", no breakpoints"
                : ", breakpoints " + String.join(", ", JsonOut.exact(res.breakpoints().toArray(new Rational[0])))));
        for (LossLine.Piece pc : res.pieces()) {
            out().printf("  [%s, %s]  %s   pattern %s%n", pc.t0(), pc.t1(), poly(pc.coeffs()), pc.pattern());
        }
        if (tex != null) {
            out().println(tex);
        }
        if (cert != null) {
            out().println("certified by netgeom-certify: each piece's patterns and quadratic re-derived by its own forward pass on the data, "
                    + "the pieces tile [" + r[0] + ", " + r[1] + "]");
        }
    }

    /** What the independent checker needs besides the model: the layer, the direction, the data, the loss, the range. */
    private static Map<String, Object> lineEvidence(LayerParams p, Rational[] d, DataSet ds, LossKind kind, Rational[] r) {
        Map<String, Object> ev = JsonOut.object();
        ev.put("layer", p.path());
        List<Rational> w = new ArrayList<>();
        List<Rational> b = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            (p.isBias(i) ? b : w).add(d[i]);
        }
        Map<String, Object> dir = JsonOut.object();
        dir.put("weight", JsonOut.exact(w.toArray(new Rational[0])));
        if (!b.isEmpty()) {
            dir.put("bias", JsonOut.exact(b.toArray(new Rational[0])));
        }
        ev.put("direction", dir);
        List<Object> xs = new ArrayList<>();
        List<Object> ys = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            xs.add(JsonOut.exact(ds.x(i)));
            ys.add(JsonOut.exact(ds.y(i)));
        }
        Map<String, Object> data = JsonOut.object();
        data.put("x", xs);
        data.put("y", ys);
        ev.put("data", data);
        ev.put("loss", kind.name().toLowerCase(java.util.Locale.ROOT));
        ev.put("range", List.of(JsonOut.exact(r[0]), JsonOut.exact(r[1])));
        return ev;
    }

    /** c0 + c1 t + c2 t^2 in human form. */
    static String poly(Rational[] c) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < c.length; k++) {
            Rational q = c[k];
            if (q.isZero()) {
                continue;
            }
            String mono = k == 0 ? "" : k == 1 ? "t" : "t^" + k;
            String term = k == 0 ? q.abs().toString() : q.abs().isOne() ? mono : q.abs() + " " + mono;
            sb.append(sb.length() == 0 ? (q.signum() < 0 ? "-" : "") : (q.signum() < 0 ? " - " : " + ")).append(term);
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    private void plotLine(LossLine.Result res, LossKind kind, String where) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(kind + " along " + where + " + t·d")
                .xAxisTitle("t").yAxisTitle(kind.toString()).build();
        chart.getStyler().setLegendVisible(true);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int per = Math.max(8, 400 / res.pieces().size());
        for (LossLine.Piece pc : res.pieces()) {
            Rational w = pc.t1().subtract(pc.t0());
            for (int i = 0; i <= per; i++) {
                Rational t = pc.t0().add(w.multiply(Rational.of(i, per)));
                xs.add(t.doubleValue());
                ys.add(pc.valueAt(t).doubleValue());
            }
        }
        XYSeries s = chart.addSeries("loss (exact pieces)", xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        if (!res.breakpoints().isEmpty()) {
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            for (int i = 0; i < res.breakpoints().size(); i++) {
                Rational t = res.breakpoints().get(i);
                bx.add(t.doubleValue());
                by.add(res.pieces().get(i + 1).valueAt(t).doubleValue());
            }
            XYSeries b = chart.addSeries("breakpoints", bx, by);
            b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            b.setMarker(SeriesMarkers.CIRCLE);
        }
        PlotFiles.save(chart, plot);
    }

    // accessors for LossCellReport
    String layer() {
        return layer;
    }

    int digits() {
        return digits.get();
    }

    boolean latex() {
        return latex;
    }

    boolean jsonOut() {
        return json;
    }

    void emitJson(Object o) {
        printJson(o);
    }

    java.io.PrintWriter stdout() {
        return out();
    }
}
