package org.netgeom.notebooks.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's standard streams and display channel (jjava's {@link JupyterIO}), with the
 * attach/detach calls a kernel needs when it handles execute requests itself, and
 * {@link #flush()}: everything a cell printed is sent before its result, its error or the next
 * display, so that no output is lost or reordered (a {@code print} without a newline included).
 */
final class KernelIO extends JupyterIO {
    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    void detach(ShellReplyEnvironment env) {
        flush();
        retractEnv(env);
    }

    /** Sends what {@code System.out} and {@code System.err} hold to the notebook. */
    void flush() {
        out.flush();
        err.flush();
    }
}
