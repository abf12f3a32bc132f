package org.netgeom.notebooks.display;

import org.netgeom.ir.Rational;
import org.netgeom.notebooks.NotebookError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small x-y plot drawn as SVG text (lines and points, axes with round ticks, a legend), for
 * notebooks: the output is plain, deterministic SVG, so saved notebooks diff cleanly and read
 * well on a code host. Exact coordinates ({@link Rational}) are drawn at their nearest doubles;
 * the drawing is the only place they are rounded.
 *
 * <pre>{@code
 * SvgPlot.of("t(t(x))").line("f", xs, ys).points("kinks", kx, ky).xLabel("x")   // shown as image/svg+xml
 * }</pre>
 */
public final class SvgPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private record Series(String label, double[] x, double[] y, boolean line) {
    }

    private final String title;
    private final List<Series> series = new ArrayList<>();
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
        return add(label, x, y, true);
    }

    /** A polyline through exact points (drawn at their nearest doubles). */
    public SvgPlot line(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), true);
    }

    /** Marked points. */
    public SvgPlot points(String label, double[] x, double[] y) {
        return add(label, x, y, false);
    }

    /** Marked exact points (drawn at their nearest doubles). */
    public SvgPlot points(String label, Rational[] x, Rational[] y) {
        return add(label, doubles(x), doubles(y), false);
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
            throw NotebookError.BAD_INPUT.error("a plot of " + w + "×" + h + " pixels is too small to draw (at least 200×150)");
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

    private SvgPlot add(String label, double[] x, double[] y, boolean line) {
        if (x.length != y.length) {
            throw NotebookError.BAD_INPUT.error("series '" + label + "' has " + x.length + " x values and " + y.length + " y values");
        }
        if (x.length == 0) {
            throw NotebookError.BAD_INPUT.error("series '" + label + "' has no points");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw NotebookError.BAD_INPUT.error("series '" + label + "' point " + i + " is (" + x[i] + ", " + y[i]
                        + "); only finite coordinates can be drawn");
            }
        }
        series.add(new Series(label == null ? "" : label, x.clone(), y.clone(), line));
        return this;
    }

    /** The plot as an SVG document. */
    public String svg() {
        if (series.isEmpty()) {
            throw NotebookError.BAD_INPUT.error("the plot '" + title + "' has no series to draw");
        }
        double[] xr = range(true);
        double[] yr = range(false);
        Axis ax = new Axis(xr[0], xr[1]);
        Axis ay = new Axis(yr[0], yr[1]);
        int left = 64;
        int right = 20;
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
        for (int s = 0; s < series.size(); s++) {
            Series se = series.get(s);
            String c = COLOURS[s % COLOURS.length];
            if (se.line()) {
                sb.append("<polyline fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"1.8\" points=\"");
                for (int i = 0; i < se.x().length; i++) {
                    sb.append(i == 0 ? "" : " ").append(fmt(f.px(se.x()[i]))).append(',').append(fmt(f.py(se.y()[i])));
                }
                sb.append("\"/>\n");
            } else {
                sb.append("<g fill=\"").append(c).append("\">\n");
                for (int i = 0; i < se.x().length; i++) {
                    sb.append("<circle cx=\"").append(fmt(f.px(se.x()[i]))).append("\" cy=\"").append(fmt(f.py(se.y()[i])))
                            .append("\" r=\"3.5\"/>\n");
                }
                sb.append("</g>\n");
            }
        }
        legend(sb, left + pw - 8, top + 8);
        return sb.append("</svg>\n").toString();
    }

    private void legend(StringBuilder sb, double x, double y) {
        List<Series> named = series.stream().filter(s -> !s.label().isEmpty()).toList();
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
            String c = COLOURS[series.indexOf(s) % COLOURS.length];
            double cy = y + 13 + 18 * i;
            if (s.line()) {
                sb.append("<line x1=\"").append(fmt(x - w + 6)).append("\" y1=\"").append(fmt(cy)).append("\" x2=\"")
                        .append(fmt(x - w + 24)).append("\" y2=\"").append(fmt(cy)).append("\" stroke=\"").append(c)
                        .append("\" stroke-width=\"2\"/>\n");
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
        return "plot" + (title.isEmpty() ? "" : " '" + title + "'") + ": " + series.size() + " series, " + n + " points";
    }
}
