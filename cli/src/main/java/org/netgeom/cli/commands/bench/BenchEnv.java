package org.netgeom.cli.commands.bench;

/**
 * The configuration a bench prints for its reference when the reference runs in the same JVM
 * (the straightforward or brute-force algorithms): the JVM, its cores, the load at that moment.
 */
final class BenchEnv {
    private BenchEnv() {
    }

    /** "Java 17.0.15 (OpenJDK 64-Bit Server VM), 2 cores, load average 1.2". */
    static String jvm() {
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, load average " + BenchTrainCommand.loadAverage();
    }

    /** The reference's description with the JVM it runs in. */
    static String reference(String what) {
        return what + ", in this JVM: " + jvm();
    }
}
