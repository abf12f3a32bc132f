package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;
import org.netgeom.cli.plot.RegionPlot;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RegionSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's picture of an exact region enumeration ({@code netgeom regions --plot}) as
 * SVG text for a notebook: in 2-D the activation regions filled by affine piece with the decision
 * boundary; in 1-D the graph with its breakpoints. {@link RegionPlot} writes only files, so the
 * drawing goes through a temporary file that is deleted at once. Kept apart from {@link Display}
 * so that AWT (for the colours) loads only when a cell draws regions.
 */
final class RegionPictures {
    private RegionPictures() {
    }

    static Rich of(RegionSet rs, String title, String... vars) {
        List<String> names = new ArrayList<>(List.of(vars));
        if (names.isEmpty()) {
            String prefix = rs.inputMap().equals(AffineMap.identity(rs.dimension())) ? "x" : "t";
            for (int i = 1; i <= rs.dimension(); i++) {
                names.add(prefix + i);
            }
        }
        if (names.size() != rs.dimension()) {
            throw IrError.BAD_INPUT.error("the enumeration has " + rs.dimension() + " variables, " + names.size() + " names were given");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("netgeom-regions-", ".svg");
            RegionPlot.save(rs, title, names, tmp);
            String svg = Files.readString(tmp);
            return Rich.of("region plot '" + title + "': " + rs.activationRegions() + " activation regions, " + rs.affinePieces()
                    + " affine pieces", Rich.SVG, svg);
        } catch (IOException e) {
            throw IrError.BAD_INPUT.error("cannot draw the regions: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
