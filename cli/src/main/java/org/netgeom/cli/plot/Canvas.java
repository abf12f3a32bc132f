package org.netgeom.cli.plot;

import org.netgeom.ir.IrError;
import org.netgeom.ir.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A tiny drawing surface for hand-drawn plots, in pixels with y downwards, rendered either as
 * SVG text or as a PNG (java.awt), so that one drawing routine serves both formats. Written
 * atomically by {@link #save}.
 */
public abstract class Canvas {
    protected final int width;
    protected final int height;

    protected Canvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** A canvas for the file's format (.svg or .png; a coded error otherwise). */
    public static Canvas forFile(Path file, int width, int height) {
        return PlotFiles.format(file).equals("svg") ? new Svg(width, height) : new Png(width, height);
    }

    public abstract void polygon(double[] xs, double[] ys, Color fill, Color stroke, double strokeWidth);

    public abstract void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed);

    /** A raster image drawn into the rectangle (x, y, w, h) (SVG: an embedded PNG). */
    public abstract void image(BufferedImage img, double x, double y, double w, double h);

    /** Text; {@code anchor} is "start", "middle" or "end". */
    public abstract void text(double x, double y, String s, double size, String anchor, Color color);

    /** Writes the drawing to {@code file} atomically. */
    public abstract void save(Path file);

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static final class Svg extends Canvas {
        private final StringBuilder sb = new StringBuilder();

        Svg(int width, int height) {
            super(width, height);
            sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                    width, height, width, height));
            sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        }

        @Override
        public void polygon(double[] xs, double[] ys, Color fill, Color stroke, double w) {
            sb.append("<polygon points=\"");
            for (int i = 0; i < xs.length; i++) {
                sb.append(String.format(Locale.ROOT, "%s%.3f,%.3f", i == 0 ? "" : " ", xs[i], ys[i]));
            }
            sb.append(String.format(Locale.ROOT, "\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.2f\" stroke-linejoin=\"round\"/>%n",
                    fill == null ? "none" : hex(fill), stroke == null ? "none" : hex(stroke), w));
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color c, double w, boolean dashed) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.3f\" y1=\"%.3f\" x2=\"%.3f\" y2=\"%.3f\" stroke=\"%s\" stroke-width=\"%.2f\"%s stroke-linecap=\"round\"/>%n",
                    x1, y1, x2, y2, hex(c), w, dashed ? " stroke-dasharray=\"4 3\"" : ""));
        }

        @Override
        public void image(BufferedImage img, double x, double y, double w, double h) {
            try {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                ImageIO.write(img, "png", buf);
                sb.append(String.format(Locale.ROOT, "<image x=\"%.3f\" y=\"%.3f\" width=\"%.3f\" height=\"%.3f\" "
                                + "preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,%s\"/>%n",
                        x, y, w, h, java.util.Base64.getEncoder().encodeToString(buf.toByteArray())));
            } catch (IOException e) {
                throw IrError.IR_IO.error("cannot encode a plot image: " + e.getMessage());
            }
        }

        @Override
        public void text(double x, double y, String s, double size, String anchor, Color c) {
            String esc = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            sb.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" font-family=\"sans-serif\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
                    x, y, size, anchor, hex(c), esc));
        }

        @Override
        public void save(Path file) {
            PlotFiles.saveSvg(sb + "</svg>\n", file);
        }
    }

    static final class Png extends Canvas {
        private final BufferedImage img;
        private final Graphics2D g;

        Png(int width, int height) {
            super(width, height);
            img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }

        @Override
        public void polygon(double[] xs, double[] ys, Color fill, Color stroke, double w) {
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < xs.length; i++) {
                if (i == 0) {
                    p.moveTo(xs[i], ys[i]);
                } else {
                    p.lineTo(xs[i], ys[i]);
                }
            }
            p.closePath();
            if (fill != null) {
                g.setColor(fill);
                g.fill(p);
            }
            if (stroke != null) {
                g.setColor(stroke);
                g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(p);
            }
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color c, double w, boolean dashed) {
            g.setColor(c);
            g.setStroke(dashed ? new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[]{4f, 3f}, 0f)
                    : new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        public void image(BufferedImage im, double x, double y, double w, double h) {
            g.drawImage(im, (int) Math.round(x), (int) Math.round(y), (int) Math.round(w), (int) Math.round(h), null);
        }

        @Override
        public void text(double x, double y, String s, double size, String anchor, Color c) {
            g.setColor(c);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(size)));
            int w = g.getFontMetrics().stringWidth(s);
            double dx = anchor.equals("middle") ? -w / 2.0 : anchor.equals("end") ? -w : 0;
            g.drawString(s, (float) (x + dx), (float) y);
        }

        @Override
        public void save(Path file) {
            try {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                ImageIO.write(img, "png", buf);
                AtomicFiles.write(file, buf.toByteArray());
            } catch (IOException e) {
                throw IrError.IR_IO.error("cannot write plot " + file + ": " + e.getMessage());
            }
        }
    }
}
