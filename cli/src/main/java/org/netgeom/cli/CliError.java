package org.netgeom.cli;

import org.netgeom.ir.ErrorCode;

/** Error codes of the command line itself. */
public enum CliError implements ErrorCode {
    /** The command line is malformed: unknown option, missing argument, bad option value. */
    USAGE,
    /** A bug: something failed that should not have (exit status 1, no stack trace unless NETGEOM_DEBUG=1). */
    INTERNAL {
        @Override
        public int exitStatus() {
            return 1;
        }
    }
}
