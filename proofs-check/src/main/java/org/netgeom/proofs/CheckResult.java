package org.netgeom.proofs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a check found: the verdict, how many instances were checked, the evidence (each
 * theorem's named quantities: exact numbers as {@code "p/q"} strings, decimals as strings, floats
 * as numbers), the counterexample when violated (or null), notes for the report (which
 * hypotheses the instances meet, what was not checked), and figures (data the report draws).
 */
public record CheckResult(String id, boolean falseVariant, Verdict verdict, int instances, Map<String, Object> evidence,
                          Object counterexample, List<String> notes, List<Figure> figures) {

    public CheckResult {
        evidence = new LinkedHashMap<>(evidence);
        notes = List.copyOf(notes);
        figures = List.copyOf(figures);
    }

    /** A result without figures. */
    public CheckResult(String id, boolean falseVariant, Verdict verdict, int instances, Map<String, Object> evidence,
                       Object counterexample, List<String> notes) {
        this(id, falseVariant, verdict, instances, evidence, counterexample, notes, List.of());
    }

    /** The same result with figures for the report. */
    public CheckResult withFigures(List<Figure> figs) {
        return new CheckResult(id, falseVariant, verdict, instances, evidence, counterexample, notes, figs);
    }

    /** The JSON object of the check contract: id, verdict, instances, evidence, counterexample. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("falseVariant", falseVariant);
        o.put("verdict", verdict.json());
        o.put("instances", instances);
        o.put("evidence", evidence);
        o.put("counterexample", counterexample);
        o.put("notes", notes);
        return o;
    }
}
