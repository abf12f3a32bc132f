package org.netgeom.notebooks.kernel;

import org.netgeom.ir.NetgeomException;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell that failed, as Jupyter shows it: {@link #ename()} (a netgeom error code such as
 * {@code IR_IO}, {@code CompilationError}, or the simple name of the exception the cell threw),
 * {@link #getMessage()} (for netgeom errors the command line's {@code error[CODE]: message (at
 * PATH)}) and {@link #traceback()} (the lines of the error output: compiler diagnostics under the
 * code they point at, or the exception with the frames of the cell and of netgeom, not the
 * kernel's own).
 */
public final class CellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String ename;
    private final transient List<String> traceback;

    CellException(String ename, String message, List<String> traceback, Throwable cause) {
        super(message, cause);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name as Jupyter shows it. */
    public String ename() {
        return ename;
    }

    /** The lines Jupyter shows under the error. */
    public List<String> traceback() {
        return traceback;
    }

    /** The Jupyter form of an exception a cell threw. */
    static CellException thrown(Throwable t) {
        List<String> lines = new ArrayList<>();
        String ename;
        String message;
        if (t instanceof NetgeomException n) {
            ename = n.code().name();
            message = n.render();
        } else {
            ename = t.getClass().getSimpleName();
            message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        }
        lines.add(t instanceof NetgeomException n ? n.render() : t.toString());
        addFrames(t, lines, "");
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            lines.add("caused by: " + c);
            addFrames(c, lines, "");
        }
        return new CellException(ename, message, lines, t);
    }

    private static void addFrames(Throwable t, List<String> lines, String indent) {
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("REPL.")) {
                lines.add(indent + "    at the cell");
                break;                 // below the cell's own frame lies only the kernel
            }
            if (c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                    || c.startsWith("org.netgeom.notebooks.kernel.") || c.startsWith("java.util.concurrent.")) {
                continue;
            }
            lines.add(indent + "    at " + f);
        }
    }

    /** A cell that stopped on an interrupt request. */
    static CellException interrupted() {
        return new CellException("Interrupted", "the cell was interrupted", List.of("the cell was interrupted"), null);
    }

    /** A failure of the kernel itself, not of the cell's code. */
    static CellException internal(Throwable t) {
        List<String> lines = new ArrayList<>();
        lines.add("internal error of the netgeom kernel: " + t);
        for (StackTraceElement f : t.getStackTrace()) {
            lines.add("    at " + f);
        }
        return new CellException("KernelError", String.valueOf(t), lines, t);
    }
}
