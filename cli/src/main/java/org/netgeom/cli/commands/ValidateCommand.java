package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code netgeom validate MODEL}: reads and checks a model, prints its shapes and parameter count. */
@Command(name = "validate", description = "Read and check a model IR file: shapes, parameters, symbols.")
public final class ValidateCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file (JSON).")
    Path model;

    @Override
    public Integer call() {
        IrReader.Result r = IrReader.readWithWarnings(model, tensorPaths());
        Model m = r.model();
        if (json) {
            Map<String, Object> o = summary(m);
            o.put("warnings", r.warnings());
            printJson(o);
        } else {
            for (String w : r.warnings()) {
                err().println("warning: " + w);
            }
            out().println(human(m));
        }
        return 0;
    }

    /** The JSON summary of a model (the validate contract). */
    public static Map<String, Object> summary(Model m) {
        Map<String, Object> o = JsonOut.object();
        o.put("name", m.name());
        o.put("input", JsonOut.shape(m.input()));
        o.put("output", JsonOut.shape(m.output()));
        o.put("parameters", m.parameterCount());
        o.put("symbols", new ArrayList<>(m.symbols()));
        o.put("piecewiseLinear", m.isPiecewiseLinear());
        o.put("layers", layers(m.shapes()));
        return o;
    }

    private static List<Object> layers(List<LayerShape> ls) {
        List<Object> out = new ArrayList<>();
        for (LayerShape s : ls) {
            Map<String, Object> o = JsonOut.object();
            o.put("op", s.layer().op());
            if (s.layer().name() != null) {
                o.put("name", s.layer().name());
            }
            o.put("outputShape", JsonOut.shape(s.out()));
            if (s.layer() instanceof org.netgeom.ir.Layer.Residual res) {
                o.put("layers", layers(s.body()));
                if (res.shortcut() != null) {
                    o.put("shortcut", layers(s.shortcut()));
                }
            } else if (s.layer() instanceof org.netgeom.ir.Layer.Concat) {
                o.put("layers", layers(s.body()));
            }
            out.add(o);
        }
        return out;
    }

    /** A human description: one line per layer, indented for composites. */
    public static String human(Model m) {
        StringBuilder sb = new StringBuilder();
        sb.append("model ").append(m.name() == null ? "(unnamed)" : m.name()).append(": input ").append(m.input())
                .append(" -> output ").append(m.output()).append('\n');
        sb.append(m.parameterCount()).append(" parameters");
        if (!m.symbols().isEmpty()) {
            sb.append(", free symbols ").append(String.join(", ", m.symbols()));
        }
        sb.append(m.isPiecewiseLinear() ? ", piecewise linear" : ", not piecewise linear").append('\n');
        int[] width = {0};
        m.walk(s -> width[0] = Math.max(width[0], s.path().toString().length()));
        m.walk(s -> {
            sb.append("  ").append(String.format("%-" + (width[0] + 2) + "s", s.path()))
                    .append(String.format("%-11s", s.layer().op()))
                    .append(s.layer().name() == null ? "" : "'" + s.layer().name() + "' ")
                    .append(s.in()).append(" -> ").append(s.out()).append('\n');
        });
        sb.append("valid.");
        return sb.toString();
    }
}
