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

    record Net(String name, int inputs, int[] widths) {
    }

    static final List<Net> NETS = List.of(new Net("2 -> 64x3 -> 1", 2, new int[]{64, 64, 64}),
            new Net("2 -> 128x4 -> 1", 2, new int[]{128, 128, 128, 128}),
            new Net("2 -> 256x2 -> 1", 2, new int[]{256, 256}),
            new Net("3 -> 64x2 -> 1", 3, new int[]{64, 64}),
            new Net("4 -> 64x1 -> 1", 4, new int[]{64}));

    static Model he(long seed, int inputs, int[] widths) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        List<Integer> dims = new ArrayList<>();
        for (int w : widths) {
            dims.add(w);
        }
        dims.add(1);
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

    static void run(PrintWriter w, boolean json, List<Object> rows, boolean quick) throws Exception {
        List<Net> nets = quick ? NETS.subList(0, 1) : NETS;
        List<Model> models = new ArrayList<>();
        for (Net n : nets) {
            models.add(he(1, n.inputs(), n.widths()));
        }
        // the reference first (its own process), then netgeom in this one
        List<double[]> ref = reference(models, nets);
        String refConfig = ref == null ? "no torch in /usr/bin/python3" : lastConfig;
        if (!json) {
            w.printf("%nat scale (He-initialised relu nets, [-1,1]^n, whole run: search + exact maps, witnesses, checks, pieces):%n");
            w.printf("reference: float64 edge subdivision in torch (edge_subdivision_ref.py), %s%n", refConfig);
            w.printf("%-18s %8s %10s %12s %10s %10s %9s%n", "net", "regions", "netgeom s", "exact r/s", "ref s", "ref regs", "speed");
            w.flush();
        }
        for (int i = 0; i < nets.size(); i++) {
            Net n = nets.get(i);
            Model m = models.get(i);
            Domain d = RegionsBench.box(n.inputs());
            long t0 = System.nanoTime();
            int regs = Regions.enumerate(m, AffineMap.identity(n.inputs()), d, Options.defaults(), Regions.Search.EDGES)
                    .activationRegions();
            double s = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> r = org.netgeom.cli.JsonOut.object();
            r.put("net", n.name());
            r.put("regions", regs);
            r.put("seconds", s);
            r.put("exactRegionsPerSecond", regs / s);
            if (ref != null) {
                r.put("referenceSeconds", ref.get(i)[1]);
                r.put("referenceRegions", (long) ref.get(i)[0]);
                r.put("speedOverReference", ref.get(i)[1] / s);
            }
            rows.add(r);
            if (!json) {
                w.printf("%-18s %8d %10.2f %12.0f %10s %10s %9s%n", n.name(), regs, s, regs / s,
                        ref == null ? "-" : String.format("%.2f", ref.get(i)[1]), ref == null ? "-" : String.valueOf((long) ref.get(i)[0]),
                        ref == null ? "-" : String.format("%.2fx", ref.get(i)[1] / s));
                w.flush();
            }
        }
        if (json && ref != null) {
            rows.add(Map.of("reference", refConfig));
        }
    }

    private static String lastConfig = "";

    /** Runs the torch reference on the nets; null when /usr/bin/python3 has no torch. */
    private static List<double[]> reference(List<Model> models, List<Net> nets) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(py)) {
            return null;
        }
        Path script = Files.createTempFile("netgeom-edge-ref", ".py");
        try (var in = RegionsScaleBench.class.getResourceAsStream("/org/netgeom/cli/bench/edge_subdivision_ref.py")) {
            Files.write(script, in.readAllBytes());
        }
        StringBuilder spec = new StringBuilder("{\"nets\": [");
        for (int i = 0; i < models.size(); i++) {
            spec.append(i == 0 ? "" : ",").append("{\"inputs\": ").append(nets.get(i).inputs()).append(", \"layers\": [");
            boolean first = true;
            for (Layer l : models.get(i).layers()) {
                if (l instanceof Layer.Dense dl) {
                    spec.append(first ? "" : ",").append("[[");
                    for (int r = 0; r < dl.out(); r++) {
                        spec.append(r == 0 ? "[" : ",[");
                        for (int c = 0; c < dl.in(); c++) {
                            spec.append(c == 0 ? "" : ",").append(dl.weight().rational(r * dl.in() + c).doubleValue());
                        }
                        spec.append("]");
                    }
                    spec.append("],[");
                    for (int r = 0; r < dl.out(); r++) {
                        spec.append(r == 0 ? "" : ",").append(dl.bias().rational(r).doubleValue());
                    }
                    spec.append("]]");
                    first = false;
                }
            }
            spec.append("]}");
        }
        spec.append("]}");
        Process p = new ProcessBuilder(py.toString(), script.toString()).redirectErrorStream(false).start();
        try (var o = p.getOutputStream()) {
            o.write(spec.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<double[]> out = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode j = om.readTree(line);
                if (j.has("regions")) {
                    out.add(new double[]{j.get("regions").asDouble(), j.get("seconds").asDouble()});
                } else if (j.has("torch")) {
                    lastConfig = "torch " + j.get("torch").asText() + ", " + j.get("threads").asInt() + " threads";
                }
            }
        }
        int rc = p.waitFor();
        Files.deleteIfExists(script);
        if (rc != 0 || out.size() != models.size()) {
            return null;
        }
        return out;
    }

    static String unused() {
        return Arrays.toString(new int[0]);
    }
}
