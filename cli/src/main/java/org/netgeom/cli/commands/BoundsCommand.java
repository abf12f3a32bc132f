package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Model;
import org.netgeom.symbolic.bounds.RegionBounds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code netgeom bounds MODEL [--json]}: the Serra et al. 2018 upper bound (Theorem 1, with its
 * j_l refinement) and the Montúfar et al. 2014 lower bound on the number of activation regions
 * of the architecture, as exact integers ({@code {"serraBound": "21", "montufarBound": "8"}}).
 */
@Command(name = "bounds", description = "Serra et al. 2018 upper and Montufar et al. 2014 lower bounds on the number of regions.")
public final class BoundsCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Override
    public Integer call() {
        Model m = readModel(model);
        RegionBounds.Bounds b = RegionBounds.of(m);
        if (json) {
            Map<String, Object> o = JsonOut.object();
            o.put("serraBound", b.serra().toString());
            o.put("montufarBound", b.montufar().toString());
            printJson(o);
            return 0;
        }
        String widths = b.widths().stream().map(String::valueOf).collect(Collectors.joining(", "));
        out().println((m.name() == null ? "model" : m.name()) + ": " + b.inputs() + " input" + (b.inputs() == 1 ? "" : "s")
                + ", piecewise-linear layer widths " + (widths.isEmpty() ? "(none)" : widths));
        out().println("  Serra et al. 2018 (Theorem 1) upper bound:   " + b.serra() + " activation regions");
        out().println("  Montufar et al. 2014 (Theorem 4) lower bound: " + b.montufar()
                + " (reached by some choice of weights of a rectifier MLP with these widths"
                + (b.montufar().signum() == 0 ? "; 0: some width is below the input dimension, or a hardtanh or maxout layer "
                        + "is present, where the theorem does not apply" : "")
                + ")");
        out().flush();
        return 0;
    }
}
