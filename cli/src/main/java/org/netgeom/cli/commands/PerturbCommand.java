package org.netgeom.cli.commands;

import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.ir.Binder;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.DataReader;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.Variables;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.ExactForms;
import org.netgeom.symbolic.perturb.WeightMargin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code netgeom perturb MODEL MODE}: perturbation bounds, exactly. {@code --at X}: the local
 * affine map at X, the singular values of each layer's local factor D_l W_l and of I + D_l W_l
 * for residual blocks, Weyl's inequality |σ_k(I + DW) − σ_k(DW)| ≤ 1 decided exactly, condition
 * numbers, and the exact squared distance from X to the nearest region boundary (Riedi,
 * Balestriero &amp; Baraniuk 2022). {@code --weights --data DATA --layer L}: the largest ε with
 * every ‖ΔW‖_F &lt; ε keeping every data point's activation pattern, and the bound on the loss
 * change. {@code --lipschitz (--box … | --polytope F)}: the exact Lipschitz constant over the domain
 * in ℓ∞, ℓ1 and ℓ2, the maximum over the exact activation regions of the norm of each region's map
 * (Jordan &amp; Dimakis 2020), with a witness where each is attained.
 */
@Command(name = "perturb", description = "Perturbation bounds: local maps and singular values, weight margins, exact Lipschitz constants.")
public final class PerturbCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Option(names = "--at", paramLabel = "X1,X2,...", description = "The input X (write --at=-1/2,0.25 for a leading minus).")
    String at;

    @Option(names = "--weights", description = "How far layer L's weights can move keeping every data point's pattern.")
    boolean weights;

    @Option(names = "--lipschitz", description = "The exact Lipschitz constant over a domain (l-inf, l1 exactly; l2 certified).")
    boolean lipschitz;

    @Option(names = "--box", paramLabel = "LO,HI|LO1,HI1,...",
            description = "Box domain of --lipschitz: one LO,HI pair for every coordinate, or a pair per coordinate (write --box=-1,1).")
    String box;

    @Option(names = "--polytope", paramLabel = "FILE", description = "Polytope domain of --lipschitz: {\"A\": [[...]], \"b\": [...]} meaning A x <= b.")
    Path polytope;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "1000000",
            description = "--lipschitz: stop with BUDGET_EXCEEDED past N regions (default ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--compare", description = "--lipschitz: also the product of the layers' operator norms (the naive bound) and its ratio to the exact constant.")
    boolean compare;

    @Option(names = "--no-certify", description = "--lipschitz: skip the independent re-check by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Option(names = "--data", paramLabel = "DATA", description = "Data set for --weights.")
    Path data;

    @Option(names = "--layer", paramLabel = "L", description = "The layer of --weights: a name, a top-level index, or a dotted path.")
    String layer;

    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|sse", description = "Loss of --weights (default mse).")
    String loss;

    @Option(names = "--include-bias", description = "With --weights: perturb the bias too (‖(ΔW, Δb)‖ ≤ ε).")
    boolean includeBias;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values of free symbols.")
    String bind;

    @Mixin
    DigitsOption digits;

    @Override
    public Integer call() {
        int modes = (at != null ? 1 : 0) + (weights ? 1 : 0) + (lipschitz ? 1 : 0);
        if (modes != 1) {
            throw CliError.USAGE.error("choose exactly one mode: --at X, --weights --data DATA --layer L, or --lipschitz --box ...");
        }
        digits.get();
        if (compare && !lipschitz) {
            throw CliError.USAGE.error("--compare goes with --lipschitz");
        }
        Model raw = readModel(model);
        Map<String, Rational> values = Args.bindings(bind);
        if (lipschitz) {
            new LipschitzReport(this).run(raw, values, box, polytope, budget);
        } else if (at != null) {
            new PerturbAtReport(this, Binder.bind(raw, values), Args.rationals(at, "--at")).run();
        } else {
            margin(raw, values);
        }
        return 0;
    }

    private void margin(Model raw, Map<String, Rational> values) {
        if (data == null || layer == null) {
            throw CliError.USAGE.error("--weights needs --data DATA and --layer L");
        }
        LossKind kind = LossKind.parse(loss);
        DataSet ds = DataReader.read(data);
        Model m = Binder.bind(raw, values);
        Binder.requireNoSymbols(m);
        Variables v = Variables.of(m, layer, Map.of(), !includeBias);
        WeightMargin.Result r = WeightMargin.compute(v, ds, kind, ProgressBars.forStderr());
        ExactForms forms = new ExactForms(Cas.get());
        LossCell.Result cell = r.cell();
        Map<String, Object> o = JsonOut.object();
        o.put("layer", v.params().path());
        o.put("loss", kind.toString());
        o.put("variables", v.names());
        o.put("value", JsonOut.exact(cell.value()));
        o.put("pattern", cell.pattern());
        o.put("unbounded", r.epsilon2() == null);
        o.put("epsilon2", r.epsilon2() == null ? null : JsonOut.exact(r.epsilon2()));
        o.put("epsilon", r.epsilon2() == null ? null
                : CertifiedJson.of(r.epsilon(), Cas.get().eval("Sqrt(" + Cas.of(r.epsilon2()) + ")"), digits()));
        o.put("attained", r.attained());
        if (r.limiting() != null) {
            Map<String, Object> lim = JsonOut.object();
            lim.put("data", r.limiting().data());
            lim.put("layer", r.limiting().layer());
            lim.put("unit", r.limiting().unit());
            o.put("limiting", lim);
        }
        o.put("gradient", JsonOut.exact(cell.gradientAt(cell.point())));
        o.put("gradientNorm2", JsonOut.exact(r.gradientNorm2()));
        o.put("lambdaMax", CertifiedJson.eigen(r.lambdaMax(), forms, digits()));
        Map<String, Object> change = JsonOut.object();
        change.put("increase", r.increaseBound() == null ? null : CertifiedJson.of(r.increaseBound(), null, digits()));
        change.put("decrease", r.decreaseBound() == null ? null : CertifiedJson.of(r.decreaseBound(), null, digits()));
        o.put("lossChange", change);
        if (json) {
            printJson(o);
            return;
        }
        PrintWriter w = out();
        w.println("weights of " + v.params().path() + " (" + v.size() + " parameters" + (includeBias ? ", bias included" : "")
                + "), " + kind + " over " + ds.size() + " data points, loss " + cell.value());
        if (r.epsilon2() == null) {
            w.println("no activation pattern depends on these parameters: every perturbation keeps every pattern");
            return;
        }
        CReal eps = r.epsilon();
        w.println("every perturbation with ‖Δ‖ " + (r.attained() ? "≤" : "<") + " ε keeps every data point's activation pattern, ε² = "
                + r.epsilon2() + ", ε = " + CertifiedJson.human(eps, null, digits()));
        w.println("  limited by unit " + r.limiting().unit() + " of " + r.limiting().layer() + " on data point " + r.limiting().data());
        w.println("on that ball the loss changes by at most +" + r.increaseBound().decimal(Math.min(digits(), 12)) + " / -"
                + r.decreaseBound().decimal(Math.min(digits(), 12)) + "   (‖∇‖ε + ½λmax ε² and ‖∇‖ε; ‖∇‖² = " + r.gradientNorm2() + ")");
    }

    // accessors for PerturbAtReport
    int digits() {
        return digits.get();
    }

    boolean jsonOut() {
        return json;
    }

    void emitJson(Object o) {
        printJson(o);
    }

    PrintWriter stdout() {
        return out();
    }
}
