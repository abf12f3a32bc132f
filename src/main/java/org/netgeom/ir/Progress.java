package org.netgeom.ir;

/**
 * Progress of long work, reported by the engines and shown by the command line (a progress bar
 * on stderr). Engines call {@link #start}, then {@link #step}/{@link #set}, then {@link #done};
 * {@link #NONE} ignores everything. Implementations must be thread-safe.
 */
public interface Progress {
    Progress NONE = new Progress() {
    };

    /** Begins a task of {@code total} units (-1 when unknown). */
    default void start(String task, long total) {
    }

    /** Advances by {@code n} units. */
    default void step(long n) {
    }

    /** Sets the number of units done. */
    default void set(long done) {
    }

    /** A short status shown beside the bar ("loss 0.0123"). */
    default void status(String text) {
    }

    /** Ends the task. */
    default void done() {
    }
}
