package org.netgeom.ir;

/**
 * An error code: a stable, machine-readable name for one kind of failure. Each module family
 * has one enum of codes implementing this interface ({@link IrError} here); tests and scripts
 * match codes, never message text.
 */
public interface ErrorCode {
    /** The code as printed, e.g. {@code IR_SHAPE_MISMATCH}. */
    String name();

    /**
     * The process exit status the command line uses for this code: 2 for errors in the user's
     * input (the default), 1 for internal failures.
     */
    default int exitStatus() {
        return 2;
    }

    /** A new exception carrying this code, the JSON path of the culprit (or null) and a message. */
    default NetgeomException at(String path, String message) {
        return new NetgeomException(this, message, path);
    }

    /** A new exception carrying this code and a message, with no path. */
    default NetgeomException error(String message) {
        return new NetgeomException(this, message, null);
    }
}
