package org.netgeom.cli;

import org.netgeom.ir.ErrorCode;

/** Error codes of the command line itself. */
public enum CliError implements ErrorCode {
    /** The command line is malformed: unknown option, missing argument, bad option value. */
    USAGE,
    /** Jupyter is not installed (no {@code jupyter} command, or one without {@code kernelspec}): {@code netgeom notebook install}. */
    JUPYTER_MISSING,
    /** {@code jupyter kernelspec install} failed; the message carries its output. */
    KERNELSPEC_INSTALL_FAILED,
    /** The netgeom checkout with {@code notebooks/kernel} was not found ({@code netgeom notebook install --root}). */
    NOTEBOOKS_NOT_FOUND,
    /** {@code sweep} or {@code regions --split} without the netgeom-spark module on the classpath (use the ./netgeom launcher). */
    SPARK_MISSING,
    /** A mode the command line names but netgeom does not implement yet (exit status 2). */
    NOT_IMPLEMENTED,
    /** {@code netgeom certify} (or a command's own check) rejected a certificate: exit status 5 (docs/certify.md). */
    CERT_REJECTED {
        @Override
        public int exitStatus() {
            return 5;
        }
    },
    /**
     * The JVM ran out of memory (exit status 1): the message gives the heap's size and the way
     * out (a larger {@code -Xmx} through {@code NETGEOM_JAVA_OPTS}, a smaller data set, {@code --batch}).
     */
    OUT_OF_MEMORY {
        @Override
        public int exitStatus() {
            return 1;
        }
    },
    /** A bug: something failed that should not have (exit status 1, no stack trace unless NETGEOM_DEBUG=1). */
    INTERNAL {
        @Override
        public int exitStatus() {
            return 1;
        }
    }
}
