package org.netgeom.notebooks.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a notebook shows for one output: the same content in one or more MIME types (Jupyter's
 * "mime bundle"), for example {@code text/latex} with a {@code text/plain} fallback. A front end
 * shows the richest type it can; a code host shows the saved bundle the same way. Every bundle
 * has {@code text/plain}.
 */
public final class Rich {
    public static final String PLAIN = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String LATEX = "text/latex";
    public static final String SVG = "image/svg+xml";

    private final Map<String, String> data;

    private Rich(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    /** Plain text only. */
    public static Rich text(String text) {
        return new Rich(Map.of(PLAIN, Objects.requireNonNull(text)));
    }

    /** A bundle of {@code mime -> content} pairs; {@code text/plain} is added from {@code plain}. */
    public static Rich of(String plain, String... mimeAndContent) {
        if (mimeAndContent.length % 2 != 0) {
            throw new IllegalArgumentException("MIME types and contents come in pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < mimeAndContent.length; i += 2) {
            if (mimeAndContent[i + 1] != null) {
                m.put(mimeAndContent[i], mimeAndContent[i + 1]);
            }
        }
        m.put(PLAIN, Objects.requireNonNull(plain));
        return new Rich(m);
    }

    /** The content for each MIME type, in insertion order ({@code text/plain} last). */
    public Map<String, String> data() {
        return data;
    }

    /** The content of one MIME type, or null. */
    public String get(String mime) {
        return data.get(mime);
    }

    /** The plain-text form. */
    public String plain() {
        return data.get(PLAIN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rich r && r.data.equals(data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    @Override
    public String toString() {
        return plain();
    }
}
