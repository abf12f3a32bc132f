package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;
import org.netgeom.numeric.Forward64;
import org.netgeom.symbolic.exact.ExactForward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom demo}: runs a built-in example end to end and says what it did: Telgarsky's
 * tent map composed twice (IR.md's example), validated, then evaluated exactly and in float64.
 */
@Command(name = "demo", description = "Run a built-in example end to end (Telgarsky's tent network) and explain it.")
public final class DemoCommand extends BaseCommand {
    @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
            description = "Where to draw the tent's pieces (default: a new file in the temporary directory; never overwritten).")
    Path plot;

    /** The built-in example models, by resource name. */
    public static Model example(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/org/netgeom/cli/examples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in example " + name);
            }
            return IrReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Integer call() {
        // --json: the narrative goes to stderr and stdout carries one JSON value (as for every command)
        PrintWriter o = json ? err() : out();
        List<Object> evals = new ArrayList<>();
        Model tent = example("tent2.json");
        o.println("netgeom demo: Telgarsky's tent map t(x) = relu(2 relu(x) - 4 relu(x - 1/2)) composed twice.");
        o.println();
        o.println("1. validate the model IR (shapes inferred, exact scalars):");
        o.println(ValidateCommand.human(tent).indent(3));
        o.println("2. evaluate it exactly (rational arithmetic) and in float64:");
        for (Rational x : new Rational[]{Rational.of(1, 3), Rational.of(1, 8), Rational.of(5, 8), Rational.of(7, 10)}) {
            ExactForward.Result r = ExactForward.run(tent, new Rational[]{x});
            double f = Forward64.eval(tent, new double[]{x.doubleValue()})[0];
            o.printf("   f(%s) = %s exactly   (float64: %s; activation pattern %s)%n", x, r.output()[0], f, r.pattern());
            Map<String, Object> e = JsonOut.object();
            e.put("at", JsonOut.exact(new Rational[]{x}));
            e.put("output", JsonOut.exact(r.output()));
            e.put("float", JsonOut.floats(new double[]{f}));
            e.put("pattern", r.pattern());
            evals.add(e);
        }
        o.println();
        o.println("   t(t(x)) has slope +-4 on four pieces of [0, 1]: f(1/3) = 2 - 4/3 = 2/3.");
        o.println();
        Map<String, Object> pieces = DemoRegions.print(o, tent, plot, 3);
        o.println("Next: netgeom validate FILE, netgeom eval FILE --at=... --exact, netgeom regions FILE --box=...; see README.md.");
        o.flush();
        if (json) {
            Map<String, Object> j = JsonOut.object();
            j.put("example", "tent2.json");
            j.put("validate", ValidateCommand.summary(tent));
            j.put("eval", evals);
            j.putAll(pieces);
            printJson(j);
        }
        return 0;
    }
}
