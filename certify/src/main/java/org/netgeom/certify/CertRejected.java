package org.netgeom.certify;

/**
 * A certificate that does not check (or a model the checker cannot read): {@code reason} says
 * what failed, {@code path} where (a JSON path into the result, e.g. {@code regions[3].A[0][1]},
 * or into the model, e.g. {@code layers[2].op}). The CLI prints it as
 * {@code error[CERT_REJECTED]: reason (at path)} and exits 5.
 */
public final class CertRejected extends RuntimeException {
    /** The error code the CLI reports. */
    public static final String CODE = "CERT_REJECTED";
    private final String path;

    public CertRejected(String reason, String path) {
        super(reason);
        this.path = path;
    }

    /** Where it failed (may be null). */
    public String path() {
        return path;
    }

    /** The same rejection, its path prefixed (a region's index, say). */
    CertRejected under(String prefix) {
        CertRejected e = new CertRejected(getMessage(), path == null ? prefix : prefix + (path.startsWith("[") ? "" : ".") + path);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
