package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.exact.ExactForward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How values show: netgeom types, the repr methods, registered renderers, XChart, the display API. */
class RenderersTest {
    /** A result type of some other module: shows itself through the repr methods. */
    public static final class Shape3 {
        public String reprLatex() {
            return "x^3";
        }

        public String reprSvg() {
            return "<svg/>";
        }

        public String reprHtml() {
            return null;             // null: not offered
        }

        @Override
        public String toString() {
            return "x cubed";
        }
    }

    @Test
    void rationalsShowAsFractions() {
        Rich r = Renderers.render(Rational.of(-3, 4));
        assertEquals("-3/4", r.plain());
        assertEquals("$-\\frac{3}{4}$", r.get(Rich.LATEX));
    }

    @Test
    void reprMethodsAreTheDisplayProtocol() {
        Rich r = Renderers.render(new Shape3());
        assertEquals("$$x^3$$", r.get(Rich.LATEX));
        assertEquals("<svg/>", r.get(Rich.SVG));
        assertNull(r.get(Rich.HTML));
        assertEquals("x cubed", r.plain());
    }

    @Test
    void registeredRenderersWinOverPlainText() {
        record Pair(int a, int b) {
        }
        Renderers.register(Pair.class, p -> Rich.of("pair", Rich.MARKDOWN, "**" + p.a() + "," + p.b() + "**"));
        assertEquals("**1,2**", Renderers.render(new Pair(1, 2)).get(Rich.MARKDOWN));
        assertEquals("[1, 2]", Renderers.render(List.of(1, 2)).plain());
        assertEquals("null", Renderers.render(null).plain());
    }

    @Test
    void modelsShowTheirLayers() {
        Model m = IrReader.read(Path.of("..", "examples", "square2d.json"));
        Rich r = Renderers.render(m);
        assertTrue(r.get(Rich.HTML).contains("<tr><td>layers[0]</td><td>dense</td><td>hidden</td><td>[2]</td><td>[3]</td></tr>"), r.get(Rich.HTML));
        // 3·2 + 3 + 1·3 + 1 = 13 parameters, by hand
        assertTrue(r.get(Rich.HTML).contains("<caption>model square-2d: input [2] → output [1], 13 parameters, piecewise linear</caption>"),
                r.get(Rich.HTML));
        assertTrue(r.plain().startsWith("model square-2d: input [2] -> output [1]"), r.plain());
    }

    @Test
    void exactResultsShowOutputPatternAndKink() {
        Model tent2 = IrReader.read(Path.of("..", "examples", "tent2.json"));
        Rich r = Renderers.render(ExactForward.run(tent2, new Rational[]{Rational.of(1, 3)}));
        assertEquals("f = [2/3]   (exact; activation pattern 101111)", r.plain());     // README: f(1/3) = 2/3, pattern 101111
        assertTrue(r.get(Rich.MARKDOWN).endsWith("| [2/3] | 101111 | no |"), r.get(Rich.MARKDOWN));
    }

    @Test
    void xchartChartsShowAsSvg() {
        XYChart c = new XYChartBuilder().width(300).height(200).title("c").build();
        c.addSeries("s", new double[]{0, 1}, new double[]{1, 0});
        Rich r = Renderers.render(c);
        assertTrue(r.get(Rich.SVG).contains("<svg"), r.get(Rich.SVG));
        assertEquals(r.get(Rich.SVG), Display.chart(c).get(Rich.SVG));
    }

    @Test
    void displayApi() {
        assertEquals("$$t(x)$$", Display.latex("t(x)").get(Rich.LATEX));
        assertEquals("$x$", Display.latex("$x$").get(Rich.LATEX));
        assertEquals("\\[x\\]", Display.latex("\\[x\\]").get(Rich.LATEX));
        assertEquals("t(x)", Display.latex("t(x)").plain());
        assertEquals("<svg width=\"1\"/>", Display.svg("<svg width=\"1\"/>").get(Rich.SVG));
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class, () -> Display.svg("<html/>")).code().name());
        assertEquals("*a*", Display.markdown("*a*").get(Rich.MARKDOWN));
        assertEquals("<b>a</b>", Display.html("<b>a</b>").get(Rich.HTML));

        List<Rich> shown = new ArrayList<>();
        Display.sendTo(shown::add);
        try {
            Display.show(Rational.ONE, Display.text("two"));
        } finally {
            Display.sendTo(r -> System.out.println(r.plain()));
        }
        assertEquals(List.of("1", "two"), shown.stream().map(Rich::plain).toList());
    }
}
