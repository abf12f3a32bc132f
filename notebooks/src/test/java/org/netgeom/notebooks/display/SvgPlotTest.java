package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SVG plot: coordinates computed by hand from the layout, round ticks, coded errors. */
class SvgPlotTest {
    /**
     * 640×400 with a title: plot area x 64..620 (556 wide), y 40..360 (320 high). x spans [0, 2]; y
     * spans [0, 1] padded by 5% to [-0.05, 1.05], so y = 0 sits at 360 - 320·0.05/1.1 = 345.45 and
     * y = 1 at 360 - 320·1.05/1.1 = 54.55.
     */
    @Test
    void pointsLandWhereTheLayoutSays() {
        String svg = SvgPlot.of("T").line("f", new Rational[]{Rational.ZERO, Rational.TWO}, new Rational[]{Rational.ZERO, Rational.ONE}).svg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\""), svg);
        assertTrue(svg.contains("points=\"64,345.45 620,54.55\""), svg);
        for (String tick : new String[]{">0</text>", ">0.2</text>", ">1</text>", ">1.8</text>", ">2</text>"}) {
            assertTrue(svg.contains(tick), tick);
        }
        assertTrue(svg.contains(">T</text>") && svg.contains(">f</text>"), "title and legend");
        assertEquals(svg, SvgPlot.of("T").line("f", new double[]{0, 2}, new double[]{0, 1}).svg(), "deterministic");
    }

    @Test
    void badDataIsACodedError() {
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class,
                () -> SvgPlot.of("").line("a", new double[]{0, 1}, new double[]{0})).code().name());
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class,
                () -> SvgPlot.of("").points("a", new double[]{Double.NaN}, new double[]{0})).code().name());
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class, () -> SvgPlot.of("empty").svg()).code().name());
    }

    @Test
    void aPlotShowsAsSvg() {
        Rich r = Renderers.render(SvgPlot.of("p").points("", new double[]{1}, new double[]{1}));
        assertTrue(r.get(Rich.SVG).contains("<circle"), r.get(Rich.SVG));
        assertEquals("plot 'p': 1 series, 1 points", r.plain());
    }

    /**
     * A 2×2 heat map with a title and no axis labels: plot area x 64..544 (640 − 64 − 96 for the colour
     * bar, 480 wide), y 40..360 (320 high). Samples at 0 and 1 give cells reaching to −1/2 and 3/2, the
     * plot's range without padding, so the cell of (0, 0) is x 64..304, y 200..360 and that of (1, 1)
     * x 304..544, y 40..200; the smallest value is viridis' first colour, the largest its last.
     */
    @Test
    void aHeatMapFillsThePlotCellByCell() {
        String svg = SvgPlot.of("H").heat("z", new double[]{0, 1}, new double[]{0, 1}, new double[][]{{0, 1}, {2, 3}}).svg();
        assertTrue(svg.contains("<rect x=\"64\" y=\"200\" width=\"240\" height=\"160\" fill=\"#440154\"/>"), svg);
        assertTrue(svg.contains("<rect x=\"304\" y=\"40\" width=\"240\" height=\"160\" fill=\"#fde725\"/>"), svg);
        assertEquals("#21908d", SvgPlot.viridis(0.5), "the middle stop");
        assertEquals("plot 'H': 0 series, 0 points, heat map of 2×2 samples",
                SvgPlot.of("H").heat("z", new double[]{0, 1}, new double[]{0, 1}, new double[][]{{0, 1}, {2, 3}}).toString());
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class, () -> SvgPlot.of("").heat("z", new double[]{1, 0},
                new double[]{0, 1}, new double[][]{{0, 1}, {2, 3}})).code().name(), "x must increase");
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class, () -> SvgPlot.of("").heat("z", new double[]{0, 1},
                new double[]{0, 1}, new double[][]{{0, Double.NaN}, {2, 3}})).code().name());
    }

    /** A polygon closes on itself; series with one label share a colour and a legend entry, colours going by distinct labels; dashed lines are dashed. */
    @Test
    void polygonsAndSharedLabels() {
        String svg = SvgPlot.of("").polygon("cell", new double[]{0, 1, 0}, new double[]{0, 0, 1})
                .polygon("cell", new double[]{1, 2, 1}, new double[]{1, 1, 2})
                .dashed("axis", new double[]{0, 2}, new double[]{1, 1}).svg();
        assertEquals(2, svg.split("<polygon fill=\"none\" stroke=\"#1f77b4\"", -1).length - 1, "one colour for one label");
        assertEquals(1, svg.split(">cell</text>", -1).length - 1, "one legend entry");
        assertTrue(svg.contains("stroke=\"#d62728\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\""), svg);
    }
}
