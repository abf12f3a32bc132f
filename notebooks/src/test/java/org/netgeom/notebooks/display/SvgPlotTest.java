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
}
