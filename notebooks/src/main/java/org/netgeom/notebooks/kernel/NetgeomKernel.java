package org.netgeom.notebooks.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.netgeom.notebooks.display.Display;
import org.netgeom.notebooks.display.Renderers;
import org.netgeom.notebooks.display.Rich;

import java.util.Collections;
import java.util.List;

/**
 * The netgeom Jupyter kernel: jjava's protocol layer ({@link BaseKernel}, dflib/jjava 1.0-a6)
 * with cells evaluated by JShell ({@link CellEvaluator}) in this JVM, whose class path holds every
 * netgeom module. A cell's value is shown through {@link Renderers} (LaTeX, SVG, tables for
 * netgeom's types); {@link Display#show} publishes outputs while a cell runs; a failing cell shows
 * a netgeom error as {@code error[CODE]: message (at PATH)} with the error code as its name.
 *
 * <p>Every notebook starts with {@link #IMPORTS}; importing a class loads nothing, so Symja (behind
 * {@code Cas}) loads only when a cell calls it.
 */
public final class NetgeomKernel extends BaseKernel {
    /** The imports every notebook starts with. */
    public static final List<String> IMPORTS = List.of(
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.stream.*;",
            "import org.netgeom.ir.*;",
            "import org.netgeom.ir.io.*;",
            "import org.netgeom.symbolic.exact.ExactForward;",
            "import org.netgeom.symbolic.cas.Cas;",
            "import org.netgeom.numeric.*;",
            "import org.netgeom.notebooks.Netgeom;",
            "import org.netgeom.notebooks.display.*;",
            "import static org.netgeom.notebooks.display.Display.*;");

    private final KernelIO kio;
    private final CellEvaluator cells;

    private NetgeomKernel(KernelIO io, CellEvaluator cells) {
        super("netgeom", version(), language(), List.of(new HelpLink("netgeom notebooks", "docs/notebooks.md")), null, io,
                new CommManager(), new Renderer(), null, new MagicsRegistry(), false, styler());
        this.kio = io;
        this.cells = cells;
        Display.sendTo(this::publish);
    }

    /** A kernel whose cells start with {@link #IMPORTS}. */
    public static NetgeomKernel create() {
        return new NetgeomKernel(new KernelIO(), new CellEvaluator(IMPORTS));
    }

    private static String version() {
        String v = NetgeomKernel.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    private static LanguageInfo language() {
        return new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    private static StringStyler styler() {
        return new StringStyler.Builder()
                .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                .addSecondaryStyle(TextColor.BOLD_RED_FG)
                .addHighlightStyle(TextColor.BOLD_RESET_FG)
                .build();
    }

    /** Runs the imports in the background, so that the first cell finds the compiler warm. */
    public void warmUp() {
        Thread t = new Thread(() -> {
            try {
                cells.start();
            } catch (RuntimeException e) {
                // the first cell runs the imports again and reports the failure there
            }
        }, "netgeom-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private void publish(Rich r) {
        kio.flush();                 // what the cell printed so far comes first
        io.display.display(toDisplayData(r));
    }

    static DisplayData toDisplayData(Rich r) {
        DisplayData d = new DisplayData();
        r.data().forEach(d::putData);
        return d;
    }

    @Override
    public Object evalRaw(String source) {
        CellEvaluator.Outcome o = cells.eval(source);
        return o.hasValue() ? o.value() : null;
    }

    @Override
    public DisplayData eval(String source) {
        CellEvaluator.Outcome o = cells.eval(source);
        kio.flush();
        return o.hasValue() ? toDisplayData(Renderers.render(o.value())) : null;
    }

    /**
     * Runs one cell: publishes its input, its printed output (flushed before anything that
     * follows it), its result or its error, then replies. Adapted from {@link BaseKernel}'s handler
     * so that errors carry netgeom's codes and no output stays in a buffer.
     */
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        replaceOutputStreams(env);
        kio.attach(env, request.isStdinEnabled());
        env.defer(() -> kio.detach(env));
        try {
            DisplayData out = eval(request.getCode());
            if (out != null) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Throwable t) {
            kio.flush();
            CellException e = t instanceof CellException c ? c : CellException.internal(t);
            env.publish(new PublishError(e.ename(), e.getMessage(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.ename(), e.getMessage(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int end = at;                // to the end of the name under the cursor, and into its "(" for a method (as jjava does)
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int paren = end;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) {
            paren++;
        }
        if (paren < code.length() && code.charAt(paren) == '(') {
            end = paren + 1;
        }
        List<String> docs = cells.documentation(code, end);
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEvaluator.Completions c = cells.complete(code, at);
        return c.texts().isEmpty() ? null : new ReplacementOptions(c.texts(), c.start(), at);
    }

    @Override
    public String isComplete(String code) {
        String s = cells.isComplete(code);
        return switch (s) {
            case "complete" -> IS_COMPLETE_YES;
            case "invalid" -> IS_COMPLETE_BAD;
            default -> s;
        };
    }

    @Override
    public void interrupt() {
        cells.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        cells.close();
    }

    @Override
    protected ClassLoader getClassLoader() {
        return cells.classLoader();
    }

    /** The evaluator, for tests. */
    CellEvaluator cells() {
        return cells;
    }

    @Override
    public List<String> formatError(Throwable e) {
        return e instanceof CellException c ? c.traceback() : CellException.thrown(e).traceback();
    }
}
