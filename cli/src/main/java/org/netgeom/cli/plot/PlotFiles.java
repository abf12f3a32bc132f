package org.netgeom.cli.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.netgeom.ir.IrError;
import org.netgeom.ir.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes plots to {@code --plot FILE.svg|FILE.png}: the format is the file's extension, the
 * file is written atomically. XChart charts go through {@link #save(Chart, Path)}; hand-drawn
 * SVG (region partitions) through {@link #saveSvg(String, Path)}.
 */
public final class PlotFiles {
    private PlotFiles() {
    }

    /** The format named by the file's extension: "svg" or "png"; a coded error otherwise. */
    public static String format(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".svg")) {
            return "svg";
        }
        if (n.endsWith(".png")) {
            return "png";
        }
        throw IrError.IR_BAD_VALUE.at("--plot", "plot files end in .svg or .png, not " + file.getFileName());
    }

    /** Saves an XChart chart as SVG or PNG by the file's extension. */
    public static void save(Chart<?, ?> chart, Path file) {
        String fmt = format(file);
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            if (fmt.equals("svg")) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, buf, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, buf, BitmapEncoder.BitmapFormat.PNG);
            }
            AtomicFiles.write(file, buf.toByteArray());
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot write plot " + file + ": " + e.getMessage());
        }
    }

    /** Saves hand-drawn SVG text; the file must be named *.svg (a coded error otherwise). */
    public static void saveSvg(String svg, Path file) {
        if (!format(file).equals("svg")) {
            throw IrError.IR_BAD_VALUE.at("--plot", "this plot is drawn as SVG; name the file *.svg");
        }
        AtomicFiles.writeString(file, svg);
    }
}
