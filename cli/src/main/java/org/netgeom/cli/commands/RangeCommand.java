package org.netgeom.cli.commands;

import org.netgeom.ir.IrError;
import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.plot.GapPlot;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.DualLp;
import org.netgeom.symbolic.verify.BranchAndBound;
import org.netgeom.symbolic.verify.Graph;
import org.netgeom.symbolic.verify.Relaxation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom range MODEL (--box … | --linf CENTER,EPS | --polytope F) [--output K | --objective
 * c1,…,ck] [--compare]}: the exact minimum and maximum of each output (or of the linear form c·f)
 * over the domain, each with a rational witness that attains it, found by branch and bound on the
 * unstable units with exact LP leaves ({@link BranchAndBound}); the certificate is the search tree
 * (docs/verify.md). {@code --compare} adds the IBP and CROWN bounds and their gaps.
 * {@code --linf CENTER --eps-sweep A,B,N [--plot gap.svg]} does so for N radii of the ℓ∞ ball
 * and plots each relaxation's gap against the radius.
 */
@Command(name = "range", description = "Exact output ranges with witnesses, by branch and bound with exact LP leaves.")
public final class RangeCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Option(names = "--box", paramLabel = "LO,HI|L1,H1,...", description = "Box domain (write --box=-1,1).")
    String box;

    @Option(names = "--polytope", paramLabel = "FILE", description = "Polytope domain A x <= b, JSON {\"A\": [[...]], \"b\": [...]}.")
    Path polytope;

    @Option(names = "--linf", paramLabel = "C1,...,Cn,EPS", description = "The l-infinity ball of radius EPS around the centre C.")
    String linf;

    @Option(names = "--output", paramLabel = "K", description = "Only output K (0-based).")
    Integer output;

    @Option(names = "--objective", paramLabel = "c1,...,ck", description = "The range of the linear form c . f(x) instead.")
    String objective;

    @Option(names = "--compare", description = "Also print the IBP and CROWN bounds and their gaps to the exact range.")
    boolean compare;

    @Option(names = "--method", paramLabel = "crown|ibp", description = "The relaxation that bounds the search (default crown).")
    String method = "crown";

    @Option(names = "--max-nodes", paramLabel = "N", description = "Stop after N nodes per search (default 2000000).")
    long maxNodes = 2_000_000;

    @Option(names = "--timeout", paramLabel = "S", description = "Stop after S seconds (bounds are then reported, not exact values).")
    Double timeout;

    @Option(names = "--no-certificate", description = "Leave the search trees out of the JSON.")
    boolean noCertificate;

    @Option(names = "--no-certify", description = "Skip the independent re-check of the search trees by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Option(names = "--input-splits", paramLabel = "K",
            description = "The most input bisections on a path of the search before units are split (default: 8 per input for up to 3 inputs, 5 per input for up to 8, else 0).")
    Integer inputSplits;

    /**
     * range's default input splits: 8 per input for 1-3 inputs (on the bench's 2- and 3-input nets
     * 16 splits need about half the nodes of 10, docs/benchmarks.md), else verify's default.
     */
    public static int defaultInputSplits(int inputs) {
        return inputs <= 3 ? 8 * inputs : VerifyCommand.defaultInputSplits(inputs);
    }

    @Option(names = "--eps-sweep", paramLabel = "A,B,N",
            description = "With --linf CENTER: the exact range and the IBP/CROWN bounds for N radii from A to B (implies --compare).")
    String epsSweep;

    @Option(names = "--plot", paramLabel = "gap.svg|png", description = "With --eps-sweep: plot each relaxation's gap against eps.")
    Path plot;

    @Override
    public Integer call() {
        Model m = readModel(model);
        Graph g = Graph.of(m);
        int n = m.input().size();
        Domain d = epsSweep == null ? domain(n) : null;
        Relaxation.Method meth = switch (method.toLowerCase()) {
            case "crown" -> Relaxation.Method.CROWN;
            case "ibp" -> Relaxation.Method.IBP;
            default -> throw CliError.USAGE.error("--method takes crown or ibp, not " + method);
        };
        if (maxNodes <= 0) {
            throw CliError.USAGE.error("--max-nodes must be positive");
        }
        List<Rational[]> forms = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        int k = g.outputs();
        if (objective != null && output != null) {
            throw CliError.USAGE.error("give either --output or --objective, not both");
        }
        if (objective != null) {
            Rational[] c = Args.rationals(objective, "--objective");
            if (c.length != k) {
                throw IrError.BAD_INPUT.at("--objective", "the model has " + k + " outputs; --objective has " + c.length + " entries");
            }
            forms.add(c);
            labels.add(null);
        } else {
            if (output != null && (output < 0 || output >= k)) {
                throw IrError.BAD_INPUT.at("--output", "--output must be in 0.." + (k - 1));
            }
            for (int i = 0; i < k; i++) {
                if (output == null || output == i) {
                    Rational[] c = new Rational[k];
                    Arrays.fill(c, Rational.ZERO);
                    c[i] = Rational.ONE;
                    forms.add(c);
                    labels.add(i);
                }
            }
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + (long) (timeout * 1e9);
        if (inputSplits != null && inputSplits < 0) {
            throw CliError.USAGE.error("--input-splits must be 0 or more");
        }
        BranchAndBound.Limits lim = new BranchAndBound.Limits(meth, maxNodes, deadline,
                inputSplits != null ? inputSplits : defaultInputSplits(m.input().size()));
        if (epsSweep != null) {
            return sweep(m, g, forms, labels, lim, meth);
        }
        if (plot != null) {
            throw CliError.USAGE.error("--plot draws the gap against eps: it needs --eps-sweep A,B,N");
        }
        Point pt = point(m, g, d, forms, labels, lim, compare);
        Map<String, Object> root = JsonOut.object();
        root.put("outputs", pt.outputs);
        root.put("exact", pt.exact);
        root.put("nodes", pt.nodes);
        root.put("certificate", certificate(meth, pt.trees));
        org.netgeom.certify.Certifier.Report cert = null;
        boolean checkable = polytope == null || g.inputs() <= org.netgeom.certify.Certifier.MAX_VARIABLES;
        if (!noCertify && pt.exact && !checkable) {
            System.err.println("range: not certified: netgeom-certify bounds a polytope domain by its exact vertices, in at most "
                    + org.netgeom.certify.Certifier.MAX_VARIABLES + " variables");
        }
        if (!noCertify && pt.exact && checkable) {
            long t0 = System.nanoTime();
            cert = SelfCertify.check(model, root, certifyDomain(d), null);
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
            out().print(pt.human);
            out().println(pt.nodes + " branch-and-bound nodes" + (pt.exact ? "" : " (some searches stopped at a limit)"));
            if (cert != null) {
                out().println(SelfCertify.line(cert));
            }
            out().flush();
        }
        return 0;
    }

    /** The domain as netgeom certify reads it: the box (an l-inf ball's box) or the polytope file. */
    private org.netgeom.certify.DomainSpec certifyDomain(Domain d) {
        if (polytope != null) {
            return new org.netgeom.certify.DomainSpec(null, polytope, null);
        }
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < d.lower().length; j++) {
            b.append(j == 0 ? "" : ",").append(d.lower()[j]).append(',').append(d.upper()[j]);
        }
        return org.netgeom.certify.DomainSpec.box(b.toString());
    }

    private Map<String, Object> certificate(Relaxation.Method meth, List<Object> trees) {
        Map<String, Object> cert = JsonOut.object();
        cert.put("kind", "branch-and-bound");
        cert.put("relaxation", meth.name().toLowerCase());
        cert.put("searches", trees);
        return cert;
    }

    /** The exact range (and with compare the relaxations' bounds) of every form over one domain. */
    private record Point(List<Object> outputs, List<Object> trees, long nodes, boolean exact, String human) {
    }

    private Point point(Model m, Graph g, Domain d, List<Rational[]> forms, List<Object> labels, BranchAndBound.Limits lim,
                        boolean withBounds) {
        int k = g.outputs();
        List<Object> outs = new ArrayList<>();
        List<Object> trees = new ArrayList<>();
        long nodes = 0;
        boolean allExact = true;
        StringBuilder human = new StringBuilder();
        for (int f = 0; f < forms.size(); f++) {
            Rational[] c = forms.get(f);
            Rational[] neg = new Rational[k];
            for (int i = 0; i < k; i++) {
                neg[i] = c[i].negate();
            }
            BranchAndBound.Result max = BranchAndBound.maximize(m, g, d, c, lim, null);
            BranchAndBound.Result min = BranchAndBound.maximize(m, g, d, neg, lim, null);
            nodes += max.nodes() + min.nodes();
            boolean exact = max.complete() && min.complete();
            allExact &= exact;
            Map<String, Object> o = JsonOut.object();
            o.put("index", labels.get(f));
            if (labels.get(f) == null) {
                o.put("objective", JsonOut.exact(c));
            }
            o.put("exact", exact);
            o.put("min", exact ? JsonOut.exact(min.value().negate()) : null);
            o.put("max", exact ? JsonOut.exact(max.value()) : null);
            o.put("argmin", min.argmax() == null ? null : JsonOut.exact(min.argmax()));
            o.put("argmax", max.argmax() == null ? null : JsonOut.exact(max.argmax()));
            if (!exact) {
                o.put("minLower", min.upper() == null ? null : JsonOut.exact(min.upper().negate()));
                o.put("minUpper", min.value() == null ? null : JsonOut.exact(min.value().negate()));
                o.put("maxLower", max.value() == null ? null : JsonOut.exact(max.value()));
                o.put("maxUpper", max.upper() == null ? null : JsonOut.exact(max.upper()));
            }
            o.put("nodes", max.nodes() + min.nodes());
            String name = labels.get(f) == null ? "c.f" : "output " + labels.get(f);
            if (exact) {
                human.append(name).append(": min ").append(min.value().negate()).append(" (≈ ")
                        .append(min.value().negate().toDecimalString(8)).append(") at ").append(Arrays.toString(min.argmax()))
                        .append("\n").append(" ".repeat(name.length())).append("  max ").append(max.value()).append(" (≈ ")
                        .append(max.value().toDecimalString(8)).append(") at ").append(Arrays.toString(max.argmax())).append("\n");
            } else {
                human.append(name).append(": not finished (limit reached); min in [").append(o.get("minLower")).append(", ")
                        .append(o.get("minUpper")).append("], max in [").append(o.get("maxLower")).append(", ")
                        .append(o.get("maxUpper")).append("]\n");
            }
            if (withBounds) {
                Map<String, Object> cmp = JsonOut.object();
                for (Relaxation.Method rm : Relaxation.Method.values()) {
                    Relaxation r = new Relaxation(g, rm, lo(d), hi(d), null);
                    double up = r.objectiveUpper(c, null, null);
                    double down = -r.objectiveUpper(neg, null, null);
                    Map<String, Object> b = JsonOut.object();
                    b.put("lower", down);
                    b.put("upper", up);
                    if (exact) {
                        double mn = min.value().negate().doubleValue();
                        double mx = max.value().doubleValue();
                        b.put("gapLower", mn - down);
                        b.put("gapUpper", up - mx);
                        b.put("gap", (mn - down) + (up - mx));
                        b.put("gapRatio", mx > mn ? ((mn - down) + (up - mx)) / (mx - mn) : null);
                    }
                    cmp.put(rm.name().toLowerCase(), b);
                    human.append(String.format("  %-6s [%.6g, %.6g]", rm.name().toLowerCase(), down, up));
                    if (exact) {
                        human.append(String.format("  gap %.3g below, %.3g above, %.3g x the exact width%n", b.get("gapLower"),
                                b.get("gapUpper"), b.get("gapRatio") == null ? Double.NaN : (Double) b.get("gapRatio")));
                    } else {
                        human.append("\n");
                    }
                }
                o.put("bounds", cmp);
            }
            outs.add(o);
            if (!noCertificate || !noCertify) {         // the checker reads the trees even when the output leaves them out
                trees.add(treeJson(labels.get(f), "max", max.tree()));
                trees.add(treeJson(labels.get(f), "min", min.tree()));
            }
        }
        return new Point(outs, trees, nodes, allExact, human.toString());
    }

    private int sweep(Model m, Graph g, List<Rational[]> forms, List<Object> labels, BranchAndBound.Limits lim,
                      Relaxation.Method meth) {
        int n = m.input().size();
        if (linf == null || box != null || polytope != null) {
            throw CliError.USAGE.error("--eps-sweep sweeps the radius of an l-infinity ball: give --linf CENTER (or CENTER,EPS; the sweep gives the radii)");
        }
        Rational[] centre = Args.rationals(linf, "--linf");
        if (centre.length == n + 1) {
            // CENTER,EPS as for a single ball: the sweep gives the radii, so the EPS is not used (said so)
            err().println("netgeom: --eps-sweep gives the radii; --linf's radius " + centre[n] + " is not used");
            err().flush();
            centre = java.util.Arrays.copyOf(centre, n);
        }
        if (centre.length != n) {
            throw IrError.BAD_INPUT.at("--linf", "--linf takes the centre (" + n + " numbers); got " + centre.length + " numbers");
        }
        Rational[] radii = radii(epsSweep);
        if (plot != null) {
            PlotFiles.format(plot);     // a bad name is refused before the work
        }
        List<Object> points = new ArrayList<>();
        long nodes = 0;
        boolean allExact = true;
        // per form: eps, then per method the gap (NaN where not exact) and ratio
        int methods = Relaxation.Method.values().length;
        double[] xs = new double[radii.length];
        double[][][] gap = new double[forms.size()][methods][radii.length];
        String[][][] rows = new String[forms.size()][radii.length][];
        for (int e = 0; e < radii.length; e++) {
            Rational[] lo = new Rational[n];
            Rational[] hi = new Rational[n];
            for (int j = 0; j < n; j++) {
                lo[j] = centre[j].subtract(radii[e]);
                hi[j] = centre[j].add(radii[e]);
            }
            Point pt = point(m, g, Domain.box(lo, hi), forms, labels, lim, true);
            nodes += pt.nodes;
            allExact &= pt.exact;
            xs[e] = radii[e].doubleValue();
            Map<String, Object> o = JsonOut.object();
            o.put("eps", radii[e].toString());
            o.put("outputs", pt.outputs);
            o.put("exact", pt.exact);
            o.put("nodes", pt.nodes);
            if (!noCertificate) {
                o.put("certificate", certificate(meth, pt.trees));
            }
            points.add(o);
            for (int f = 0; f < forms.size(); f++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> out = (Map<String, Object>) pt.outputs.get(f);
                @SuppressWarnings("unchecked")
                Map<String, Object> bounds = (Map<String, Object>) out.get("bounds");
                List<String> row = new ArrayList<>();
                row.add(radii[e].toString());
                boolean ex = (Boolean) out.get("exact");
                row.add(ex ? Rational.parse((String) out.get("min")).toDecimalString(6) : "?");
                row.add(ex ? Rational.parse((String) out.get("max")).toDecimalString(6) : "?");
                int mi = 0;
                for (Relaxation.Method rm : Relaxation.Method.values()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> b = (Map<String, Object>) bounds.get(rm.name().toLowerCase());
                    Double gp = (Double) b.get("gap");
                    Double ratio = (Double) b.get("gapRatio");
                    gap[f][mi][e] = gp == null ? Double.NaN : gp;
                    row.add(gp == null ? "?" : String.format(java.util.Locale.ROOT, "%.4g", gp));
                    row.add(ratio == null ? "-" : String.format(java.util.Locale.ROOT, "%.4g", ratio));
                    mi++;
                }
                rows[f][e] = row.toArray(new String[0]);
            }
        }
        if (plot != null) {
            List<GapPlot.Line> series = new ArrayList<>();
            for (int f = 0; f < forms.size(); f++) {
                int mi = 0;
                for (Relaxation.Method rm : Relaxation.Method.values()) {
                    String label = rm.name().toLowerCase() + (forms.size() > 1 ? ", output " + labels.get(f) : "");
                    series.add(finite(label, xs, gap[f][mi++]));
                }
            }
            PlotFiles.save(GapPlot.chart("Gap (exact min - lower) + (upper - exact max) of each relaxation", series), plot);
        }
        if (json) {
            Map<String, Object> root = JsonOut.object();
            root.put("center", JsonOut.exact(centre));
            root.put("sweep", points);
            root.put("exact", allExact);
            root.put("nodes", nodes);
            printJson(root);
        } else {
            StringBuilder h = new StringBuilder();
            List<String> head = new ArrayList<>(List.of("eps", "min", "max"));
            for (Relaxation.Method rm : Relaxation.Method.values()) {
                head.add(rm.name().toLowerCase() + " gap");
                head.add("ratio");
            }
            for (int f = 0; f < forms.size(); f++) {
                h.append(labels.get(f) == null ? "c.f" : "output " + labels.get(f)).append(" over the l-inf ball of radius eps around ")
                        .append(Arrays.toString(centre)).append("\n");
                List<String[]> table = new ArrayList<>();
                table.add(head.toArray(new String[0]));
                table.addAll(Arrays.asList(rows[f]));
                h.append(table(table));
            }
            h.append("gap = (exact min - lower) + (upper - exact max); ratio = gap / (max - min); ? = a search stopped at a limit\n");
            h.append(nodes).append(" branch-and-bound nodes").append(allExact ? "" : " (some searches stopped at a limit)");
            if (plot != null) {
                h.append("; plotted to ").append(plot);
            }
            out().println(h);
            out().flush();
        }
        return 0;
    }

    private static GapPlot.Line finite(String label, double[] x, double[] y) {
        int k = 0;
        for (double v : y) {
            k += Double.isFinite(v) ? 1 : 0;
        }
        double[] fx = new double[k];
        double[] fy = new double[k];
        k = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k++] = y[i];
            }
        }
        return new GapPlot.Line(label, fx, fy);
    }

    private static String table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append(" ");
            for (int i = 0; i < r.length; i++) {
                b.append(" ").append(r[i]).append(" ".repeat(w[i] - r[i].length() + 1));
            }
            b.setLength(b.length() - 1);
            b.append("\n");
        }
        return b.toString();
    }

    /** A,B,N: N radii A + (B − A)·i/(N − 1), exactly (N = 1: A alone). */
    static Rational[] radii(String spec) {
        String[] p = spec.split(",");
        if (p.length != 3) {
            throw IrError.BAD_INPUT.at("--eps-sweep", "--eps-sweep takes A,B,N: N radii from A to B");
        }
        Rational[] ab = Args.rationals(p[0] + "," + p[1], "--eps-sweep");
        int count;
        try {
            count = Integer.parseInt(p[2].trim());
        } catch (NumberFormatException e) {
            throw IrError.BAD_INPUT.at("--eps-sweep", "N (the number of radii) must be an integer, not " + p[2].trim());
        }
        if (count < 1 || count > 10_000) {
            throw IrError.BAD_INPUT.at("--eps-sweep", "N must be between 1 and 10000");
        }
        if (ab[0].signum() <= 0 || ab[1].compareTo(ab[0]) < 0) {
            throw IrError.BAD_INPUT.at("--eps-sweep", "the radii need 0 < A <= B");
        }
        if (count == 1 && !ab[0].equals(ab[1])) {
            throw IrError.BAD_INPUT.at("--eps-sweep", "one radius (N = 1) needs A = B");
        }
        Rational[] r = new Rational[count];
        for (int i = 0; i < count; i++) {
            r[i] = count == 1 ? ab[0] : ab[0].add(ab[1].subtract(ab[0]).multiply(Rational.of(i, count - 1)));
        }
        return r;
    }

    static double[] lo(Domain d) {
        Rational[] l = d.lower();
        double[] r = new double[l.length];
        for (int j = 0; j < r.length; j++) {
            double x = l[j].doubleValue();
            r[j] = Rational.fromDouble(x).compareTo(l[j]) > 0 ? Math.nextDown(x) : x;
        }
        return r;
    }

    static double[] hi(Domain d) {
        Rational[] h = d.upper();
        double[] r = new double[h.length];
        for (int j = 0; j < r.length; j++) {
            double x = h[j].doubleValue();
            r[j] = Rational.fromDouble(x).compareTo(h[j]) < 0 ? Math.nextUp(x) : x;
        }
        return r;
    }

    private Domain domain(int n) {
        int given = (box != null ? 1 : 0) + (polytope != null ? 1 : 0) + (linf != null ? 1 : 0);
        if (given != 1) {
            throw CliError.USAGE.error("give exactly one domain: --box, --linf or --polytope");
        }
        if (linf != null) {
            Rational[] v = Args.rationals(linf, "--linf");
            if (v.length != n + 1) {
                throw IrError.BAD_INPUT.at("--linf", "--linf takes the centre (" + n + " numbers) then EPS; got " + v.length + " numbers");
            }
            Rational eps = v[n];
            if (eps.signum() <= 0) {
                throw IrError.BAD_INPUT.at("--linf", "EPS must be positive");
            }
            Rational[] lo = new Rational[n];
            Rational[] hi = new Rational[n];
            for (int j = 0; j < n; j++) {
                lo[j] = v[j].subtract(eps);
                hi[j] = v[j].add(eps);
            }
            return Domain.box(lo, hi);
        }
        return DomainOptions.of(box, polytope).domain(n);
    }

    /** The JSON of a search tree (docs/verify.md). */
    static Map<String, Object> treeJson(Object output, String sense, BranchAndBound.Tree t) {
        Map<String, Object> o = JsonOut.object();
        o.put("output", output);
        o.put("sense", sense);
        o.put("root", node(t));
        return o;
    }

    static Map<String, Object> node(BranchAndBound.Tree t) {
        Map<String, Object> o = JsonOut.object();
        if (t.unit >= 0) {
            o.put("unit", t.unit);
            o.put("phase", t.phase);
        }
        if (t.input >= 0) {
            o.put("input", t.input);
            o.put("side", t.side == 0 ? "low" : "high");
            o.put("at", t.at.toString());
        }
        o.put("status", t.status);
        if (t.bound != null) {
            o.put("bound", t.bound.toString());
        }
        if (t.farkas != null) {
            o.put("farkas", sparse(t.farkas.y()));
        }
        if (t.lp != null) {
            Map<String, Object> lp = JsonOut.object();
            lp.put("status", t.lp.status().name().toLowerCase());
            if (t.lp.status() == DualLp.Status.OPTIMAL) {
                lp.put("point", JsonOut.exact(t.lp.point()));
            }
            lp.put("dual", sparse(t.lp.dual()));
            o.put("lp", lp);
        }
        if (!t.children.isEmpty()) {
            List<Object> ch = new ArrayList<>();
            for (BranchAndBound.Tree c : t.children) {
                ch.add(node(c));
            }
            o.put("children", ch);
        }
        return o;
    }

    private static Map<String, Object> sparse(Rational[] y) {
        Map<String, Object> o = JsonOut.object();
        if (y != null) {
            for (int i = 0; i < y.length; i++) {
                if (!y[i].isZero()) {
                    o.put(Integer.toString(i), y[i].toString());
                }
            }
        }
        return o;
    }
}
