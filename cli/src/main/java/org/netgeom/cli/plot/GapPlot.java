package org.netgeom.cli.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;

/**
 * The plot of {@code netgeom range --eps-sweep … --plot}: each relaxation's gap to the exact range
 * (lines with a marker per radius) against the radius eps of the ℓ∞ ball.
 */
public final class GapPlot {
    private GapPlot() {
    }

    /** One line: its label and its points (radii where the exact range is known). */
    public record Line(String label, double[] eps, double[] gap) {
    }

    public static XYChart chart(String title, List<Line> lines) {
        XYChart c = new XYChartBuilder().width(720).height(440).title(title).xAxisTitle("eps (l-inf radius)")
                .yAxisTitle("gap to the exact range").build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        c.getStyler().setXAxisDecimalPattern("0.###");
        c.getStyler().setYAxisDecimalPattern("0.###");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Line l : lines) {
            if (l.eps().length == 0) {
                continue;
            }
            XYSeries s = c.addSeries(l.label(), l.eps(), l.gap());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }
}
