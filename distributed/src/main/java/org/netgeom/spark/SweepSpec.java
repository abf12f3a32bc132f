package org.netgeom.spark;

import org.netgeom.ir.IrError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.ir.io.Json;
import org.netgeom.symbolic.regions.RandomNets;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file (docs/sweep.md): {@code {"name", "output", "jobs": [ENTRY, …], "plot": {"x", "y",
 * "series"}}}; an ENTRY is one netgeom command line {@code {"command", "args": [...], "model",
 * "split", "name", "grid": {VAR: [values…]}}}, expanded over the Cartesian product of its grid with
 * {@code ${VAR}} replaced in args and model. A job's id is the SHA-256 of its expanded spec (command,
 * args, model text, split): the same job has the same id in every run, which is what resuming keys on.
 */
public final class SweepSpec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ENTRY_KEYS = Set.of("command", "args", "model", "split", "name", "grid");
    private static final Set<String> ROOT_KEYS = Set.of("name", "output", "jobs", "plot");

    /** One job, ready to run anywhere: its args name files by absolute path, a generated model travels as text. */
    public record Job(String id, int index, String name, Map<String, String> vars, String command, List<String> args,
                      String modelJson, Integer split) implements Serializable {
        /** The command line to run (without --json); {@code modelFile} replaces ${model} or comes first. */
        List<String> commandLine(String modelFile) {
            List<String> out = new ArrayList<>();
            out.add(command);
            boolean placed = false;
            for (String a : args) {
                if (modelFile != null && a.contains("${model}")) {
                    out.add(a.replace("${model}", modelFile));
                    placed = true;
                } else {
                    out.add(a);
                }
            }
            if (modelFile != null && !placed) {
                out.add(1, modelFile);
            }
            return out;
        }
    }

    /** The plot of a sweep with a numeric axis: y (a numeric result field) against x (a grid variable). */
    public record Plot(String x, String y, String series) {
    }

    public final String name;
    public final Path output;
    public final List<Job> jobs;
    public final Plot plot;

    private SweepSpec(String name, Path output, List<Job> jobs, Plot plot) {
        this.name = name;
        this.output = output;
        this.jobs = jobs;
        this.plot = plot;
    }

    /** Reads and expands a sweep file; every mistake is a coded BAD_INPUT error with its JSON path. */
    public static SweepSpec read(Path file) {
        JsonNode root = Json.read(file, "sweep");
        if (!root.isObject()) {
            throw bad("$", "a sweep file is a JSON object {\"jobs\": [...]}");
        }
        unknownKeys(root, ROOT_KEYS, "$");
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        String name = root.hasNonNull("name") ? root.get("name").asText() : base;
        Path output = root.hasNonNull("output") ? dir.resolve(root.get("output").asText()) : Path.of(base + ".out").toAbsolutePath();
        JsonNode jobs = root.get("jobs");
        if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
            throw bad("$.jobs", "a sweep needs \"jobs\": a non-empty list of {\"command\": ..., \"args\": [...]}");
        }
        List<Job> out = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            for (Job j : expand(jobs.get(i), "$.jobs[" + i + "]", dir, out.size())) {
                if (ids.add(j.id())) {
                    out.add(new Job(j.id(), out.size(), j.name(), j.vars(), j.command(), j.args(), j.modelJson(), j.split()));
                }
            }
        }
        Plot plot = null;
        JsonNode p = root.get("plot");
        if (p != null && !p.isNull()) {
            unknownKeys(p, Set.of("x", "y", "series"), "$.plot");
            if (!p.hasNonNull("x") || !p.hasNonNull("y")) {
                throw bad("$.plot", "a plot names \"x\" (a grid variable) and \"y\" (a numeric result field)");
            }
            plot = new Plot(p.get("x").asText(), p.get("y").asText(), p.hasNonNull("series") ? p.get("series").asText() : null);
        }
        return new SweepSpec(name, output, out, plot);
    }

    private static List<Job> expand(JsonNode e, String path, Path dir, int first) {
        if (!e.isObject()) {
            throw bad(path, "a job is an object {\"command\": \"regions\", \"args\": [...]}");
        }
        unknownKeys(e, ENTRY_KEYS, path);
        if (!e.hasNonNull("command") || !e.get("command").isTextual()) {
            throw bad(path + ".command", "a job needs \"command\": a netgeom command (regions, check, perturb, ...)");
        }
        String command = e.get("command").asText();
        if (command.equals("sweep")) {
            throw bad(path + ".command", "a sweep job cannot be a sweep");
        }
        JsonNode args = e.get("args");
        if (args != null && !args.isArray()) {
            throw bad(path + ".args", "\"args\" is a list of strings");
        }
        List<Map<String, JsonNode>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        JsonNode grid = e.get("grid");
        if (grid != null) {
            if (!grid.isObject() || grid.isEmpty()) {
                throw bad(path + ".grid", "\"grid\" maps variable names to lists of values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                if (!v.getValue().isArray() || v.getValue().isEmpty()) {
                    throw bad(path + ".grid." + v.getKey(), "a grid variable takes a non-empty list of values");
                }
                List<Map<String, JsonNode>> next = new ArrayList<>();
                for (Map<String, JsonNode> pt : points) {
                    for (JsonNode val : v.getValue()) {
                        Map<String, JsonNode> q = new LinkedHashMap<>(pt);
                        q.put(v.getKey(), val);
                        next.add(q);
                    }
                }
                points = next;
            }
        }
        List<Job> out = new ArrayList<>();
        for (Map<String, JsonNode> pt : points) {
            Map<String, String> vars = new LinkedHashMap<>();
            pt.forEach((k, v) -> vars.put(k, v.isTextual() ? v.asText() : v.toString()));
            List<String> a = new ArrayList<>();
            if (args != null) {
                for (int i = 0; i < args.size(); i++) {
                    JsonNode x = args.get(i);
                    if (!x.isValueNode()) {
                        throw bad(path + ".args[" + i + "]", "an argument is a string or a number");
                    }
                    a.add(substitute(x.asText(), vars, path + ".args[" + i + "]"));
                }
            }
            String model = null;
            if (e.hasNonNull("model")) {
                model = model(substitute(e.get("model"), vars, path + ".model"), path + ".model");
            }
            Integer split = null;
            if (e.hasNonNull("split")) {
                JsonNode s = substitute(e.get("split"), vars, path + ".split");
                if (!s.canConvertToInt() || s.asInt() < 1 || !command.equals("regions")) {
                    throw bad(path + ".split", "\"split\" is a number of sub-boxes >= 1, for a regions job");
                }
                split = s.asInt();
            }
            String name = e.hasNonNull("name") ? substitute(e.get("name").asText(), vars, path + ".name") : null;
            ObjectNode key = MAPPER.createObjectNode();
            key.put("command", command);
            ArrayNode ka = key.putArray("args");
            a.forEach(ka::add);
            key.put("model", model);
            key.put("split", split);
            String id = SparkSplitter.hash(key.toString());
            out.add(new Job(id, first + out.size(), name, vars, command, resolve(a, dir), model, split));
        }
        return out;
    }

    /** Arguments naming an existing file relative to the sweep file's folder become absolute (also --opt=FILE). */
    static List<String> resolve(List<String> args, Path dir) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String head = eq < 0 ? "" : a.substring(0, eq + 1);
            String val = eq < 0 ? a : a.substring(eq + 1);
            if (!val.isEmpty() && !val.startsWith("-") && !val.contains("${") && !Path.of(val).isAbsolute()) {
                try {
                    Path f = dir.resolve(val);
                    if (Files.isRegularFile(f)) {
                        val = f.toString();
                    }
                } catch (java.nio.file.InvalidPathException ignored) {
                    // not a file name
                }
            }
            out.add(head + val);
        }
        return out;
    }

    /** {"random": {"inputs", "widths", "outputs", "seed", "activation", "den"}}: an MLP from RandomNets, as IR text. */
    private static String model(JsonNode m, String path) {
        if (!m.isObject() || !m.has("random") || m.size() != 1) {
            throw bad(path, "\"model\" is {\"random\": {\"inputs\": 2, \"widths\": [8, 8], \"seed\": 1}} (a file goes in args)");
        }
        JsonNode r = m.get("random");
        unknownKeys(r, Set.of("inputs", "widths", "outputs", "seed", "activation", "den"), path + ".random");
        if (!r.has("inputs") || !r.has("widths") || !r.get("widths").isArray()) {
            throw bad(path + ".random", "a random model needs \"inputs\" and \"widths\" (a list)");
        }
        int inputs = positive(r.get("inputs"), path + ".random.inputs");
        int[] widths = new int[r.get("widths").size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = positive(r.get("widths").get(i), path + ".random.widths[" + i + "]");
        }
        int outputs = r.has("outputs") ? positive(r.get("outputs"), path + ".random.outputs") : 1;
        long seed = r.has("seed") ? r.get("seed").asLong() : 1;
        String act = r.has("activation") ? r.get("activation").asText() : "relu";
        if (!Set.of("relu", "leaky_relu", "abs").contains(act)) {
            throw bad(path + ".random.activation", "activation is relu, leaky_relu or abs");
        }
        int den = r.has("den") ? positive(r.get("den"), path + ".random.den") : 8;
        Model model = RandomNets.mlp(seed, inputs, widths, outputs, act, den);
        return IrWriter.toJson(model);
    }

    private static int positive(JsonNode n, String path) {
        if (n == null || !n.canConvertToInt() || n.asInt() < 1) {
            throw bad(path, "a positive integer is needed here");
        }
        return n.asInt();
    }

    private static String substitute(String s, Map<String, String> vars, String path) {
        String out = s;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue());
        }
        int i = out.indexOf("${");
        if (i >= 0 && !out.startsWith("${model}", i)) {
            throw bad(path, "\"" + s + "\" names a variable that is not in the grid (" + vars.keySet() + ")");
        }
        return out;
    }

    /** Substitutes in every string of a JSON value; a string that is exactly "${VAR}" takes the value's own type. */
    private static JsonNode substitute(JsonNode n, Map<String, String> vars, String path) {
        try {
            String text = MAPPER.writeValueAsString(n);
            for (Map.Entry<String, String> v : vars.entrySet()) {
                String val = v.getValue();
                boolean json = !val.isEmpty() && (Character.isDigit(val.charAt(0)) || val.charAt(0) == '-' || val.startsWith("[")
                        || val.startsWith("{") || val.equals("true") || val.equals("false"));
                text = text.replace("\"${" + v.getKey() + "}\"", json ? val : MAPPER.writeValueAsString(val));
                text = text.replace("${" + v.getKey() + "}", val);
            }
            if (text.contains("${")) {
                throw bad(path, "a ${VAR} here is not in the grid (" + vars.keySet() + ")");
            }
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw bad(path, "cannot substitute the grid variables: " + ex.getOriginalMessage());
        }
    }

    private static void unknownKeys(JsonNode n, Set<String> known, String path) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw bad(path + "." + k, "unknown key \"" + k + "\" (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static org.netgeom.ir.NetgeomException bad(String path, String message) {
        return IrError.BAD_INPUT.at(path, message);
    }
}
