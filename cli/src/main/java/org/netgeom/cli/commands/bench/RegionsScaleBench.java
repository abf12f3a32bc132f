package org.netgeom.cli.commands.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.Regions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The scale rows of {@code bench regions --scale}: He-initialised seeded relu MLPs (weights
 * N(0, 2/fan_in) rounded to multiples of 2^-10, exact dyadics; biases N(0, 0.01)) of width 64, 128
 * and 256 on [−1, 1]^n, timed whole (search, exact maps and witnesses, checks, affine pieces) with
 * the edge search, against the float64 edge-subdivision reference in torch
 * ({@code edge_subdivision_ref.py}, this project's own script) on the same nets in the same
 * invocation when /usr/bin/python3 has torch.
 */
final class RegionsScaleBench {
    private RegionsScaleBench() {
    }

    /** A row: a He net of {@code inputs} → widths → {@code outputs}, on [−1, 1]^k, or on a 2-D slice of it when {@code slice}. */
    record Net(String id, String name, int inputs, int[] widths, int outputs, boolean slice, boolean byDefault) {
    }

    static final List<Net> NETS = List.of(
            new Net("2d-64", "2 -> 64x3 -> 1", 2, new int[]{64, 64, 64}, 1, false, true),
            new Net("2d-128", "2 -> 128x4 -> 1", 2, new int[]{128, 128, 128, 128}, 1, false, true),
            new Net("2d-256", "2 -> 256x2 -> 1", 2, new int[]{256, 256}, 1, false, true),
            new Net("3d-64", "3 -> 64x2 -> 1", 3, new int[]{64, 64}, 1, false, true),
            new Net("3d-128", "3 -> 128x1 -> 1", 3, new int[]{128}, 1, false, false),
            new Net("3d-16", "3 -> 16x2 -> 1", 3, new int[]{16, 16}, 1, false, false),
            new Net("3d-32", "3 -> 32x2 -> 1", 3, new int[]{32, 32}, 1, false, false),
            new Net("4d-24", "4 -> 24 -> 1", 4, new int[]{24}, 1, false, false),
            new Net("4d-64", "4 -> 64x1 -> 1", 4, new int[]{64}, 1, false, true),
            new Net("4d-128", "4 -> 128 -> 1 (box [-1/2,1/2])", 4, new int[]{128}, 1, false, false),
            new Net("slice-784", "784 -> 256x2 -> 10, 2-D slice", 784, new int[]{256, 256}, 10, true, true));

    /** The rows named in {@code ids} (comma-separated; "all"; null: the default rows; quick: the first). */
    static List<Net> pick(String ids, boolean quick) {
        if (quick && ids == null) {
            return NETS.subList(0, 1);
        }
        if (ids == null) {
            return NETS.stream().filter(Net::byDefault).toList();
        }
        if (ids.equals("all")) {
            return NETS;
        }
        List<Net> out = new ArrayList<>();
        for (String id : ids.split(",")) {
            Net n = NETS.stream().filter(x -> x.id().equals(id.trim())).findFirst().orElseThrow(() ->
                    org.netgeom.cli.CliError.USAGE.error("--rows: no row '" + id + "' (rows: "
                            + String.join(", ", NETS.stream().map(Net::id).toList()) + ", all)"));
            out.add(n);
        }
        return out;
    }

    /** The slice of the 784-input row: origin 1/4 in every coordinate, two seeded ±1/16 directions (exact dyadics). */
    static AffineMap slice(int n) {
        SplittableRandom r = new SplittableRandom(7);
        Rational[] o = new Rational[n];
        Rational[] d1 = new Rational[n];
        Rational[] d2 = new Rational[n];
        for (int i = 0; i < n; i++) {
            o[i] = Rational.of(1, 4);
            d1[i] = Rational.of(r.nextBoolean() ? 1 : -1, 16);
            d2[i] = Rational.of(r.nextBoolean() ? 1 : -1, 16);
        }
        return AffineMap.slice(o, d1, d2);
    }

    static Domain domain(Net n) {
        int k = n.slice() ? 2 : n.inputs();
        if (n.id().equals("4d-128")) {
            Rational[] lo = new Rational[k];
            Rational[] hi = new Rational[k];
            Arrays.fill(lo, Rational.of(-1, 2));
            Arrays.fill(hi, Rational.of(1, 2));
            return Domain.box(lo, hi);
        }
        return RegionsBench.box(k);
    }

    static Model he(long seed, int inputs, int[] widths) {
        return he(seed, inputs, widths, 1);
    }

    static Model he(long seed, int inputs, int[] widths, int outputs) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        List<Integer> dims = new ArrayList<>();
        for (int w : widths) {
            dims.add(w);
        }
        dims.add(outputs);
        for (int k = 0; k < dims.size(); k++) {
            int out = dims.get(k);
            Rational[][] w = new Rational[out][in];
            Rational[] b = new Rational[out];
            double sd = Math.sqrt(2.0 / in);
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[i][j] = Rational.of(Math.round(gauss(rnd) * sd * 1024), 1024);
                }
                b[i] = Rational.of(Math.round(gauss(rnd) * 0.1 * 1024), 1024);
            }
            layers.add(new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b)));
            if (k < dims.size() - 1) {
                layers.add(RandomNets.activation("relu"));
            }
            in = out;
        }
        return new Model("he-" + seed, Shape.of(inputs), layers);
    }

    private static double gauss(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    static void run(PrintWriter w, boolean json, List<Object> rows, boolean quick, String ids) throws Exception {
        List<Net> nets = pick(ids, quick);
        if (!json) {
            w.printf("%nat scale (He-initialised relu nets, whole run: edge search, exact maps and witnesses, JSON, netgeom-certify):%n");
            w.printf("reference: float64 edge subdivision in torch (edge_subdivision_ref.py, its own process per row), %s%n", torchConfig());
            w.printf("%-34s %8s %9s %9s %10s %8s %8s %10s %8s %7s%n", "net", "regions", "search s", "total s", "exact r/s", "peak MB",
                    "ref s", "ref regs", "ref MB", "speed");
            w.flush();
        }
        for (Net n : nets) {
            Model m = he(1, n.inputs(), n.widths(), n.outputs());
            AffineMap in = n.slice() ? slice(n.inputs()) : AffineMap.identity(n.inputs());
            Domain d = domain(n);
            double[] ref = reference(m, in, n, d);
            System.gc();
            long heap0 = peakHeapReset();
            long t0 = System.nanoTime();
            org.netgeom.symbolic.regions.RegionSet rs = Regions.enumerate(m, in, d, Options.defaults().withOwnCoverage(false), Regions.Search.EDGES);
            double search = (System.nanoTime() - t0) / 1e9;
            int regs = rs.activationRegions();
            Map<String, Object> out = org.netgeom.cli.commands.RegionsCommand.json(rs);
            rs = null;
            Path model = Files.createTempFile("netgeom-bench", ".json");
            org.netgeom.ir.io.IrWriter.write(m, model, org.netgeom.ir.io.IrWriter.Options.DEFAULT);
            JsonNode node = new ObjectMapper().readTree(org.netgeom.cli.JsonOut.write(out));
            out = null;
            String box = n.id().equals("4d-128") ? "-1/2,1/2" : "-1,1";
            String sl = n.slice() ? sliceText(in) : null;
            org.netgeom.certify.Certifier.certify(model, node, new org.netgeom.certify.DomainSpec(box, null, sl));
            double s = (System.nanoTime() - t0) / 1e9;
            Files.deleteIfExists(model);
            double peakMb = Math.max(0, peakHeap() - 0 * heap0) / 1048576.0;
            Map<String, Object> r = org.netgeom.cli.JsonOut.object();
            r.put("row", n.id());
            r.put("net", n.name());
            r.put("regions", regs);
            r.put("searchSeconds", search);
            r.put("seconds", s);
            r.put("exactRegionsPerSecond", regs / s);
            r.put("peakHeapMB", peakMb);
            if (ref != null) {
                r.put("referenceSeconds", ref[1]);
                r.put("referenceRegions", (long) ref[0]);
                r.put("referenceMaxRssMB", ref[2]);
                r.put("speedOverReference", ref[1] / s);
            }
            rows.add(r);
            if (!json) {
                w.printf("%-34s %8d %9.2f %9.2f %10.0f %8.0f %8s %10s %8s %7s%n", n.name(), regs, search, s, regs / s, peakMb,
                        ref == null ? "-" : String.format("%.2f", ref[1]), ref == null ? "-" : String.valueOf((long) ref[0]),
                        ref == null ? "-" : String.format("%.0f", ref[2]), ref == null ? "-" : String.format("%.2fx", ref[1] / s));
                w.flush();
            }
        }
        if (json) {
            rows.add(Map.of("reference", torchConfig()));
        }
    }

    private static String sliceText(AffineMap in) {
        int n = in.outputs();
        StringBuilder b = new StringBuilder();
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                b.append(';');
            }
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(part == 0 ? in.b(i) : in.a(i, part - 1));
            }
        }
        return b.toString();
    }

    /** The JVM's peak heap use (all pools) since the last reset, in bytes. */
    private static long peakHeap() {
        long s = 0;
        for (var p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getPeakUsage() != null) {
                s += p.getPeakUsage().getUsed();
            }
        }
        return s;
    }

    private static long peakHeapReset() {
        for (var p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        return 0;
    }

    private static String torchConfig = null;

    private static String torchConfig() {
        return torchConfig != null ? torchConfig : Files.isExecutable(Path.of("/usr/bin/python3")) ? "torch" : "no /usr/bin/python3";
    }

    /**
     * Runs the torch reference on one net in its own process: {regions, seconds, max RSS MB}, or
     * null when /usr/bin/python3 has no torch. A slice is composed into the first layer (in
     * doubles) so that the reference sees a net of the slice's 2 variables.
     */
    private static double[] reference(Model m, AffineMap in, Net net, Domain d) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(py)) {
            return null;
        }
        Path script = Files.createTempFile("netgeom-edge-ref", ".py");
        try (var s = RegionsScaleBench.class.getResourceAsStream("/org/netgeom/cli/bench/edge_subdivision_ref.py")) {
            Files.write(script, s.readAllBytes());
        }
        int k = in.variables();
        StringBuilder spec = new StringBuilder("{\"nets\": [{\"inputs\": ").append(k).append(", \"lo\": ")
                .append(d.lower()[0].doubleValue()).append(", \"hi\": ").append(d.upper()[0].doubleValue()).append(", \"layers\": [");
        boolean first = true;
        for (Layer l : m.layers()) {
            if (l instanceof Layer.Dense dl) {
                double[][] wt = new double[dl.out()][dl.in()];
                double[] bs = new double[dl.out()];
                for (int r = 0; r < dl.out(); r++) {
                    for (int c = 0; c < dl.in(); c++) {
                        wt[r][c] = dl.weight().rational(r * dl.in() + c).doubleValue();
                    }
                    bs[r] = dl.bias().rational(r).doubleValue();
                }
                if (first && net.slice()) {       // W (o + U t) + b = (W U) t + (W o + b)
                    double[][] w2 = new double[dl.out()][k];
                    for (int r = 0; r < dl.out(); r++) {
                        double bb = bs[r];
                        for (int c = 0; c < dl.in(); c++) {
                            bb += wt[r][c] * in.b(c).doubleValue();
                            for (int j = 0; j < k; j++) {
                                w2[r][j] += wt[r][c] * in.a(c, j).doubleValue();
                            }
                        }
                        bs[r] = bb;
                    }
                    wt = w2;
                }
                spec.append(first ? "" : ",").append("[").append(new ObjectMapper().writeValueAsString(wt)).append(",")
                        .append(new ObjectMapper().writeValueAsString(bs)).append("]");
                first = false;
            }
        }
        spec.append("]}]}");
        Process p = new ProcessBuilder(py.toString(), script.toString()).redirectErrorStream(false).start();
        try (var o = p.getOutputStream()) {
            o.write(spec.toString().getBytes(StandardCharsets.UTF_8));
        }
        double[] out = null;
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode j = om.readTree(line);
                if (j.has("regions")) {
                    out = new double[]{j.get("regions").asDouble(), j.get("seconds").asDouble(), j.path("maxRssMB").asDouble(Double.NaN)};
                } else if (j.has("torch")) {
                    torchConfig = "torch " + j.get("torch").asText() + ", " + j.get("threads").asInt() + " threads";
                }
            }
        }
        int rc = p.waitFor();
        Files.deleteIfExists(script);
        return rc == 0 ? out : null;
    }
}
