package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Tables in their three forms, compared with hand-written text. */
class TableTest {
    private static Table sample() {
        return Table.of("x", "f(x)").row(Rational.of(1, 3), Rational.of(2, 3)).row("a|b", 0.5);
    }

    @Test
    void plainTextIsAligned() {
        assertEquals("""
                x    f(x)
                ---  ----
                1/3  2/3
                a|b  0.5""", sample().toString());
    }

    @Test
    void markdownEscapesPipes() {
        assertEquals("""
                | x | f(x) |
                | --- | --- |
                | 1/3 | 2/3 |
                | a\\|b | 0.5 |""", sample().reprMarkdown());
    }

    @Test
    void htmlEscapesAndCaptions() {
        assertEquals("""
                <table>
                <caption>x &lt; y</caption>
                <thead><tr><th>x</th><th>f(x)</th></tr></thead>
                <tbody>
                <tr><td>1/3</td><td>2/3</td></tr>
                <tr><td>a|b</td><td>0.5</td></tr>
                </tbody>
                </table>""", sample().caption("x < y").reprHtml());
    }

    @Test
    void richHasAllThreeForms() {
        Rich r = Renderers.render(sample());
        assertEquals(sample().reprHtml(), r.get(Rich.HTML));
        assertEquals(sample().reprMarkdown(), r.get(Rich.MARKDOWN));
        assertEquals(sample().toString(), r.plain());
    }

    @Test
    void aRowOfTheWrongWidthIsACodedError() {
        NetgeomException e = assertThrows(NetgeomException.class, () -> Table.of("a", "b").row(1));
        assertEquals("BAD_INPUT", e.code().name());
    }

    @Test
    void cellsKeepExactValuesAndWriteArraysInFull() {
        assertEquals("[1/2, -3]", Cells.text(new Rational[]{Rational.of(1, 2), Rational.of(-3)}));
        assertEquals("[0.1, 2.0]", Cells.text(new double[]{0.1, 2}));
        assertEquals("[[1, -1/2], [0, 3]]", Cells.text(org.netgeom.ir.Tensor.matrix(new Rational[][]{
                {Rational.ONE, Rational.of(-1, 2)}, {Rational.ZERO, Rational.of(3)}})));
        assertEquals("", Cells.text(null));
    }
}
