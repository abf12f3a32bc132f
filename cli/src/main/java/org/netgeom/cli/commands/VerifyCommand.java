package org.netgeom.cli.commands;

import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.symbolic.verify.BranchAndBound;
import org.netgeom.symbolic.verify.Graph;
import org.netgeom.symbolic.verify.Relaxation;
import org.netgeom.symbolic.verify.Verify;
import org.netgeom.symbolic.verify.VnnLib;
import org.netgeom.symbolic.verify.VnnSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom verify MODEL --spec SPEC.vnnlib [--timeout S] [--json]}: decides a VNN-LIB
 * property exactly ({@link Verify}; docs/verify.md). As in VNN-COMP the property's assertions
 * describe a violation: {@code sat} prints an exact counterexample (input, its exact output, the
 * least margin of the term's constraints), {@code unsat} the per-term bounds of the search that
 * proves it, {@code unknown} (a limit) the best bounds reached. Exit status: 0 unsat, 3 sat (the
 * violation is reachable, as {@code check}'s "violated"), 4 unknown, 2 user errors.
 */
@Command(name = "verify", description = "Decide a VNN-LIB property exactly: sat with an exact counterexample, or unsat by branch and bound.")
public final class VerifyCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Option(names = "--spec", required = true, paramLabel = "SPEC.vnnlib", description = "The VNN-LIB property (assertions describe the violation).")
    Path spec;

    @Option(names = "--timeout", paramLabel = "S", description = "Stop after S seconds in all: the result is then unknown, with the bounds reached.")
    Double timeout;

    @Option(names = "--max-nodes", paramLabel = "N", description = "Stop a term's search after N nodes (default 2000000).")
    long maxNodes = 2_000_000;

    @Option(names = "--method", paramLabel = "crown|ibp", description = "The relaxation that bounds the search (default crown).")
    String method = "crown";

    @Option(names = "--no-certificate", description = "Leave the search trees out of the JSON.")
    boolean noCertificate;

    @Option(names = "--no-certify", description = "Skip the independent re-check of the search trees by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Option(names = "--input-splits", paramLabel = "K",
            description = "The most input bisections on a path of the search before units are split (default: 5 per input for up to 8 inputs, else 0).")
    Integer inputSplits;

    @Option(names = "--result", paramLabel = "FILE",
            description = "Also write the result in VNN-COMP's result-file format (sat with the counterexample as decimals, unsat, timeout, unknown).")
    Path result;

    @Option(names = "--no-attack", description = "Skip the float64 search for a counterexample that runs before the branch and bound.")
    boolean noAttack;

    /**
     * The default of --input-splits: five bisections per input for up to 8 inputs (low-dimensional
     * boxes), else none (on the ACAS-shaped benchmark, 5 per input decided more than 2; docs/benchmarks.md).
     */
    public static int defaultInputSplits(int inputs) {
        return inputs <= 8 ? 5 * inputs : 0;
    }

    /** Exit statuses of the results. */
    static final int UNSAT = 0;
    static final int SAT = 3;
    static final int UNKNOWN = 4;

    @Override
    public Integer call() {
        Relaxation.Method meth = switch (method.toLowerCase()) {
            case "crown" -> Relaxation.Method.CROWN;
            case "ibp" -> Relaxation.Method.IBP;
            default -> throw CliError.USAGE.error("--method takes crown or ibp, not " + method);
        };
        if (maxNodes <= 0) {
            throw CliError.USAGE.error("--max-nodes must be positive");
        }
        if (timeout != null && !(timeout > 0)) {
            throw CliError.USAGE.error("--timeout must be a positive number of seconds");
        }
        if (inputSplits != null && inputSplits < 0) {
            throw CliError.USAGE.error("--input-splits must be 0 or more");
        }
        Model m = readModel(model);
        Graph g = Graph.of(m);
        int splits = inputSplits != null ? inputSplits : defaultInputSplits(g.inputs());
        String text;
        try {
            text = Files.readString(spec, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw IrError.IR_IO.error("cannot read the property " + spec + ": " + e.getMessage());
        }
        VnnSpec s = VnnLib.read(text, g.inputs(), g.outputs());
        // at most about 30 years, so that the deadline cannot overflow
        long deadline = timeout == null ? 0 : System.nanoTime() + (long) Math.min(timeout * 1e9, 1e18);
        Progress bar = ProgressBars.forStderr();
        bar.start("verify (nodes)", -1);
        Verify.Outcome o;
        try {
            o = Verify.run(m, s, new BranchAndBound.Limits(meth, maxNodes, deadline, splits), !noAttack, bar::set);
        } finally {
            bar.done();
        }
        if (result != null) {
            boolean timedOut = deadline != 0 && System.nanoTime() - deadline > 0;
            AtomicFiles.writeString(result, vnnCompResult(o, timedOut));
        }
        org.netgeom.certify.Certifier.Report cert = null;
        Map<String, Object> root = toJson(s, o, meth, true);
        if (!noCertify && o.answer() != Verify.Answer.UNKNOWN) {
            long t0 = System.nanoTime();
            cert = SelfCertify.check(model, root, new org.netgeom.certify.DomainSpec(null, null, null), null);
            if (System.getenv("NETGEOM_TIMING") != null) {
                System.err.printf("timing: certify %.2f s%n", (System.nanoTime() - t0) / 1e9);
            }
        }
        if (noCertificate) {
            root.remove("certificate");
        }
        if (json) {
            if (cert != null) {
                root.put("certified", true);
            }
            printJson(root);
        } else {
            out().print(human(s, o));
            if (cert != null) {
                out().println(SelfCertify.line(cert));
            }
            out().flush();
        }
        return switch (o.answer()) {
            case SAT -> SAT;
            case UNSAT -> UNSAT;
            case UNKNOWN -> UNKNOWN;
        };
    }

    /** Significant digits of the decimals in the VNN-COMP result file. */
    static final int RESULT_DIGITS = 20;

    /**
     * VNN-COMP's result file: "unsat", "timeout" (the deadline passed), "unknown" (another limit),
     * or "sat" and the counterexample {@code ((X_0 v) (Y_0 v) ...)}, one pair a line, the values
     * rounded to 20 significant digits (the exact values are in the JSON).
     */
    static String vnnCompResult(Verify.Outcome o, boolean timedOut) {
        return switch (o.answer()) {
            case UNSAT -> "unsat\n";
            case UNKNOWN -> timedOut ? "timeout\n" : "unknown\n";
            case SAT -> {
                StringBuilder sb = new StringBuilder("sat\n(");
                for (int j = 0; j < o.x().length; j++) {
                    sb.append(j == 0 ? "(" : " (").append("X_").append(j).append(' ').append(o.x()[j].toDecimalString(RESULT_DIGITS))
                            .append(")\n");
                }
                for (int j = 0; j < o.y().length; j++) {
                    sb.append(" (Y_").append(j).append(' ').append(o.y()[j].toDecimalString(RESULT_DIGITS)).append(')')
                            .append(j == o.y().length - 1 ? ")\n" : "\n");
                }
                yield sb.toString();
            }
        };
    }

    private static String str(Rational q) {
        return q == null ? null : JsonOut.exact(q);
    }

    /**
     * Runs netgeom-certify on an outcome's JSON (with its trees), as verify does by default: its
     * summary line, or CERT_REJECTED. {@code model} is the model's IR file.
     */
    public static String certify(Path model, VnnSpec s, Verify.Outcome o, Relaxation.Method meth) {
        return SelfCertify.line(SelfCertify.check(model, toJson(s, o, meth, true), new org.netgeom.certify.DomainSpec(null, null, null), null));
    }

    private static Map<String, Object> toJson(VnnSpec s, Verify.Outcome o, Relaxation.Method meth, boolean withCertificate) {
        Map<String, Object> root = JsonOut.object();
        root.put("result", o.answer().name().toLowerCase());
        if (o.answer() == Verify.Answer.SAT) {
            Map<String, Object> cx = JsonOut.object();
            VnnSpec.Term t = s.terms().get(o.term());
            cx.put("term", o.term());
            cx.put("box", t.box());
            cx.put("x", JsonOut.exact(o.x()));
            cx.put("y", JsonOut.exact(o.y()));
            cx.put("margin", t.constraints().isEmpty() ? null : str(margin(t, o.y())));
            root.put("counterexample", cx);
        } else {
            root.put("counterexample", null);
        }
        List<Object> terms = new ArrayList<>();
        for (Verify.TermResult r : o.terms()) {
            Map<String, Object> t = JsonOut.object();
            VnnSpec.Term term = s.terms().get(r.term());
            t.put("index", r.term());
            t.put("box", term.box());
            t.put("constraints", term.constraints().size());
            t.put("result", r.searched() ? r.answer().name().toLowerCase() : "skipped");
            t.put("by", r.by());
            t.put("marginLower", str(r.marginLower()));
            t.put("marginUpper", str(r.marginUpper()));
            t.put("nodes", r.nodes());
            t.put("leaves", r.leaves());
            List<Object> oc = new ArrayList<>();
            for (VnnSpec.Constraint c : term.constraints()) {
                Map<String, Object> co = JsonOut.object();
                co.put("a", JsonOut.exact(c.a()));
                co.put("b", JsonOut.exact(c.b()));
                oc.add(co);
            }
            t.put("outputConstraints", oc);
            terms.add(t);
        }
        root.put("terms", terms);
        root.put("dropped", s.dropped());
        List<Object> boxes = new ArrayList<>();
        for (VnnSpec.Box b : s.boxes()) {
            Map<String, Object> bx = JsonOut.object();
            bx.put("lower", JsonOut.exact(b.lo()));
            bx.put("upper", JsonOut.exact(b.hi()));
            boxes.add(bx);
        }
        root.put("boxes", boxes);
        root.put("nodes", o.nodes());
        if (withCertificate) {
            Map<String, Object> cert = JsonOut.object();
            cert.put("kind", "branch-and-bound");
            cert.put("relaxation", meth.name().toLowerCase());
            cert.put("target", "0");
            List<Object> searches = new ArrayList<>();
            for (Verify.TermResult r : o.terms()) {
                if (r.tree() != null) {
                    Map<String, Object> sr = JsonOut.object();
                    sr.put("term", r.term());
                    sr.put("root", RangeCommand.node(r.tree()));
                    searches.add(sr);
                }
            }
            cert.put("searches", searches);
            root.put("certificate", cert);
        }
        return root;
    }

    private static Rational margin(VnnSpec.Term t, Rational[] y) {
        Rational h = null;
        for (VnnSpec.Constraint c : t.constraints()) {
            Rational v = c.value(y);
            h = h == null || v.compareTo(h) < 0 ? v : h;
        }
        return h;
    }

    private static String approx(Rational q) {
        return q == null ? "none" : q + (q.isInteger() ? "" : " (≈ " + q.toDecimalString(8) + ")");
    }

    /** A bound from the float relaxation: its decimal approximation (the exact value is in the JSON). */
    private static String bound(Rational q) {
        return q == null ? "?" : "≈ " + q.toDecimalString(6);
    }

    private String human(VnnSpec s, Verify.Outcome o) {
        StringBuilder sb = new StringBuilder();
        sb.append(o.answer().name().toLowerCase());
        if (o.answer() == Verify.Answer.UNKNOWN) {
            sb.append(" (a limit stopped the search; the bounds below are sound)");
        }
        sb.append("\n");
        if (o.answer() == Verify.Answer.SAT) {
            VnnSpec.Term t = s.terms().get(o.term());
            sb.append("counterexample (term ").append(o.term()).append(" of terms 0..").append(s.terms().size() - 1)
                    .append(", box ").append(t.box()).append("):\n");
            for (int j = 0; j < o.x().length; j++) {
                sb.append("  X_").append(j).append(" = ").append(approx(o.x()[j])).append("\n");
            }
            for (int j = 0; j < o.y().length; j++) {
                sb.append("  Y_").append(j).append(" = ").append(approx(o.y()[j])).append("\n");
            }
            if (t.constraints().isEmpty()) {
                sb.append("the term has no output constraints: every input of its box satisfies it\n");
            } else {
                sb.append("exact forward pass; all ").append(t.constraints().size())
                        .append(" output constraints hold exactly, the least margin min_i (a_i.y + b_i) is ")
                        .append(approx(margin(t, o.y()))).append("\n");
            }
        }
        for (Verify.TermResult r : o.terms()) {
            if (!r.searched()) {
                continue;
            }
            sb.append("  term ").append(r.term()).append(": ").append(r.answer().name().toLowerCase());
            if (Verify.BY_ATTACK.equals(r.by())) {
                sb.append(" (found by the float64 attack, checked exactly)");
            }
            if (r.answer() == Verify.Answer.UNSAT) {
                sb.append(", largest margin at most ").append(bound(r.marginUpper())).append(" < 0");
            } else if (r.answer() == Verify.Answer.UNKNOWN) {
                sb.append(", largest margin in [").append(r.marginLower() == null ? "?" : approx(r.marginLower())).append(", ")
                        .append(bound(r.marginUpper())).append("]");
            } else if (r.marginLower() != null) {
                sb.append(", margin ").append(approx(r.marginLower())).append(" reached");
            }
            sb.append(" (").append(r.nodes()).append(" nodes, ").append(r.leaves()).append(" exact LP leaves)\n");
        }
        if (s.dropped() > 0) {
            sb.append("  ").append(s.dropped()).append(" term(s) false whatever the network (empty box or false constant constraint)\n");
        }
        sb.append(o.nodes()).append(" branch-and-bound nodes\n");
        return sb.toString();
    }
}
