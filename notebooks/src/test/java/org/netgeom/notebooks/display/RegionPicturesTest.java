package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's region plot shown in a notebook: one filled polygon per region, as {@code regions --plot} writes it. */
class RegionPicturesTest {
    @Test
    void squareTwoDimensionsShowsItsSixSectors() throws Exception {
        Model m = IrReader.read(Path.of("../examples/square2d.json"));
        Rational one = Rational.ONE;
        RegionSet rs = Regions.enumerate(m, Domain.box(new Rational[]{one.negate(), one.negate()}, new Rational[]{one, one}),
                Options.defaults());
        Rich r = Display.regions(rs, "square-2d");
        String svg = r.get(Rich.SVG);
        assertTrue(svg.startsWith("<svg"), svg);
        // six regions (docs/regions.md: 6 sectors), each a filled polygon, and the unfilled frame
        assertEquals(6, svg.split("<polygon ", -1).length - 1 - 1, svg);
        assertTrue(svg.contains(">x1</text>") && svg.contains(">x2</text>"), "default axis names");
        assertEquals("region plot 'square-2d': 6 activation regions, 6 affine pieces", r.plain());
        assertEquals("BAD_INPUT", assertThrows(NetgeomException.class, () -> Display.regions(rs, "t", "x")).code().name());
    }
}
