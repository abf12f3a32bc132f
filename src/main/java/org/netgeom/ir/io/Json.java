package org.netgeom.ir.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.netgeom.ir.IrError;
import org.netgeom.ir.NetgeomException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads one JSON value into a Jackson tree with exact numbers: every JSON number becomes a
 * {@link BigDecimal} or {@link java.math.BigInteger} node from its text, never a double (so
 * {@code 0.1} is exactly 1/10). The non-standard tokens {@code NaN}, {@code Infinity} and
 * {@code -Infinity} are read (as double nodes), and other spellings ({@code nan}, {@code -inf},
 * {@code INFINITY}, any case and sign) are read as strings when the text is otherwise not JSON,
 * so that the IR reader can reject them as {@link IrError#IR_BAD_SCALAR} at their path instead
 * of as unreadable JSON. Truncated input,
 * trailing content and duplicate keys are {@link IrError#IR_NOT_JSON}.
 */
public final class Json {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(10_000).maxNestingDepth(500).build())
            .build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {
    }

    /** Reads a file; {@code what} names it in messages ("model", "data set"). */
    public static JsonNode read(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(FACTORY.createParser(in), file.toString());
        } catch (NetgeomException e) {
            return retryQuoted(e, e.code() == IrError.IR_NOT_JSON ? utf8(file) : null, file.toString());
        } catch (NoSuchFileException e) {
            throw IrError.IR_IO.error("no such " + what + " file: " + file);
        } catch (IOException e) {
            throw IrError.IR_IO.error("cannot read " + what + " file " + file + ": " + e.getMessage());
        }
    }

    /** Reads a string. */
    public static JsonNode read(String text) {
        try (Reader r = new StringReader(text)) {
            return read(FACTORY.createParser(r), "input");
        } catch (NetgeomException e) {
            return retryQuoted(e, e.code() == IrError.IR_NOT_JSON ? text : null, "input");
        } catch (IOException e) {
            throw IrError.IR_NOT_JSON.error("not JSON: " + e.getMessage());
        }
    }

    private static JsonNode read(JsonParser p, String source) throws IOException {
        try (p) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw IrError.IR_NOT_JSON.error(source + " is empty, expected one JSON value");
            }
            JsonNode root = value(p, t);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw IrError.IR_NOT_JSON.error(source + " has content after its JSON value " + where(p.currentLocation()));
            }
            return root;
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int cut = msg.indexOf('\n');
            throw new NetgeomException(IrError.IR_NOT_JSON, source + " is not well-formed JSON: "
                    + (cut > 0 ? msg.substring(0, cut) : msg) + " " + where(e.getLocation()), null, e);
        }
    }

    /**
     * After a failed parse: parses {@code text} again with NaN and infinity spellings quoted
     * ({@link #quoteNonFinite}), or rethrows {@code failure} when there are none or the text is
     * not JSON for another reason too (so the error keeps its original line and column).
     */
    private static JsonNode retryQuoted(NetgeomException failure, String text, String source) {
        String quoted = quoteNonFinite(text);
        if (quoted == null) {
            throw failure;
        }
        try (Reader r = new StringReader(quoted)) {
            return read(FACTORY.createParser(r), source);
        } catch (IOException | NetgeomException stillBad) {
            throw failure;
        }
    }

    /** The file's text when it is valid UTF-8 (a leading byte-order mark dropped), else null. */
    private static String utf8(Path file) {
        try {
            String t = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return t.startsWith("\uFEFF") ? t.substring(1) : t;
        } catch (IOException | OutOfMemoryError e) {
            return null;
        }
    }

    /**
     * The text with every bare word outside strings that spells NaN or an infinity in any letter
     * case and sign ({@code nan}, {@code -inf}, {@code INFINITY}; Jackson reads only {@code NaN},
     * {@code Infinity} and {@code -INF}-like forms) put in quotes, so that the IR reader rejects
     * it as {@link IrError#IR_BAD_SCALAR} at its path; null when there is no such word (the
     * original {@link IrError#IR_NOT_JSON} stands).
     */
    static String quoteNonFinite(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        boolean changed = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                int j = i + 1;
                while (j < n && text.charAt(j) != '"') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, n);
                out.append(text, i, j);
                i = j;
            } else if (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || "+-._".indexOf(text.charAt(j)) >= 0)) {
                    j++;
                }
                String word = text.substring(i, j);
                if (NON_FINITE.matcher(word).matches()) {
                    out.append('"').append(word).append('"');
                    changed = true;
                } else {
                    out.append(word);
                }
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return changed ? out.toString() : null;
    }

    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private static String where(JsonLocation loc) {
        return loc == null ? "" : "(line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
                    a.add(value(p, k));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                if (p.isNaN()) {
                    return NODES.numberNode(p.getDoubleValue());   // NaN or an infinity, rejected later
                }
                return NODES.numberNode(new BigDecimal(p.getText()));
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw IrError.IR_NOT_JSON.error("unexpected JSON token " + t + " " + where(p.currentLocation()));
        }
    }
}
