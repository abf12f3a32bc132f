package org.netgeom.cli.commands;

import org.netgeom.cli.CliError;
import picocli.CommandLine.Option;

/**
 * {@code --digits N} (a picocli mixin): the significant digits of irrational results, default 30
 * (DESIGN.md: irrational results as exact expressions where possible and decimals always).
 */
public final class DigitsOption {
    @Option(names = "--digits", defaultValue = "30", paramLabel = "N", description = "Significant digits of irrational results (default 30).")
    int digits;

    /** The value, checked to lie in 1..10000 (a coded USAGE error otherwise). */
    public int get() {
        if (digits < 1 || digits > 10_000) {
            throw CliError.USAGE.at("--digits", "--digits must be between 1 and 10000, not " + digits);
        }
        return digits;
    }
}
