package org.netgeom.proofs;

import java.util.List;

/**
 * A figure of a check, as data: the command line draws it (XChart) into the report. Series are
 * lines or points; axes may be logarithmic.
 */
public record Figure(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {

    public Figure {
        series = List.copyOf(series);
    }

    /** One series: its label, its points, and whether to draw markers only. */
    public record Series(String label, double[] x, double[] y, boolean pointsOnly) {
        public static Series line(String label, double[] x, double[] y) {
            return new Series(label, x.clone(), y.clone(), false);
        }

        public static Series points(String label, double[] x, double[] y) {
            return new Series(label, x.clone(), y.clone(), true);
        }
    }
}
