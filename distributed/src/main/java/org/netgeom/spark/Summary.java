package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.netgeom.cli.plot.PlotFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The sweep's summary table (Markdown, also the human output) and its plot along a numeric axis. */
final class Summary {
    private Summary() {
    }

    /** The key figures of a job's result: regions' counts, check's verdict, else the first scalar fields. */
    static String figures(JsonNode row) {
        if (!row.path("error").isNull() && row.has("error")) {
            JsonNode e = row.get("error");
            String m = e.path("message").asText();
            return "error[" + e.path("code").asText() + "]: " + (m.length() > 80 ? m.substring(0, 77) + "..." : m);
        }
        JsonNode r = row.path("result");
        switch (row.path("command").asText()) {
            case "regions":
                return r.path("activationRegions").asText() + " regions, " + r.path("affinePieces").asText() + " pieces";
            case "check":
                return r.path("verdict").asText() + " (" + r.path("instances").asText() + " instances)";
            default:
                List<String> parts = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext() && parts.size() < 3; ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getValue().isValueNode()) {
                        String v = f.getValue().asText();
                        parts.add(f.getKey() + "=" + (v.length() > 24 ? v.substring(0, 21) + "..." : v));
                    }
                }
                return String.join(", ", parts);
        }
    }

    static String label(JsonNode row) {
        StringBuilder sb = new StringBuilder(row.path("command").asText());
        if (row.hasNonNull("name")) {
            sb.append(" ").append(row.get("name").asText());
        }
        JsonNode vars = row.path("vars");
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            sb.append(" ").append(v.getKey()).append("=").append(v.getValue().asText());
        }
        if (row.hasNonNull("split")) {
            sb.append(" split=").append(row.get("split").asText());
        }
        return sb.toString();
    }

    static String markdown(SweepSpec spec, List<JsonNode> rows) {
        StringBuilder sb = new StringBuilder("# sweep " + spec.name + "\n\n");
        sb.append("| # | id | job | status | result | seconds |\n|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            sb.append("| ").append(r.path("index").asInt()).append(" | ").append(r.path("id").asText(), 0, 8).append(" | ")
                    .append(label(r).replace("|", "\\|")).append(" | ").append(r.path("status").asText()).append(" | ")
                    .append(figures(r).replace("|", "\\|")).append(" | ").append(r.path("seconds").asText()).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * y against x, one series per value of {@code series} (or of the other grid variables): the
     * sweep's plot, or an automatic one (x the first numeric grid variable of the regions jobs, y
     * activationRegions). Returns the file, or null when the sweep has no numeric axis.
     */
    static Path plot(SweepSpec spec, List<JsonNode> rows, Path file) {
        SweepSpec.Plot p = spec.plot;
        if (p == null) {
            p = auto(rows);
            if (p == null) {
                return null;
            }
        }
        Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
        for (JsonNode r : rows) {
            JsonNode x = r.path("vars").path(p.x());
            JsonNode y = r.path("result").path(p.y());
            if (x.isMissingNode() || y.isMissingNode() || !"ok".equals(r.path("status").asText())) {
                continue;
            }
            Double xv = number(x.asText());
            Double yv = number(y.asText());
            if (xv == null || yv == null) {
                continue;
            }
            String s = p.series() != null ? p.series() + "=" + r.path("vars").path(p.series()).asText() : others(r, p.x());
            series.computeIfAbsent(s, k -> new TreeMap<>()).put(xv, yv);
        }
        if (series.isEmpty()) {
            return null;
        }
        XYChart c = new XYChartBuilder().width(720).height(440).title(spec.name + ": " + p.y() + " vs " + p.x())
                .xAxisTitle(p.x()).yAxisTitle(p.y()).build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Map.Entry<String, TreeMap<Double, Double>> e : series.entrySet()) {
            double[] xs = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            c.addSeries(e.getKey().isEmpty() ? p.y() : e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        PlotFiles.save(c, file);
        return file;
    }

    private static SweepSpec.Plot auto(List<JsonNode> rows) {
        for (JsonNode r : rows) {
            if (!r.path("command").asText().equals("regions")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("vars").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                if (number(v.getValue().asText()) != null) {
                    return new SweepSpec.Plot(v.getKey(), "activationRegions", null);
                }
            }
        }
        return null;
    }

    private static String others(JsonNode r, String x) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("vars").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            if (!v.getKey().equals(x)) {
                parts.add(v.getKey() + "=" + v.getValue().asText());
            }
        }
        return String.join(" ", parts);
    }

    private static Double number(String s) {
        try {
            return s.contains("/") ? org.netgeom.ir.Rational.parse(s).doubleValue() : Double.parseDouble(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
