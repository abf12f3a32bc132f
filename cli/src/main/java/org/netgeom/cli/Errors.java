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
