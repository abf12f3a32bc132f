package org.netgeom.cli.commands.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code netgeom bench TOPIC}: benchmarks that print their figures as ratios against a reference
 * run in the same invocation (DESIGN.md: speed is measured, not asserted). Each topic is a
 * subcommand in this package, listed below.
 */
@Command(name = "bench", description = "Benchmarks, each printed as a ratio against a reference run in the same invocation.",
        subcommands = {
                RegionsBench.class,
                LossLineBench.class,
                KernelBench.class,
                BenchTrainCommand.class,
                BenchHessianCommand.class,
                LipschitzBench.class,
                VerifyBench.class,
                RangeBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
