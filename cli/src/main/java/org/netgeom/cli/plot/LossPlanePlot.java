package org.netgeom.cli.plot;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.loss.LossPlane;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The picture of {@code loss-surface --plane}: the loss as a heat map over the rectangle, each
 * pixel coloured by its cell's exact quadratic (evaluated in floating point for drawing), with
 * the cells' exact polygons drawn over it and a colour bar. Pixels are assigned to cells by
 * scanning each convex polygon row by row, so the boundaries in the image are those of the
 * exact cells.
 */
public final class LossPlanePlot {
    private static final int LEFT = 76;
    private static final int TOP = 56;
    private static final int PLOT = 600;
    private static final int RASTER = 300;
    private static final int WIDTH = 800;
    private static final int HEIGHT = 740;
    private static final Color GRID = new Color(120, 120, 120);
    /** Viridis, sampled at nine points (matplotlib's colour map). */
    private static final int[][] VIRIDIS = {{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
            {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};

    private LossPlanePlot() {
    }

    /** Draws the loss of every cell and the cell boundaries to {@code file} (.svg or .png). */
    public static void save(LossPlane.Result res, String title, Path file) {
        Rational[] r = res.range();
        double a0 = r[0].doubleValue();
        double a1 = r[1].doubleValue();
        double b0 = r[2].doubleValue();
        double b1 = r[3].doubleValue();
        double[] values = new double[RASTER * RASTER];
        java.util.Arrays.fill(values, Double.NaN);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LossPlane.PlaneCell c : res.cells()) {
            double[][] poly = pixels(c.vertices(), a0, a1, b0, b1);
            double[] q = coefficients(c.loss());
            double ymin = Double.POSITIVE_INFINITY;
            double ymax = Double.NEGATIVE_INFINITY;
            for (double[] p : poly) {
                ymin = Math.min(ymin, p[1]);
                ymax = Math.max(ymax, p[1]);
            }
            for (int row = Math.max(0, (int) Math.floor(ymin)); row <= Math.min(RASTER - 1, (int) Math.ceil(ymax)); row++) {
                double y = row + 0.5;
                double[] span = span(poly, y);
                if (span == null) {
                    continue;
                }
                for (int col = Math.max(0, (int) Math.ceil(span[0] - 0.5)); col <= Math.min(RASTER - 1, (int) Math.floor(span[1] - 0.5)); col++) {
                    double a = a0 + (col + 0.5) / RASTER * (a1 - a0);
                    double b = b1 - y / RASTER * (b1 - b0);
                    double v = q[0] + q[1] * a + q[2] * b + q[3] * a * a + q[4] * a * b + q[5] * b * b;
                    values[row * RASTER + col] = v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        BufferedImage img = new BufferedImage(RASTER, RASTER, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            img.setRGB(i % RASTER, i / RASTER, Double.isNaN(v) ? 0xffffff : colour((v - lo) / (hi - lo)).getRGB());
        }
        Canvas cv = Canvas.forFile(file, WIDTH, HEIGHT);
        cv.text(WIDTH / 2.0, 26, title, 16, "middle", Color.BLACK);
        cv.image(img, LEFT, TOP, PLOT, PLOT);
        double s = (double) PLOT / RASTER;
        int n = res.cells().size();
        double stroke = n > 3000 ? 0.25 : n > 500 ? 0.45 : 0.9;        // thinner lines where cells are many
        for (LossPlane.PlaneCell c : res.cells()) {
            double[][] poly = pixels(c.vertices(), a0, a1, b0, b1);
            double[] xs = new double[poly.length];
            double[] ys = new double[poly.length];
            for (int i = 0; i < poly.length; i++) {
                xs[i] = LEFT + poly[i][0] * s;
                ys[i] = TOP + poly[i][1] * s;
            }
            cv.polygon(xs, ys, null, Color.WHITE, stroke);
        }
        cv.polygon(new double[]{LEFT, LEFT + PLOT, LEFT + PLOT, LEFT}, new double[]{TOP, TOP, TOP + PLOT, TOP + PLOT}, null, GRID, 1);
        cv.text(LEFT, TOP + PLOT + 18, num(a0), 12, "middle", GRID);
        cv.text(LEFT + PLOT, TOP + PLOT + 18, num(a1), 12, "middle", GRID);
        cv.text(LEFT + PLOT / 2.0, TOP + PLOT + 22, "a", 14, "middle", Color.BLACK);
        cv.text(LEFT - 8, TOP + PLOT, num(b0), 12, "end", GRID);
        cv.text(LEFT - 8, TOP + 10, num(b1), 12, "end", GRID);
        cv.text(LEFT - 8, TOP + PLOT / 2.0, "b", 14, "end", Color.BLACK);
        // the colour bar
        int bx = LEFT + PLOT + 30;
        int steps = 60;
        for (int i = 0; i < steps; i++) {
            double y = TOP + PLOT - (i + 1.0) * PLOT / steps;
            Color col = colour((i + 0.5) / steps);
            cv.polygon(new double[]{bx, bx + 22, bx + 22, bx}, new double[]{y, y, y + PLOT / (double) steps, y + PLOT / (double) steps},
                    col, col, 0.5);
        }
        cv.polygon(new double[]{bx, bx + 22, bx + 22, bx}, new double[]{TOP, TOP, TOP + PLOT, TOP + PLOT}, null, GRID, 1);
        cv.text(bx + 28, TOP + 10, num(hi), 12, "start", GRID);
        cv.text(bx + 28, TOP + PLOT, num(lo), 12, "start", GRID);
        cv.text(WIDTH / 2.0, TOP + PLOT + 50, res.cells().size() + " cells (white: exact cell boundaries); colour: the loss, "
                + "exact quadratic per cell", 13, "middle", Color.DARK_GRAY);
        cv.save(file);
    }

    /** The cell's vertices in raster pixels (x right, y down). */
    private static double[][] pixels(List<Rational[]> v, double a0, double a1, double b0, double b1) {
        double[][] p = new double[v.size()][];
        for (int i = 0; i < v.size(); i++) {
            p[i] = new double[]{(v.get(i)[0].doubleValue() - a0) / (a1 - a0) * RASTER,
                    (b1 - v.get(i)[1].doubleValue()) / (b1 - b0) * RASTER};
        }
        return p;
    }

    /** The x-interval where the horizontal line at y crosses a convex polygon, or null. */
    private static double[] span(double[][] p, double y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            double[] a = p[i];
            double[] b = p[(i + 1) % p.length];
            if ((a[1] <= y && b[1] >= y) || (a[1] >= y && b[1] <= y)) {
                double x = a[1] == b[1] ? Math.min(a[0], b[0]) : a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                double x2 = a[1] == b[1] ? Math.max(a[0], b[0]) : x;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x2);
            }
        }
        return lo <= hi ? new double[]{lo, hi} : null;
    }

    /** (c00, c10, c01, c20, c11, c02) as doubles. */
    private static double[] coefficients(LossPlane.Poly2 q) {
        return new double[]{q.coeff(0, 0).doubleValue(), q.coeff(1, 0).doubleValue(), q.coeff(0, 1).doubleValue(),
                q.coeff(2, 0).doubleValue(), q.coeff(1, 1).doubleValue(), q.coeff(0, 2).doubleValue()};
    }

    static Color colour(double t) {
        double x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double f = x - i;
        int[] a = VIRIDIS[i];
        int[] b = VIRIDIS[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") ? s : s.replaceAll("\\.?0+$", "");
    }
}
