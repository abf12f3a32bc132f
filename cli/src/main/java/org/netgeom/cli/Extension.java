package org.netgeom.cli;

import picocli.CommandLine;

/**
 * A module that adds commands to {@code netgeom} when it is on the classpath (found with
 * {@link java.util.ServiceLoader}, {@code META-INF/services/org.netgeom.cli.Extension}): the
 * netgeom-spark module adds {@code sweep} and {@code bench sweep} this way, so that the cli module
 * and its jar do not depend on Spark.
 */
public interface Extension {
    /** Adds subcommands to the root command line (before its handlers and help options are set). */
    void register(CommandLine root);
}
