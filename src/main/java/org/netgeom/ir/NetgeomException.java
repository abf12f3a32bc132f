package org.netgeom.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception type of netgeom: an {@link ErrorCode}, a human message, the path of the
 * culprit inside the input (a JSON path such as {@code layers[2].weight[1][0]}, or a data-file
 * location), and optional named details that machine output carries along (for example
 * {@code found} for a budget that ran out).
 *
 * <p>The command line prints it as {@code error[CODE]: message (at PATH)} and exits with
 * {@link ErrorCode#exitStatus()}; with {@code --json} it prints
 * {@code {"error": {"code", "message", "path", ...details}}}.
 */
public class NetgeomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final String path;
    private final transient Map<String, Object> details = new LinkedHashMap<>();

    public NetgeomException(ErrorCode code, String message, String path) {
        this(code, message, path, null);
    }

    public NetgeomException(ErrorCode code, String message, String path, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.path = path == null || path.isEmpty() ? null : path;
    }

    public ErrorCode code() {
        return code;
    }

    /** The path of the culprit, or null when the error is not about one place. */
    public String path() {
        return path;
    }

    /** Named details, in insertion order (read-only view). */
    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    /** Adds a named detail and returns this exception (for {@code throw e.with("found", n)}). */
    public NetgeomException with(String key, Object value) {
        details.put(key, value);
        return this;
    }

    /** The same error with a path prefix, for errors raised below a composite (residual, concat). */
    public NetgeomException withPathPrefix(String prefix) {
        String p = path == null ? prefix : (path.startsWith("[") ? prefix + path : prefix + "." + path);
        NetgeomException e = new NetgeomException(code, getMessage(), p, getCause());
        e.details.putAll(details);
        return e;
    }

    /** {@code error[CODE]: message (at PATH)}, the command line's form. */
    public String render() {
        return "error[" + code.name() + "]: " + getMessage() + (path == null ? "" : " (at " + path + ")");
    }

    @Override
    public String toString() {
        return render();
    }
}
