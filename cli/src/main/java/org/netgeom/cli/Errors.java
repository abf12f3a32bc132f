package org.netgeom.cli;

import org.netgeom.ir.NetgeomException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/**
 * Turns failures into the command line's error contract: a {@link NetgeomException} prints
 * {@code error[CODE]: message (at PATH)} on stderr (or {@code {"error": {code, message, path,
 * ...details}}} on stdout with {@code --json}) and exits with its code's status (2 for user
 * errors); a malformed command line is {@code USAGE} (exit 2); anything else is a bug:
 * {@code INTERNAL}, exit 1, with the stack trace only when {@code NETGEOM_DEBUG=1}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean json = wantsJson(parsed.originalArgs().toArray(new String[0]));
        NetgeomException e = ex instanceof NetgeomException ne ? ne : null;
        if (e == null && ex.getCause() instanceof NetgeomException ne) {
            e = ne;
        }
        if (e == null && outOfMemory(ex)) {
            if (System.getenv("NETGEOM_DEBUG") != null) {
                ex.printStackTrace(cl.getErr());
            }
            e = outOfMemoryError();
        }
        if (e == null) {
            if (System.getenv("NETGEOM_DEBUG") != null) {
                ex.printStackTrace(cl.getErr());
            }
            String what = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            e = CliError.INTERNAL.error("netgeom failed unexpectedly (" + what + "); this is a bug, please report it "
                    + "with the command line (set NETGEOM_DEBUG=1 for the stack trace)");
        }
        report(e, json, cl);
        return e.code().exitStatus();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        Throwable cause = ex.getCause();
        NetgeomException e = cause instanceof NetgeomException ne ? ne
                : CliError.USAGE.error(ex.getMessage() + " (see: netgeom " + cl.getCommandName().replace("netgeom", "").trim()
                + " --help)");
        report(e, wantsJson(args), cl);
        return e.code().exitStatus();
    }

    /** Whether {@code t} or one of its causes is an {@link OutOfMemoryError}. */
    static boolean outOfMemory(Throwable t) {
        for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** The coded error for an OutOfMemoryError, with the heap's size and the way out. */
    static org.netgeom.ir.NetgeomException outOfMemoryError() {
        long max = Runtime.getRuntime().maxMemory();
        return CliError.OUT_OF_MEMORY.error("netgeom ran out of memory (the JVM's maximum heap is "
                + org.netgeom.ir.io.MemoryBudget.human(max) + "). Give it more: NETGEOM_JAVA_OPTS=\"-Xmx"
                + Math.max(2, 2 * Math.round(max / (double) (1L << 30))) + "g\" ./netgeom ...; or use a smaller data set "
                + "(or a sample of it), or --batch B for train (mini-batches bound each step's memory)");
    }

    static boolean wantsJson(String[] args) {
        return Arrays.asList(args).contains("--json");
    }

    static void report(NetgeomException e, boolean json, CommandLine cl) {
        if (json) {
            Map<String, Object> err = JsonOut.object();
            err.put("code", e.code().name());
            err.put("message", e.getMessage());
            err.put("path", e.path());
            err.putAll(e.details());
            Map<String, Object> root = JsonOut.object();
            root.put("error", err);
            PrintWriter out = cl.getOut();
            out.println(JsonOut.write(root));
            out.flush();
        }
        PrintWriter w = cl.getErr();
        w.println(e.render());
        w.flush();
    }
}
