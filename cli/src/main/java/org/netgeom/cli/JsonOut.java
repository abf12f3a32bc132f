package org.netgeom.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Machine output: plain maps, lists, strings, numbers and booleans written as one JSON value.
 * Exact numbers are strings {@code "p/q"} in lowest terms (integers {@code "3"}), floats are JSON
 * numbers (DESIGN.md, "Command line").
 */
public final class JsonOut {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    /** Objects one key a line, arrays of scalars on one line, {@code "key": value}. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

    private static final ObjectMapper LINE = new ObjectMapper();

    private JsonOut() {
    }

    /** The JSON text of a value built from maps, lists and scalars. */
    public static String write(Object value) {
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** The JSON text of a value on one line (JSON lines: {@code regions --json --stream}). */
    public static String line(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A new insertion-ordered object. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** An exact number as its JSON string. */
    public static String exact(Rational q) {
        return q.toString();
    }

    /** Exact numbers as JSON strings. */
    public static List<String> exact(Rational[] qs) {
        List<String> out = new ArrayList<>(qs.length);
        for (Rational q : qs) {
            out.add(q.toString());
        }
        return out;
    }

    /** Floats as JSON numbers. */
    public static List<Double> floats(double[] xs) {
        List<Double> out = new ArrayList<>(xs.length);
        for (double x : xs) {
            out.add(x);
        }
        return out;
    }

    public static List<Integer> shape(Shape s) {
        return s.toList();
    }
}
