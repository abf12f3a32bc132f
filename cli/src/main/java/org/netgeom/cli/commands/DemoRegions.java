package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.cli.plot.RegionPlot;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.bounds.RegionBounds;
import org.netgeom.symbolic.formula.Formula;
import org.netgeom.symbolic.perturb.Lipschitz;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo's exact-pieces part: the tent network's affine pieces counted on [0, 1], drawn to an
 * SVG (a new file in the temporary directory unless a path is given; an existing file is never
 * overwritten), its closed form, and the region bounds of its architecture.
 */
final class DemoRegions {
    private DemoRegions() {
    }

    /** Prints the steps and returns what they computed, for {@code demo --json}. */
    static Map<String, Object> print(PrintWriter o, Model tent, Path plot, int step) {
        Domain unit = Domain.box(new Rational[]{Rational.ZERO}, new Rational[]{Rational.ONE});
        RegionSet rs = Regions.enumerate(tent, unit, Options.defaults());
        o.println(step + ". its activation regions and affine pieces on [0, 1], exactly:");
        o.println("   " + rs.activationRegions() + " activation regions, " + rs.affinePieces() + " affine pieces, breakpoints "
                + String.join(", ", rs.breakpoints().stream().map(Rational::toString).toList()));
        List<String> x = List.of("x1");
        for (RegionSet.Interval iv : rs.intervals()) {
            o.printf("   on [%s, %s]: f = %s%n", iv.lo(), iv.hi(), Formula.value(iv.piece().map(), x, false));
        }
        o.println("   (each region's witness was re-checked exactly; Telgarsky 2016: t composed k times has 2^k pieces)");
        Lipschitz.Result lip = Lipschitz.compute(tent, unit, Options.defaults());
        o.println("   its Lipschitz constant on [0, 1] is " + lip.linf() + ", the largest |slope| over the regions, attained at x1 = "
                + lip.atLinf().witness()[0] + " (netgeom perturb --lipschitz)");
        o.println();
        Path file = plot;
        try {
            if (file == null) {
                file = Files.createTempFile("netgeom-demo-tent2-", ".svg");
            } else if (Files.exists(file)) {
                throw IrError.IR_IO.at("--plot", file + " exists; the demo does not overwrite files (choose another name)");
            }
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot create a file for the demo's plot: " + e.getMessage());
        }
        RegionPlot.save(rs, "tent-2: the graph of f, one colour per affine piece", x, file);
        o.println((step + 1) + ". drawn to " + file.toAbsolutePath() + " (netgeom regions MODEL --box=0,1 --plot F.svg draws any model)");
        o.println();
        Formula.Nested f = Formula.nested(tent);
        Formula.Piecewise p = Formula.piecewise(rs, x);
        o.println((step + 2) + ". its closed form, exact (netgeom formula; --latex for LaTeX):");
        o.println("   f(x1) = " + f.text().get(0));
        o.println("   on [0, 1]: f(x1) = " + p.text());
        o.println("   LaTeX: " + p.latex().replace("\n", " "));
        o.println();
        RegionBounds.Bounds b = RegionBounds.of(tent);
        o.println((step + 3) + ". bounds for its architecture (netgeom bounds): Serra et al. 2018 at most " + b.serra()
                + " regions, Montufar et al. 2014 at least " + b.montufar() + " for some weights");
        o.println();
        Map<String, Object> j = JsonOut.object();
        j.put("box", List.of("0", "1"));
        j.put("activationRegions", rs.activationRegions());
        j.put("affinePieces", rs.affinePieces());
        j.put("breakpoints", rs.breakpoints().stream().map(Rational::toString).toList());
        j.put("lipschitz", lip.linf().toString());
        j.put("plot", file.toAbsolutePath().toString());
        j.put("formula", f.text().get(0));
        j.put("piecewise", p.text());
        j.put("latex", p.latex());
        j.put("serraBound", b.serra().toString());
        j.put("montufarBound", b.montufar().toString());
        return j;
    }
}
