package org.netgeom.cli.commands;

import org.netgeom.ir.IrError;
import org.netgeom.cli.Args;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.cli.plot.RegionPlot;
import org.netgeom.ir.Binder;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.formula.Formula;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code netgeom regions MODEL (--box … | --polytope F) [--slice O;D1;D2] [--json] [--plot F]
 * [--budget N] [--split N [--master URL]]}: every activation region of the model on the domain, exactly (docs/regions.md).
 * JSON: {@code {"activationRegions": N, "affinePieces": M, "regions": [{"pattern", "witness",
 * "A", "b"}, …]}} with exact numbers as strings, f(x) = A x + b on each region (A is
 * [outputs][variables]); each region also carries "piece" (and "vertices" in 1-D and 2-D,
 * "input" on a slice), 1-D results "breakpoints". The output is re-verified by the independent
 * checker netgeom-certify unless {@code --no-certify} ("certified": true; docs/certify.md).
 */
@Command(name = "regions", description = "Enumerate the activation regions and affine pieces of a piecewise-linear network, exactly.")
public final class RegionsCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file.")
    Path model;

    @Mixin
    DomainOptions domain;

    @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
            description = "Draw the partition (2-D: coloured by affine piece, decision boundary in black; 1-D: the graph).")
    Path plot;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "1000000",
            description = "Stop with BUDGET_EXCEEDED past N regions (default ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--mode", paramLabel = "auto|vertex|lp", defaultValue = "auto",
            description = "Cell representation: exact vertices (up to 5 variables by default) or exact LP.")
    Options.Mode mode;

    @Option(names = "--search", paramLabel = "auto|cells|edges", defaultValue = "auto",
            description = "Search: the exact splitting search (cells; what auto chooses) or edge subdivision checked exactly (edges, experimental).")
    Regions.Search search;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values for free symbols, e.g. w1=1/2.")
    String bind;

    @Option(names = "--no-certify", description = "Skip the independent re-check by netgeom-certify (docs/certify.md).")
    boolean noCertify;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20", description = "Regions listed in human output (default 20).")
    int show;

    @Option(names = "--stream", description = "With --json: JSON lines, one object a region (as --json lists it), then a summary line "
            + "{\"activationRegions\", \"affinePieces\", \"certified\"}; each region is re-checked as it is written, the output is never held whole.")
    boolean stream;

    @Option(names = "--split", paramLabel = "N", description = "Cut the box into about N sub-boxes, enumerate each as a Spark task "
            + "and merge by pattern (the result is the same; docs/sweep.md).")
    Integer split;

    @Option(names = "--master", paramLabel = "URL", description = "With --split: the Spark master (default local[*], embedded; "
            + "or spark://HOST:7077).")
    String master;

    @Override
    public Integer call() {
        Model m = Binder.bind(readModel(model), Args.bindings(bind));
        AffineMap in = domain.inputMap(m);
        Domain d = domain.domain(in.variables());
        if (budget < 1) {
            throw IrError.BAD_INPUT.at("--budget", "--budget must be at least 1");
        }
        if (plot != null) {
            PlotFiles.format(plot);
            if (d.dimension() > 2) {
                throw IrError.BAD_INPUT.at("--plot", "plots show 1 or 2 variables; this domain has " + d.dimension()
                        + " (use --slice ORIGIN;DIR1;DIR2)");
            }
        }
        // netgeom-certify proves coverage itself (exact volumes): the edge search's own 2-D area check is then redundant
        Options o = Options.defaults().withBudget(budget).withMode(mode).withProgress(ProgressBars.forStderr())
                .withOwnCoverage(noCertify || split != null);
        if (master != null && split == null) {
            throw org.netgeom.cli.CliError.USAGE.error("--master goes with --split N");
        }
        if (stream && !json) {
            throw org.netgeom.cli.CliError.USAGE.error("--stream goes with --json");
        }
        long tA = System.nanoTime();
        long cA = cpu();
        RegionSet rs = split == null ? Regions.enumerate(m, in, d, o, search)
                : org.netgeom.cli.RegionSplitter.find().enumerate(m, in, d, o, split, master);
        long tB = System.nanoTime();
        long cB = cpu();
        if (stream) {
            return streamed(m, rs, d);
        }
        Map<String, Object> out = toJson(rs, ordered(rs));
        long tC = System.nanoTime();
        long cC = cpu();
        org.netgeom.certify.DomainSpec spec = new org.netgeom.certify.DomainSpec(domain.box, domain.polytope, domain.slice);
        org.netgeom.certify.Certifier.Report cert = null;
        if (!noCertify) {
            try {
                cert = SelfCertify.check(model, out, spec, Args.bindings(bind));
            } catch (org.netgeom.ir.NetgeomException e) {
                // an edge-search result that auto chose and the checker rejects: the exact cell search decides
                if (e.code() != org.netgeom.cli.CliError.CERT_REJECTED || search != Regions.Search.AUTO || split != null
                        || Regions.resolve(m, in, d, o, search) != Regions.Search.EDGES) {
                    throw e;
                }
                rs = Regions.enumerate(m, in, d, o, Regions.Search.CELLS);
                out = toJson(rs, ordered(rs));
                cert = SelfCertify.check(model, out, spec, Args.bindings(bind));
            }
        }
        List<String> vars = domain.variableNames(m, Formula.inputNames(m, m.input().size()));
        List<Region> order = ordered(rs);
        if (plot != null) {
            RegionPlot.save(rs, (m.name() == null ? "model" : m.name()) + ": activation regions", vars, plot);
        }
        long tD = System.nanoTime();
        long cD = cpu();
        if (System.getenv("NETGEOM_TIMING") != null) {
            System.err.printf("timing (wall/cpu): enumerate %.2f/%.2f s, json %.2f/%.2f s, certify %.2f/%.2f s%n", (tB - tA) / 1e9,
                    (cB - cA) / 1e9, (tC - tB) / 1e9, (cC - cB) / 1e9, (tD - tC) / 1e9, (cD - cC) / 1e9);
        }
        if (json) {
            if (cert != null) {
                out.put("certified", true);
            }
            printJson(out);
        } else {
            human(m, rs, order, vars);
            if (cert != null) {
                out().println(SelfCertify.line(cert));
                out().flush();
            }
        }
        return 0;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What {@code regions --json} prints for a region set (before the "certified" key); used by bench regions. */
    public static Map<String, Object> json(RegionSet rs) {
        return toJson(rs, ordered(rs));
    }

    /** Left to right in 1-D; in the search's order otherwise. */
    static List<Region> ordered(RegionSet rs) {
        List<Region> order = new ArrayList<>(rs.regions());
        if (rs.dimension() == 1) {
            order.sort(Comparator.comparing(r -> r.witness()[0]));
        }
        return order;
    }

    static Map<String, Object> toJson(RegionSet rs, List<Region> order) {
        Map<String, Object> o = JsonOut.object();
        o.put("activationRegions", rs.activationRegions());
        o.put("affinePieces", rs.affinePieces());
        List<Object> regs = new ArrayList<>();
        boolean slice = onSlice(rs);
        for (Region r : order) {
            regs.add(regionJson(r, rs.dimension(), slice));
        }
        o.put("regions", regs);
        if (rs.dimension() == 1 && !rs.regions().isEmpty() && rs.regions().get(0).vertices() != null) {
            o.put("breakpoints", JsonOut.exact(rs.breakpoints().toArray(new Rational[0])));
        }
        return o;
    }

    /** One region as {@code --json} lists it. */
    static Map<String, Object> regionJson(Region r, int dimension, boolean slice) {
        Map<String, Object> x = JsonOut.object();
        x.put("pattern", r.pattern());
        x.put("witness", JsonOut.exact(r.witness()));
        AffineMap map = r.map();
        List<Object> a = new ArrayList<>();
        for (Rational[] row : map.a()) {
            a.add(JsonOut.exact(row));
        }
        x.put("A", a);
        x.put("b", JsonOut.exact(map.b()));
        x.put("piece", r.piece());
        if (dimension <= 2 && r.vertices() != null) {
            List<Object> vs = new ArrayList<>();
            for (Rational[] v : r.vertices()) {
                vs.add(JsonOut.exact(v));
            }
            x.put("vertices", vs);
        }
        if (slice) {
            x.put("input", JsonOut.exact(r.inputWitness()));
        }
        return x;
    }

    /** Whether the region set lives on a slice (the regions then carry "input"). */
    private static boolean onSlice(RegionSet rs) {
        return !rs.inputMap().equals(AffineMap.identity(rs.inputMap().outputs()));
    }

    /**
     * {@code --json --stream}: each region is written as one line and handed, read back from that
     * text, to the checker, which asks for the next only when it has checked this one; then the
     * summary line. A rejection ends the stream with {@code "certified": false} and the error.
     */
    private int streamed(Model m, RegionSet rs, Domain d) {
        var w = out();
        List<Region> order = ordered(rs);
        boolean slice = onSlice(rs);
        Map<String, Object> head = JsonOut.object();
        head.put("activationRegions", rs.activationRegions());
        head.put("affinePieces", rs.affinePieces());
        if (rs.dimension() == 1 && !rs.regions().isEmpty() && rs.regions().get(0).vertices() != null) {
            head.put("breakpoints", JsonOut.exact(rs.breakpoints().toArray(new Rational[0])));
        }
        java.util.Iterator<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < order.size();
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode next() {
                String line = JsonOut.line(regionJson(order.get(i++), rs.dimension(), slice));
                w.println(line);
                return SelfCertify.read(line);
            }
        };
        if (noCertify) {
            while (lines.hasNext()) {
                lines.next();
            }
        } else {
            org.netgeom.certify.DomainSpec spec = new org.netgeom.certify.DomainSpec(domain.box, domain.polytope, domain.slice);
            try {
                SelfCertify.stream(model, SelfCertify.read(JsonOut.line(head)), lines, spec, Args.bindings(bind));
                head.put("certified", true);
            } catch (org.netgeom.ir.NetgeomException e) {
                head.put("certified", false);
                Map<String, Object> err = JsonOut.object();
                err.put("code", e.code().name());
                err.put("message", e.getMessage());
                err.put("path", e.path());
                head.put("error", err);
                w.println(JsonOut.line(head));
                w.flush();
                err().println(e.render());
                err().flush();
                return org.netgeom.cli.CliError.CERT_REJECTED.exitStatus();
            }
        }
        w.println(JsonOut.line(head));
        w.flush();
        return 0;
    }

    private void human(Model m, RegionSet rs, List<Region> order, List<String> vars) {
        var w = out();
        w.println((m.name() == null ? "model" : m.name()) + " on " + describe(rs.domain()) + ": " + rs.activationRegions()
                + " activation region" + (rs.activationRegions() == 1 ? "" : "s") + ", " + rs.affinePieces() + " affine piece"
                + (rs.affinePieces() == 1 ? "" : "s") + " (exact)");
        if (rs.dimension() == 1 && order.get(0).vertices() != null) {
            List<String> bp = rs.breakpoints().stream().map(Rational::toString).toList();
            w.println("breakpoints: " + (bp.isEmpty() ? "none" : String.join(", ", bp)));
            for (RegionSet.Interval iv : rs.intervals()) {
                w.printf("  %s in [%s, %s]   f = %s   (%d region%s)%n", vars.get(0), iv.lo(), iv.hi(),
                        Formula.value(iv.piece().map(), vars, false), iv.piece().regions().size(),
                        iv.piece().regions().size() == 1 ? "" : "s");
            }
        } else {
            int n = Math.min(show, order.size());
            for (int i = 0; i < n; i++) {
                Region r = order.get(i);
                w.printf("  %-4d pattern %s  witness (%s)  f = %s  piece %d%n", i, r.pattern(),
                        String.join(", ", JsonOut.exact(r.witness())), Formula.value(r.map(), vars, false), r.piece());
            }
            if (n < order.size()) {
                w.println("  ... and " + (order.size() - n) + " more (--show N, or --json for all)");
            }
        }
        Stats s = rs.stats();
        w.println("certificates: every witness re-checked exactly against its " + (s.inequalityChecks / Math.max(1, s.witnessChecks))
                + " inequalities (on average); " + (s.vertexProofs + s.farkasProofs) + " empty candidates proven empty ("
                + s.vertexProofs + " by exact vertex signs, " + s.farkasProofs + " by checked Farkas certificates)");
        if (plot != null) {
            w.println("plot written to " + plot);
        }
        w.flush();
    }

    /** "the box [0, 1]^2", "the box [0, 1] x [-1, 1]", "a polytope in the box …". */
    static String describe(Domain d) {
        Rational[] lo = d.lower();
        Rational[] hi = d.upper();
        StringBuilder sb = new StringBuilder(d.isBox() ? "the box " : "a polytope in the box ");
        boolean same = java.util.Arrays.stream(lo).distinct().count() == 1 && java.util.Arrays.stream(hi).distinct().count() == 1;
        if (same && lo.length > 1) {
            return sb.append("[").append(lo[0]).append(", ").append(hi[0]).append("]^").append(lo.length).toString();
        }
        for (int j = 0; j < lo.length; j++) {
            sb.append(j == 0 ? "" : " x ").append("[").append(lo[j]).append(", ").append(hi[j]).append("]");
        }
        return sb.toString();
    }
}
