package org.netgeom.cli.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.netgeom.proofs.Figure;

/** Draws a theorem check's {@link Figure} (data) as an XChart chart. */
public final class FigureCharts {
    private FigureCharts() {
    }

    public static XYChart chart(Figure f) {
        XYChart c = new XYChartBuilder().width(720).height(440).title(f.title()).xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        c.getStyler().setXAxisLogarithmic(f.logX());
        c.getStyler().setYAxisLogarithmic(f.logY());
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        if (!f.logX()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Figure.Series s : f.series()) {
                for (double v : s.x()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            double step = niceStep((hi - lo) / 6);
            // label only the multiples of a round step: XChart's own spacing assumes font metrics the SVG viewer may not share
            c.setCustomXAxisTickLabelsFormatter(x -> {
                double k = x / step;
                return Math.abs(k - Math.rint(k)) < 1e-6 ? new java.text.DecimalFormat("#.####").format(x) : " ";
            });
        }
        for (Figure.Series s : f.series()) {
            XYSeries xy = c.addSeries(s.label(), s.x(), s.y());
            if (s.pointsOnly()) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                xy.setMarker(SeriesMarkers.NONE);
            }
        }
        return c;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
