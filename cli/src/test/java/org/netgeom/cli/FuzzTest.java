package org.netgeom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded, bounded fuzz suite of hostile inputs through the command line in-process: mutated
 * IR JSON (from examples/*.json: keys deleted, duplicated, retyped; random scalars, huge
 * numbers, deep nesting, truncation, stray bytes), mutated safetensors headers (length field,
 * offsets, dtypes, shapes, truncation) and mutated data sets (CSV and JSON). Every case must end
 * within 30 s with exit 0 or 2 (never 1, an internal error), print no stack trace, and with
 * --json print one JSON value on stdout. The default size is {@code netgeom.fuzz.cases} (300,
 * part of mvn verify); {@code mvn verify -Pfuzz} runs 5000. The tally is printed at the end.
 */
class FuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CASES = Integer.getInteger("netgeom.fuzz.cases", 300);
    static final long SEED = Long.getLong("netgeom.fuzz.seed", 14);
    static final Map<String, Integer> TALLY = new TreeMap<>();

    @TempDir
    static Path dir;

    static final String[] SCALARS = {"NaN", "-Infinity", "1e999999999", "-1e-999999999", "1/0", "0/0", "\"\"", "\"x y\"", "true", "null",
            "[]", "{}", "\"Pi\"", "\"a_2\"", "123456789012345678901234567890123456789", "-0", "0.1", "\"3/7\"", "\"inf\"",
            "1e308", "4.9e-324", "\"\\u0000\"", "\"" + "9".repeat(20000) + "\"", "2147483648", "-2147483649", "\"w1\""};

    static void check(String what, Supplier<CliRun> run) {
        CliRun r;
        try {
            r = assertTimeoutPreemptively(Duration.ofSeconds(30), run::get, what + ": over 30 s");
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
        String all = r.out() + r.err();
        assertNotEquals(1, r.status(), what + ": internal error\n" + all);
        assertFalse(all.contains("\tat ") || all.contains("Exception in thread") || all.contains("Exception:"), what + ": stack trace\n" + all);
        try {
            JsonNode j = JSON.readTree(r.out());
            if (j == null) {
                fail(what + ": no JSON on stdout\n" + all);
            }
            String code = r.status() == 0 ? "ok" : j.path("error").path("code").asText("?");
            synchronized (TALLY) {
                TALLY.merge(what.substring(0, what.indexOf(' ')) + " " + code, 1, Integer::sum);
            }
        } catch (java.io.IOException e) {
            fail(what + ": stdout is not one JSON value\n" + all);
        }
    }

    // ------------------------------------------------------------------ IR JSON

    static String mutateIr(String text, Random r) {
        if (text.isEmpty()) {
            return "{";
        }
        int kind = r.nextInt(8);
        switch (kind) {
            case 0 -> {             // truncate
                return text.substring(0, r.nextInt(text.length()));
            }
            case 1 -> {             // a stray byte
                int at = r.nextInt(text.length());
                return text.substring(0, at) + (char) r.nextInt(128) + text.substring(at);
            }
            case 2 -> {             // deep nesting around a value
                int depth = 1 + r.nextInt(2000);
                return replaceValue(text, r, "[".repeat(depth) + "1" + "]".repeat(depth));
            }
            case 3 -> {             // a random scalar in place of a value
                return replaceValue(text, r, SCALARS[r.nextInt(SCALARS.length)]);
            }
            case 4 -> {             // delete a key
                List<int[]> keys = keys(text);
                if (keys.isEmpty()) {
                    return text;
                }
                int[] k = keys.get(r.nextInt(keys.size()));
                return text.substring(0, k[0]) + "\"deleted_" + r.nextInt(9) + "\"" + text.substring(k[1]);
            }
            case 5 -> {             // duplicate a key
                List<int[]> keys = keys(text);
                if (keys.isEmpty()) {
                    return text;
                }
                int[] k = keys.get(r.nextInt(keys.size()));
                return text.substring(0, k[0]) + text.substring(k[0], k[1]) + ": 1, " + text.substring(k[0]);
            }
            case 6 -> {             // retype: a number as a string, a list as an object
                return text.replaceFirst("\\[\\[", r.nextBoolean() ? "{\"a\": [" : "[\"[").replaceFirst("\"(-?\\d+)\"", "$1");
            }
            default -> {            // huge or odd numbers inside the structure
                return text.replaceAll("\"input\": \\[\\d+", "\"input\": [" + (r.nextBoolean() ? "99999999999" : r.nextInt(5) - 1));
            }
        }
    }

    /** Spans of "key" tokens (a string followed by a colon). */
    static List<int[]> keys(String t) {
        List<int[]> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"[A-Za-z_]+\"\\s*:").matcher(t);
        while (m.find()) {
            int end = t.lastIndexOf('"', m.end()) + 1;
            out.add(new int[]{m.start(), end});
        }
        return out;
    }

    static String replaceValue(String t, Random r, String value) {
        var m = java.util.regex.Pattern.compile("\"-?[0-9/]+\"|-?\\d+(\\.\\d+)?").matcher(t);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[]{m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return t;
        }
        int[] s = spans.get(r.nextInt(spans.size()));
        return t.substring(0, s[0]) + value + t.substring(s[1]);
    }

    // ------------------------------------------------------------------ safetensors

    static byte[] safetensors(Random r) {
        String dtype = r.nextInt(4) == 0 ? new String[]{"F8", "I128", "", "f64", "BOOL", "U64"}[r.nextInt(6)] : "F64";
        long n = 2;
        long[] shape = {2, 1};
        if (r.nextInt(4) == 0) {
            shape = new long[]{new long[]{-1, 0, 1L << 40, 3, Integer.MAX_VALUE}[r.nextInt(5)], 1};
        }
        long begin = 0;
        long end = 16;
        if (r.nextInt(4) == 0) {
            begin = new long[]{-8, 8, 16, Long.MAX_VALUE}[r.nextInt(4)];
        }
        if (r.nextInt(4) == 0) {
            end = new long[]{0, 8, 24, 1L << 62, -1}[r.nextInt(5)];
        }
        String header = "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + shape[0] + "," + shape[1] + "],\"data_offsets\":[" + begin + ","
                + end + "]}" + (r.nextBoolean() ? ",\"__metadata__\":{\"format\":\"pt\"}" : "") + "}";
        if (r.nextInt(6) == 0) {
            header = header.substring(0, r.nextInt(header.length()));
        }
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        long len = r.nextInt(5) == 0 ? new long[]{0, -1, 1L << 40, h.length + 1, h.length - 1, 100L << 20}[r.nextInt(6)] : h.length;
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(len).put(h).putDouble(0.5).putDouble(r.nextBoolean() ? -2 : Double.NaN);
        byte[] out = b.array();
        if (r.nextInt(6) == 0) {
            out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
        }
        return out;
    }

    // ------------------------------------------------------------------ data sets

    static String csv(Random r) {
        StringBuilder sb = new StringBuilder(new String[]{"x1,y1", "y1,x1", "x1,x1", "x2,y1", "x1", "a,b", "x1,y1,y3", "\uFEFFx1,y1", ""}[r.nextInt(9)]);
        sb.append('\n');
        int rows = r.nextInt(6);
        for (int i = 0; i < rows; i++) {
            String a = r.nextInt(4) == 0 ? SCALARS[r.nextInt(SCALARS.length)] : Integer.toString(r.nextInt(9) - 4) + "/8";
            String b = r.nextInt(5) == 0 ? "" : "0.5";
            sb.append(a).append(r.nextInt(8) == 0 ? "" : "," + b).append(r.nextInt(10) == 0 ? ",7" : "").append('\n');
        }
        String s = sb.toString();
        return r.nextInt(8) == 0 ? s.substring(0, r.nextInt(s.length() + 1)) : s;
    }

    static String jsonData(Random r) {
        String x = new String[]{"[[0.5], [1]]", "[0.5, 1]", "[[0.5], [1, 2]]", "[]", "[[[0.5]]]", "{\"a\": 1}", "[[\"w1\"]]", "[[NaN]]",
                "[[1e99999]]", "[[" + SCALARS[r.nextInt(SCALARS.length)] + "]]"}[r.nextInt(10)];
        String y = new String[]{"[[1], [0]]", "[1]", "null", "[[1]]", "[]", "\"y\""}[r.nextInt(6)];
        String s = r.nextInt(5) == 0 ? "{\"x\": " + x + "}" : "{\"x\": " + x + ", \"y\": " + y + "}";
        return r.nextInt(8) == 0 ? s.substring(0, r.nextInt(s.length() + 1)) : s;
    }

    @Test
    void hostileInputsGiveCodedErrors() throws Exception {
        Random r = new Random(SEED);
        Path ex = Path.of("..", "examples").toAbsolutePath().normalize();
        List<String> examples = new ArrayList<>();
        try (var s = Files.list(ex)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                examples.add(Files.readString(p));
            }
        }
        String tent = ex.resolve("tent2.json").toString();
        for (int c = 0; c < CASES; c++) {
            Path d = Files.createDirectories(dir.resolve("case" + c));
            int kind = c % 10;
            if (kind < 6) {
                String text = examples.get(r.nextInt(examples.size()));
                int rounds = 1 + r.nextInt(3);
                for (int i = 0; i < rounds; i++) {
                    text = mutateIr(text, r);
                }
                Path f = d.resolve("model.json");
                Files.writeString(f, text);
                String label = "ir case " + c + " (seed " + SEED + "): " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
                check(label, () -> CliRun.of("validate", f.toString(), "--json"));
                check(label, () -> CliRun.of("eval", f.toString(), "--at=" + (r.nextBoolean() ? "1/3" : "1/3,1/2"), "--json"));
            } else if (kind < 8) {
                Files.write(d.resolve("w.safetensors"), safetensors(r));
                Path f = d.resolve("model.json");
                Files.writeString(f, "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": {\"file\": \"w.safetensors\", "
                        + "\"key\": \"w\"}}]}");
                String label = "safetensors case " + c + " (seed " + SEED + ")";
                check(label, () -> CliRun.of("validate", f.toString(), "--json"));
                check(label, () -> CliRun.of("eval", f.toString(), "--at=1", "--json"));
                Path data = d.resolve("w.safetensors");
                check(label + " as data", () -> CliRun.of("jacobian", tent, "--data", data.toString(), "--json"));
            } else {
                boolean asCsv = kind == 8;
                Path f = d.resolve(asCsv ? "data.csv" : "data.json");
                String text = asCsv ? csv(r) : jsonData(r);
                Files.writeString(f, text);
                String label = "data case " + c + " (seed " + SEED + "): " + text.replace("\n", "\\n");
                check(label, () -> CliRun.of("jacobian", tent, "--data", f.toString(), "--json"));
            }
        }
    }

    @AfterAll
    static void tally() {
        System.out.println("fuzz: " + CASES + " cases, seed " + SEED + ", outcomes " + TALLY);
    }

}
