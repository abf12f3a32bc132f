package org.netgeom.spark;

import org.netgeom.cli.Extension;
import picocli.CommandLine;

/** Adds {@code sweep} and {@code bench sweep} to the netgeom command line when this module is on the classpath. */
public final class SparkExtension implements Extension {
    @Override
    public void register(CommandLine root) {
        root.addSubcommand("sweep", new SweepCommand());
        CommandLine bench = root.getSubcommands().get("bench");
        if (bench != null) {
            bench.addSubcommand("sweep", new BenchSweepCommand());
        }
    }
}
