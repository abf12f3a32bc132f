package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small x-y plot drawn as SVG text (lines, dashed lines, points, closed polygons, a heat map
 * underneath, axes with round ticks, a legend), for notebooks: the output is plain,
 * deterministic SVG, so saved notebooks diff cleanly and read well on a code host. Exact
 * coordinates ({@link Rational}) are drawn at their nearest doubles; the drawing is the only
 * place they are rounded. Series with the same non-empty label share a colour and one legend entry.
 *
 * <pre>{@code
 * SvgPlot.of("t(t(x))").line("f", xs, ys).points("kinks", kx, ky).xLabel("x")   // shown as image/svg+xml
 * SvgPlot.of("loss").heat("loss", as, bs, z).polygon("cell of θ0", vx, vy)        // a sampled surface and an exact cell
 * }</pre>
 */
public final class SvgPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private enum Kind { LINE, DASHED, POINTS, POLYGON }

    private record Series(String label, double[] x, double[] y, Kind kind) {
        boolean line() {
            return kind != Kind.POINTS;
        }
    }

    /** Values z[j][i] sampled at (x[i], y[j]), drawn as coloured cells under the series. */
    private record Heat(String label, double[] x, double[] y, double[][] z, double lo, double hi) {
    }

    private final String title;
    private final List<Series> series = new ArrayList<>();
    private Heat heat;
    private String xLabel = "";
    private String yLabel = "";
    private int width = 640;
    private int height = 400;

    private SvgPlot(String title) {
        this.title = title == null ? "" : title;
    }

    /** A new plot with a title (may be empty). */
    public static SvgPlot of(String title) {
        return new SvgPlot(title);
    }

    /** A polyline through the points in the order given. */
    public SvgPlot line(String label, double[] x, double[] y) {
        return add(label, x, y, Kind.LINE);
    }

    /** A polyline through exact points (drawn at their nearest doubles). */
    public SvgPlot line(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), Kind.LINE);
    }

    /** A dashed polyline. */
    public SvgPlot dashed(String label, double[] x, double[] y) {
        return add(label, x, y, Kind.DASHED);
    }

    /** A dashed polyline through exact points. */
    public SvgPlot dashed(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), Kind.DASHED);
    }

    /** Marked points. */
    public SvgPlot points(String label, double[] x, double[] y) {
        return add(label, x, y, Kind.POINTS);
    }

    /** Marked exact points (drawn at their nearest doubles). */
    public SvgPlot points(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), Kind.POINTS);
    }

    /** The outline of a closed polygon with these vertices, in order (the last joins the first). */
    public SvgPlot polygon(String label, double[] x, double[] y) {
        return add(label, x, y, Kind.POLYGON);
    }

    /** The outline of a closed polygon with exact vertices. */
    public SvgPlot polygon(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), Kind.POLYGON);
    }

    /**
     * A heat map under the series: {@code z[j][i]} is the value at {@code (x[i], y[j])}, each drawn as
     * a cell reaching halfway to its neighbours, coloured on a viridis-like scale from min z (dark)
     * to max z (yellow), with a colour bar titled {@code label}. x and y must increase; one heat map per plot.
     */
    public SvgPlot heat(String label, double[] x, double[] y, double[][] z) {
        if (x.length < 2 || y.length < 2 || z.length != y.length) {
            throw IrError.BAD_INPUT.error("a heat map needs at least 2×2 samples and one row of z per y value (" + y.length
                    + " y values, " + z.length + " rows)");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < y.length; j++) {
            if (z[j].length != x.length) {
                throw IrError.BAD_INPUT.error("row " + j + " of the heat map has " + z[j].length + " values for " + x.length + " x values");
            }
            for (double v : z[j]) {
                if (!Double.isFinite(v)) {
                    throw IrError.BAD_INPUT.error("the heat map holds a value that is not finite: " + v);
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (double[] a : new double[][]{x, y}) {
            for (int i = 1; i < a.length; i++) {
                if (!(a[i] > a[i - 1]) || !Double.isFinite(a[i]) || !Double.isFinite(a[i - 1])) {
                    throw IrError.BAD_INPUT.error("the heat map's coordinates must be finite and increase");
                }
            }
        }
        double[][] zc = new double[z.length][];
        for (int j = 0; j < z.length; j++) {
            zc[j] = z[j].clone();
        }
        heat = new Heat(label == null ? "" : label, x.clone(), y.clone(), zc, lo, hi);
        return this;
    }

    /** The label under the x axis. */
    public SvgPlot xLabel(String s) {
        xLabel = s == null ? "" : s;
        return this;
    }

    /** The label beside the y axis. */
    public SvgPlot yLabel(String s) {
        yLabel = s == null ? "" : s;
        return this;
    }

    /** The drawing's size in pixels (default 640 × 400). */
    public SvgPlot size(int w, int h) {
        if (w < 200 || h < 150) {
            throw IrError.BAD_INPUT.error("a plot of " + w + "×" + h + " pixels is too small to draw (at least 200×150)");
        }
        width = w;
        height = h;
        return this;
    }

    private static double[] doubles(Rational[] q) {
        double[] d = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            d[i] = q[i].doubleValue();
        }
        return d;
    }

    private SvgPlot add(String label, double[] x, double[] y, Kind kind) {
        if (x.length != y.length) {
            throw IrError.BAD_INPUT.error("series '" + label + "' has " + x.length + " x values and " + y.length + " y values");
        }
        if (x.length == 0) {
            throw IrError.BAD_INPUT.error("series '" + label + "' has no points");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw IrError.BAD_INPUT.error("series '" + label + "' point " + i + " is (" + x[i] + ", " + y[i]
                        + "); only finite coordinates can be drawn");
            }
        }
        series.add(new Series(label == null ? "" : label, x.clone(), y.clone(), kind));
        return this;
    }

    /** The plot as an SVG document. */
    public String svg() {
        if (series.isEmpty() && heat == null) {
            throw IrError.BAD_INPUT.error("the plot '" + title + "' has no series to draw");
        }
        double[] xr = range(true);
        double[] yr = range(false);
        Axis ax = new Axis(xr[0], xr[1]);
        Axis ay = new Axis(yr[0], yr[1]);
        int left = 64;
        int right = heat == null ? 20 : 96;
        int top = title.isEmpty() ? 20 : 40;
        int bottom = xLabel.isEmpty() ? 40 : 56;
        double pw = width - left - right;
        double ph = height - top - bottom;
        Frame f = new Frame(ax.lo, ax.hi, ay.lo, ay.hi, left, top, pw, ph);

        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        if (!title.isEmpty()) {
            sb.append("<text x=\"").append(fmt(width / 2.0)).append("\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">")
                    .append(Cells.html(title)).append("</text>\n");
        }
        for (double t : ax.ticks()) {
            double px = f.px(t);
            sb.append("<line x1=\"").append(fmt(px)).append("\" y1=\"").append(top).append("\" x2=\"").append(fmt(px))
                    .append("\" y2=\"").append(fmt(top + ph)).append("\" stroke=\"#e5e5e5\"/>\n");
            sb.append("<text x=\"").append(fmt(px)).append("\" y=\"").append(fmt(top + ph + 16))
                    .append("\" text-anchor=\"middle\">").append(ax.label(t)).append("</text>\n");
        }
        for (double t : ay.ticks()) {
            double py = f.py(t);
            sb.append("<line x1=\"").append(left).append("\" y1=\"").append(fmt(py)).append("\" x2=\"").append(fmt(left + pw))
                    .append("\" y2=\"").append(fmt(py)).append("\" stroke=\"#e5e5e5\"/>\n");
            sb.append("<text x=\"").append(left - 6).append("\" y=\"").append(fmt(py + 4))
                    .append("\" text-anchor=\"end\">").append(ay.label(t)).append("</text>\n");
        }
        if (heat != null) {
            heatCells(sb, f);
            colourBar(sb, left + pw + 14, top, ph);
        }
        sb.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(fmt(pw))
                .append("\" height=\"").append(fmt(ph)).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        if (!xLabel.isEmpty()) {
            sb.append("<text x=\"").append(fmt(left + pw / 2)).append("\" y=\"").append(height - 10)
                    .append("\" text-anchor=\"middle\">").append(Cells.html(xLabel)).append("</text>\n");
        }
        if (!yLabel.isEmpty()) {
            sb.append("<text transform=\"translate(16,").append(fmt(top + ph / 2)).append(") rotate(-90)\" text-anchor=\"middle\">")
                    .append(Cells.html(yLabel)).append("</text>\n");
        }
        for (Series se : series) {
            String c = colour(se);
            if (se.kind() == Kind.POINTS) {
                sb.append("<g fill=\"").append(c).append(heat != null ? "\" stroke=\"white\"" : "\"").append(">\n");
                for (int i = 0; i < se.x().length; i++) {
                    sb.append("<circle cx=\"").append(fmt(f.px(se.x()[i]))).append("\" cy=\"").append(fmt(f.py(se.y()[i])))
                            .append("\" r=\"3.5\"/>\n");
                }
                sb.append("</g>\n");
            } else {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < se.x().length; i++) {
                    pts.append(i == 0 ? "" : " ").append(fmt(f.px(se.x()[i]))).append(',').append(fmt(f.py(se.y()[i])));
                }
                String tag = se.kind() == Kind.POLYGON ? "<polygon" : "<polyline";
                if (heat != null) {         // a white halo keeps the line visible on dark colours
                    sb.append(tag).append(" fill=\"none\" stroke=\"white\" stroke-opacity=\"0.7\" stroke-width=\"3.2\" points=\"")
                            .append(pts).append("\"/>\n");
                }
                sb.append(tag).append(" fill=\"none\" stroke=\"").append(c)
                        .append("\" stroke-width=\"1.8\"").append(se.kind() == Kind.DASHED ? " stroke-dasharray=\"6 4\"" : "")
                        .append(" points=\"").append(pts).append("\"/>\n");
            }
        }
        legend(sb, left + pw - 8, top + 8);
        return sb.append("</svg>\n").toString();
    }

    /** A series' colour: the palette in order of first appearance of each label (unlabelled series count one each). */
    private String colour(Series s) {
        List<String> seen = new ArrayList<>();
        int k = 0;
        for (Series o : series) {
            if (!o.label().isEmpty() && seen.contains(o.label())) {
                if (o == s) {
                    return COLOURS[seen.indexOf(o.label()) % COLOURS.length];
                }
                continue;
            }
            if (o == s) {
                return COLOURS[k % COLOURS.length];
            }
            seen.add(o.label());
            k++;
        }
        throw new IllegalStateException("not a series of this plot");
    }

    private void heatCells(StringBuilder sb, Frame f) {
        double[] xe = edges(heat.x());
        double[] ye = edges(heat.y());
        sb.append("<g shape-rendering=\"crispEdges\">\n");
        for (int j = 0; j < heat.y().length; j++) {
            double y0 = f.py(ye[j + 1]);
            double y1 = f.py(ye[j]);
            for (int i = 0; i < heat.x().length; i++) {
                double x0 = f.px(xe[i]);
                double x1 = f.px(xe[i + 1]);
                sb.append("<rect x=\"").append(fmt(x0)).append("\" y=\"").append(fmt(y0)).append("\" width=\"").append(fmt(x1 - x0))
                        .append("\" height=\"").append(fmt(y1 - y0)).append("\" fill=\"").append(viridis(level(heat.z()[j][i])))
                        .append("\"/>\n");
            }
        }
        sb.append("</g>\n");
    }

    private void colourBar(StringBuilder sb, double x, double top, double h) {
        int steps = 64;
        sb.append("<g shape-rendering=\"crispEdges\">\n");
        for (int k = 0; k < steps; k++) {
            sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(top + h - (k + 1) * h / steps)).append("\" width=\"14\" height=\"")
                    .append(fmt(h / steps)).append("\" fill=\"").append(viridis((k + 0.5) / steps)).append("\"/>\n");
        }
        sb.append("</g>\n<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(top)).append("\" width=\"14\" height=\"").append(fmt(h))
                .append("\" fill=\"none\" stroke=\"#444\"/>\n");
        if (heat.hi() > heat.lo()) {
            Axis az = new Axis(heat.lo(), heat.hi());
            for (double t : az.ticks()) {
                double py = top + h - (t - heat.lo()) / (heat.hi() - heat.lo()) * h;
                sb.append("<text x=\"").append(fmt(x + 18)).append("\" y=\"").append(fmt(py + 4)).append("\">").append(az.label(t))
                        .append("</text>\n");
            }
        }
        if (!heat.label().isEmpty()) {
            sb.append("<text transform=\"translate(").append(fmt(x + 70)).append(',').append(fmt(top + h / 2))
                    .append(") rotate(90)\" text-anchor=\"middle\">").append(Cells.html(heat.label())).append("</text>\n");
        }
    }

    /** Where v lies between the heat map's smallest and largest value, in [0, 1]. */
    private double level(double v) {
        return heat.hi() > heat.lo() ? (v - heat.lo()) / (heat.hi() - heat.lo()) : 0.5;
    }

    /** Cell edges: halfway between neighbouring samples, and as far beyond the first and last. */
    private static double[] edges(double[] c) {
        int n = c.length;
        double[] e = new double[n + 1];
        for (int i = 1; i < n; i++) {
            e[i] = (c[i - 1] + c[i]) / 2;
        }
        e[0] = c[0] - (c[1] - c[0]) / 2;
        e[n] = c[n - 1] + (c[n - 1] - c[n - 2]) / 2;
        return e;
    }

    /** Matplotlib's viridis at t in [0, 1], interpolated between nine of its colours. */
    static String viridis(double t) {
        int[][] stops = {{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
        double u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int k = Math.min(stops.length - 2, (int) Math.floor(u));
        double w = u - k;
        StringBuilder sb = new StringBuilder("#");
        for (int c = 0; c < 3; c++) {
            sb.append(String.format(Locale.ROOT, "%02x", (int) Math.round(stops[k][c] + w * (stops[k + 1][c] - stops[k][c]))));
        }
        return sb.toString();
    }

    private void legend(StringBuilder sb, double x, double y) {
        List<Series> named = new ArrayList<>();
        for (Series s : series) {
            if (!s.label().isEmpty() && named.stream().noneMatch(o -> o.label().equals(s.label()))) {
                named.add(s);
            }
        }
        if (named.isEmpty()) {
            return;
        }
        int longest = named.stream().mapToInt(s -> s.label().length()).max().orElse(0);
        double w = 34 + 7 * longest;
        double h = 8 + 18 * named.size();
        sb.append("<rect x=\"").append(fmt(x - w)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(fmt(h)).append("\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>\n");
        for (int i = 0; i < named.size(); i++) {
            Series s = named.get(i);
            String c = colour(s);
            double cy = y + 13 + 18 * i;
            if (s.line()) {
                sb.append("<line x1=\"").append(fmt(x - w + 6)).append("\" y1=\"").append(fmt(cy)).append("\" x2=\"")
                        .append(fmt(x - w + 24)).append("\" y2=\"").append(fmt(cy)).append("\" stroke=\"").append(c)
                        .append("\" stroke-width=\"2\"").append(s.kind() == Kind.DASHED ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
            } else {
                sb.append("<circle cx=\"").append(fmt(x - w + 15)).append("\" cy=\"").append(fmt(cy)).append("\" r=\"3.5\" fill=\"")
                        .append(c).append("\"/>\n");
            }
            sb.append("<text x=\"").append(fmt(x - w + 30)).append("\" y=\"").append(fmt(cy + 4)).append("\">")
                    .append(Cells.html(s.label())).append("</text>\n");
        }
    }

    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : xAxis ? s.x() : s.y()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (heat != null) {                   // the heat map fills the plot area exactly: no padding
            double[] e = edges(xAxis ? heat.x() : heat.y());
            return new double[]{Math.min(lo, e[0]), Math.max(hi, e[e.length - 1])};
        }
        if (hi - lo < 1e-300) {
            double pad = lo == 0 ? 1 : Math.abs(lo) / 2;
            return new double[]{lo - pad, hi + pad};
        }
        double pad = xAxis ? 0 : (hi - lo) * 0.05;
        return new double[]{lo - pad, hi + pad};
    }

    /** Maps data coordinates into the plot area. */
    private record Frame(double x0, double x1, double y0, double y1, double left, double top, double w, double h) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * w;
        }

        double py(double y) {
            return top + h - (y - y0) / (y1 - y0) * h;
        }
    }

    /** An axis with a round tick step (1, 2 or 5 times a power of ten), about six ticks. */
    private static final class Axis {
        final double lo;
        final double hi;
        final double step;
        final int decimals;

        Axis(double lo, double hi) {
            double raw = (hi - lo) / 6;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double n = raw / mag;
            double s = n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10;
            this.step = s * mag;
            this.decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            this.lo = lo;
            this.hi = hi;
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
                t.add(k * step);
            }
            return t;
        }

        String label(double v) {
            BigDecimal b = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
            String s = b.signum() == 0 ? "0" : b.toPlainString();
            return s.startsWith("-") ? "−" + s.substring(1) : s;
        }
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    /** The SVG, for the notebook's display. */
    public String reprSvg() {
        return svg();
    }

    @Override
    public String toString() {
        int n = series.stream().mapToInt(s -> s.x().length).sum();
        return "plot" + (title.isEmpty() ? "" : " '" + title + "'") + ": " + series.size() + " series, " + n + " points"
                + (heat == null ? "" : ", heat map of " + heat.x().length + "×" + heat.y().length + " samples");
    }
}
