package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * XChart charts (the command line's plotting library) as SVG text for the notebook. Kept apart
 * from {@link Display} so that XChart and AWT load only when a cell draws a chart.
 */
final class Charts {
    private Charts() {
    }

    /** The chart drawn as an SVG document. */
    static String svg(Object chart) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic((Chart<?, ?>) chart, buf, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw IrError.BAD_INPUT.error("cannot draw the chart as SVG: " + e.getMessage());
        }
    }
}
