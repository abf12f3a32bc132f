package org.netgeom.notebooks;

import org.netgeom.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a {@code netgeom} command inside a notebook, so a notebook can show that the command line
 * and the Java API agree: {@code Netgeom.run("eval", "../examples/tent2.json", "--at=1/3", "--exact")}.
 * The command runs in the kernel's JVM (no new process) with its output captured.
 */
public final class Netgeom {
    private Netgeom() {
    }

    /** The outcome of one command: its exit status and what it wrote to stdout and stderr. */
    public record Run(List<String> args, int status, String out, String err) {
        /** Shown in a notebook as the command and its output, like a terminal. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("$ netgeom ").append(String.join(" ", args)).append('\n').append(out);
            if (!err.isEmpty()) {
                sb.append(out.isEmpty() || out.endsWith("\n") ? "" : "\n").append(err);
            }
            if (status != 0) {
                sb.append(sb.charAt(sb.length() - 1) == '\n' ? "" : "\n").append("(exit status ").append(status).append(')');
            }
            return sb.toString().stripTrailing();
        }
    }

    /** Runs {@code netgeom ARGS...} and returns its status and output. */
    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Run(List.of(args), status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
