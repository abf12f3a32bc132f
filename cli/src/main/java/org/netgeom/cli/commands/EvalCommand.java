package org.netgeom.cli.commands;

import org.netgeom.cli.Args;
import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.numeric.Forward64;
import org.netgeom.symbolic.exact.ExactForward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code netgeom eval MODEL --at X1,X2,... [--exact [--bind w1=1/2,...]]}: the forward pass at one
 * input, exactly in rationals (symbolic module) or in float64 (numeric module).
 */
@Command(name = "eval", description = "Evaluate the network at one input, exactly (--exact) or in float64.")
public final class EvalCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Option(names = "--at", required = true, paramLabel = "X1,X2,...",
            description = "The input, flattened row-major; scalars as in the IR (write --at=-1/2,0.25 for a leading minus).")
    String at;

    @Option(names = "--exact", description = "Exact rational arithmetic (free symbols must be bound with --bind).")
    boolean exact;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values for free symbols, e.g. w1=1/2,w2=3.")
    String bind;

    @Override
    public Integer call() {
        Model m = Binder.bind(readModel(model), Args.bindings(bind));
        Rational[] x = Args.rationals(at, "--at");
        Map<String, Object> o = JsonOut.object();
        if (exact) {
            ExactForward.Result r = ExactForward.run(m, x);
            o.put("output", JsonOut.exact(r.output()));
            o.put("exact", true);
            o.put("pattern", r.pattern());
            o.put("onKink", r.onKink());
            if (!json) {
                out().println("f(" + String.join(", ", JsonOut.exact(x)) + ") = " + String.join(", ", JsonOut.exact(r.output()))
                        + "   (exact; activation pattern " + (r.pattern().isEmpty() ? "-" : r.pattern())
                        + (r.onKink() ? ", on a region boundary" : "") + ")");
            }
        } else {
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xd[i] = x[i].doubleValue();
            }
            double[] y = Forward64.eval(m, xd);
            o.put("output", JsonOut.floats(y));
            o.put("exact", false);
            if (!json) {
                out().println("f(" + String.join(", ", JsonOut.exact(x)) + ") ~ " + Arrays.toString(y) + "   (float64)");
            }
        }
        o.put("shape", JsonOut.shape(m.output()));
        if (json) {
            printJson(o);
        }
        return 0;
    }
}
