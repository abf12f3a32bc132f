package org.netgeom.cli.plot;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture of an enumeration: in 2-D the partition into activation regions, each filled with
 * the colour of its affine piece, with the decision boundary drawn over it (f = 0 for one output;
 * for several, the points where two outputs tie for the maximum); in 1-D the graph of f, one
 * colour per piece, breakpoints dashed. Geometry comes from the exact vertices; only the drawing
 * is in floating point.
 */
public final class RegionPlot {
    private static final int SIZE = 720;
    private static final int LEFT = 70;
    private static final int TOP = 56;
    private static final int PLOT = 600;
    private static final Color GRID = new Color(120, 120, 120);

    private RegionPlot() {
    }

    /** Draws the enumeration to {@code file} (.svg or .png). */
    public static void save(RegionSet rs, String title, List<String> vars, Path file) {
        if (rs.dimension() > 2 || rs.pieces() == null) {
            throw IrError.BAD_INPUT.at("--plot", "plots show 1 or 2 variables (use --slice ORIGIN;DIR1;DIR2 for more)");
        }
        if (rs.regions().get(0).vertices() == null) {
            throw IrError.BAD_INPUT.at("--plot", "plots need the vertex mode (omit --mode lp)");
        }
        Canvas c = Canvas.forFile(file, SIZE, SIZE + 20);
        c.text(SIZE / 2.0, 24, title, 16, "middle", Color.BLACK);
        if (rs.dimension() == 2) {
            plane(c, rs, vars);
        } else {
            graph(c, rs, vars);
        }
        c.save(file);
    }

    static Color colour(int piece) {
        float hue = (float) ((piece * 0.6180339887498949) % 1.0);
        return Color.getHSBColor(hue, 0.42f, 0.97f);
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") ? s : s.replaceAll("\\.?0+$", "");
    }

    // ------------------------------------------------------------------ 2-D

    private static void plane(Canvas c, RegionSet rs, List<String> vars) {
        double[] lo = approx(rs.domain().lower());
        double[] hi = approx(rs.domain().upper());
        double sx = PLOT / (hi[0] - lo[0]);
        double sy = PLOT / (hi[1] - lo[1]);
        List<double[]> boundary = new ArrayList<>();
        for (Region r : rs.regions()) {
            List<Rational[]> v = r.vertices();
            double[] xs = new double[v.size()];
            double[] ys = new double[v.size()];
            double[][] poly = new double[v.size()][];
            for (int i = 0; i < v.size(); i++) {
                poly[i] = new double[]{v.get(i)[0].doubleValue(), v.get(i)[1].doubleValue()};
                xs[i] = LEFT + (poly[i][0] - lo[0]) * sx;
                ys[i] = TOP + (hi[1] - poly[i][1]) * sy;
            }
            Color fill = colour(r.piece());
            c.polygon(xs, ys, fill, fill.darker(), 0.6);
            boundary.addAll(decision(poly, r.map()));
        }
        for (double[] s : boundary) {
            c.line(LEFT + (s[0] - lo[0]) * sx, TOP + (hi[1] - s[1]) * sy, LEFT + (s[2] - lo[0]) * sx, TOP + (hi[1] - s[3]) * sy,
                    Color.BLACK, 2.2, false);
        }
        c.polygon(new double[]{LEFT, LEFT + PLOT, LEFT + PLOT, LEFT}, new double[]{TOP, TOP, TOP + PLOT, TOP + PLOT}, null, GRID, 1);
        c.text(LEFT, TOP + PLOT + 18, num(lo[0]), 12, "middle", GRID);
        c.text(LEFT + PLOT, TOP + PLOT + 18, num(hi[0]), 12, "middle", GRID);
        c.text(LEFT + PLOT / 2.0, TOP + PLOT + 22, vars.get(0), 14, "middle", Color.BLACK);
        c.text(LEFT - 8, TOP + PLOT, num(lo[1]), 12, "end", GRID);
        c.text(LEFT - 8, TOP + 10, num(hi[1]), 12, "end", GRID);
        c.text(LEFT - 8, TOP + PLOT / 2.0, vars.get(1), 14, "end", Color.BLACK);
        int outs = rs.regions().get(0).map().outputs();
        c.text(SIZE / 2.0, TOP + PLOT + 48, rs.activationRegions() + " activation regions, " + rs.affinePieces()
                + " affine pieces (colour: piece); black: " + (outs == 1 ? "decision boundary f = 0" : "argmax boundaries"),
                13, "middle", Color.DARK_GRAY);
    }

    /** Segments of the decision boundary inside one region (floating point, for drawing only). */
    static List<double[]> decision(double[][] poly, AffineMap m) {
        List<double[]> out = new ArrayList<>();
        int outs = m.outputs();
        if (outs == 1) {
            double[] g = {m.a(0, 0).doubleValue(), m.a(0, 1).doubleValue(), m.b(0).doubleValue()};
            addSegment(out, poly, g);
            return out;
        }
        for (int i = 0; i < outs; i++) {
            for (int j = i + 1; j < outs; j++) {
                double[][] p = poly;
                for (int k = 0; k < outs && p.length > 0; k++) {
                    if (k != i && k != j) {
                        p = clip(p, diff(m, i, k));
                    }
                }
                if (p.length >= 2) {
                    addSegment(out, p, diff(m, i, j));
                }
            }
        }
        return out;
    }

    private static double[] diff(AffineMap m, int i, int k) {
        return new double[]{m.a(i, 0).subtract(m.a(k, 0)).doubleValue(), m.a(i, 1).subtract(m.a(k, 1)).doubleValue(),
                m.b(i).subtract(m.b(k)).doubleValue()};
    }

    private static double eval(double[] g, double[] p) {
        return g[0] * p[0] + g[1] * p[1] + g[2];
    }

    /** The part of a convex polygon where g ≥ 0. */
    private static double[][] clip(double[][] p, double[] g) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            double[] a = p[i];
            double[] b = p[(i + 1) % p.length];
            double ga = eval(g, a);
            double gb = eval(g, b);
            if (ga >= 0) {
                out.add(a);
            }
            if ((ga >= 0) != (gb >= 0)) {
                double t = ga / (ga - gb);
                out.add(new double[]{a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
            }
        }
        return out.toArray(new double[0][]);
    }

    /** The segment where the line g = 0 crosses a convex polygon, if any. */
    private static void addSegment(List<double[]> out, double[][] p, double[] g) {
        if (g[0] == 0 && g[1] == 0) {
            return;                         // f constant on the region: no line to draw
        }
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            double[] a = p[i];
            double[] b = p[(i + 1) % p.length];
            double ga = eval(g, a);
            double gb = eval(g, b);
            if (ga == 0) {
                pts.add(a);
            } else if ((ga < 0 && gb > 0) || (ga > 0 && gb < 0)) {
                double t = ga / (ga - gb);
                pts.add(new double[]{a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
            }
        }
        if (pts.size() >= 2) {
            double[] a = pts.get(0);
            double[] b = pts.get(pts.size() - 1);
            if (Math.hypot(a[0] - b[0], a[1] - b[1]) > 0) {
                out.add(new double[]{a[0], a[1], b[0], b[1]});
            }
        }
    }

    // ------------------------------------------------------------------ 1-D

    private static void graph(Canvas c, RegionSet rs, List<String> vars) {
        List<RegionSet.Interval> iv = rs.intervals();
        double lo = iv.get(0).lo().doubleValue();
        double hi = iv.get(iv.size() - 1).hi().doubleValue();
        int outs = iv.get(0).piece().map().outputs();
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (RegionSet.Interval in : iv) {
            for (Rational x : new Rational[]{in.lo(), in.hi()}) {
                for (Rational y : in.piece().map().apply(new Rational[]{x})) {
                    ymin = Math.min(ymin, y.doubleValue());
                    ymax = Math.max(ymax, y.doubleValue());
                }
            }
        }
        if (ymax - ymin < 1e-12) {
            ymax += 1;
            ymin -= 1;
        }
        double pad = 0.05 * (ymax - ymin);
        ymin -= pad;
        ymax += pad;
        double sx = PLOT / (hi - lo);
        double sy = PLOT / (ymax - ymin);
        final double y0 = ymin;
        final double y1 = ymax;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + (x - lo) * sx;
        java.util.function.DoubleUnaryOperator py = y -> TOP + (y1 - y) * sy;
        if (y0 < 0 && y1 > 0) {
            c.line(LEFT, py.applyAsDouble(0), LEFT + PLOT, py.applyAsDouble(0), Color.BLACK, 1, false);
        }
        for (Rational b : rs.breakpoints()) {
            double x = px.applyAsDouble(b.doubleValue());
            c.line(x, TOP, x, TOP + PLOT, GRID, 0.8, true);
        }
        for (RegionSet.Interval in : iv) {
            AffineMap m = in.piece().map();
            Rational[] fa = m.apply(new Rational[]{in.lo()});
            Rational[] fb = m.apply(new Rational[]{in.hi()});
            for (int o = 0; o < outs; o++) {
                c.line(px.applyAsDouble(in.lo().doubleValue()), py.applyAsDouble(fa[o].doubleValue()),
                        px.applyAsDouble(in.hi().doubleValue()), py.applyAsDouble(fb[o].doubleValue()),
                        colour(in.piece().index()).darker(), 2.6, o > 0);
            }
        }
        c.polygon(new double[]{LEFT, LEFT + PLOT, LEFT + PLOT, LEFT}, new double[]{TOP, TOP, TOP + PLOT, TOP + PLOT}, null, GRID, 1);
        c.text(LEFT, TOP + PLOT + 18, num(lo), 12, "middle", GRID);
        c.text(LEFT + PLOT, TOP + PLOT + 18, num(hi), 12, "middle", GRID);
        c.text(LEFT + PLOT / 2.0, TOP + PLOT + 22, vars.get(0), 14, "middle", Color.BLACK);
        c.text(LEFT - 8, TOP + PLOT, num(y0), 12, "end", GRID);
        c.text(LEFT - 8, TOP + 10, num(y1), 12, "end", GRID);
        c.text(LEFT - 8, TOP + PLOT / 2.0, "f", 14, "end", Color.BLACK);
        c.text(SIZE / 2.0, TOP + PLOT + 48, rs.affinePieces() + " affine pieces, " + rs.breakpoints().size()
                + " breakpoints (dashed)" + (outs > 1 ? "; outputs after the first dashed" : ""), 13, "middle", Color.DARK_GRAY);
    }

    private static double[] approx(Rational[] q) {
        double[] d = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            d[i] = q[i].doubleValue();
        }
        return d;
    }
}
