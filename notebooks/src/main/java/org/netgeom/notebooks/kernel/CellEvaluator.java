package org.netgeom.notebooks.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates notebook cells with the JDK's JShell: a cell is split into complete snippets
 * ({@link SourceCodeAnalysis#analyzeCompletion}), each is compiled and run in this JVM
 * ({@link LocalExecution}); the cell's value is the value of its last snippet when that is an
 * expression (a declaration such as {@code var m = ...} shows nothing, as in IPython).
 *
 * <p>The startup snippets (imports) run once, before the first cell or earlier in the background
 * ({@link #start()}), so that a kernel answers Jupyter at once and the first cell does not wait for
 * the compiler to warm up. One cell runs at a time.
 */
public final class CellEvaluator implements AutoCloseable {
    /** A cell's outcome: its value, when its last snippet is an expression. */
    public record Outcome(boolean hasValue, Object value) {
        static final Outcome NONE = new Outcome(false, null);
    }

    private final JShell shell;
    private final LocalExecution control;
    private final SourceCodeAnalysis analysis;
    private final List<String> startup;
    private boolean started;

    /** A JShell whose cells see this JVM's class path, with the given startup snippets. */
    public CellEvaluator(List<String> startup) {
        LocalExecution.Provider provider = new LocalExecution.Provider();
        PrintStream out = new PrintStream(new OutputStream() {        // JShell's own streams: the current System.out/err
            @Override
            public void write(int b) {
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                System.out.write(b, off, len);
            }
        }, true);
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .out(out)
                .err(out)
                .in(InputStream.nullInputStream())
                .compilerOptions("--class-path", System.getProperty("java.class.path"))
                .build();
        this.control = provider.control();
        this.analysis = shell.sourceCodeAnalysis();
        this.startup = List.copyOf(startup);
    }

    /** Runs the startup snippets unless done already (the first {@link #eval} calls it too). */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (String s : startup) {
            run(s);
        }
    }

    /**
     * Evaluates one cell.
     *
     * @throws CellException when the cell does not compile, is incomplete, or throws
     */
    public synchronized Outcome eval(String cell) {
        start();
        control.begin();
        try {
            return run(cell);
        } finally {
            control.end();
        }
    }

    private Outcome run(String cell) {
        Outcome last = Outcome.NONE;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell);
        while (info.completeness().isComplete()) {
            // without the line breaks before it: JShell takes an import whose source starts with one (every import
            // but a cell's first) as a change that replaces earlier declarations, resetting their variables to null
            last = snippet(info.source().stripLeading());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            String rest = info.remaining().trim();
            throw new CellException("IncompleteInput", "the cell ends in an incomplete statement",
                    List.of("the cell ends in an incomplete statement:", "    " + rest.replace("\n", "\n    ")), null);
        }
        return last;
    }

    private Outcome snippet(String source) {
        control.forgetValues();
        List<SnippetEvent> events = shell.eval(source);
        Outcome result = Outcome.NONE;
        // take every value first, so that none is left behind when a later event throws
        for (SnippetEvent e : events) {
            if (e.status() == Snippet.Status.OVERWRITTEN || e.value() == null || !e.snippet().subKind().isExecutable()) {
                continue;
            }
            Object v = control.take(e.value());
            if (e.causeSnippet() == null && v != LocalExecution.NO_VALUE) {
                result = switch (e.snippet().subKind()) {
                    case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> new Outcome(true, v);
                    default -> Outcome.NONE;
                };
            }
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            JShellException x = e.exception();
            if (x instanceof EvalException ee) {
                if (LocalExecution.INTERRUPTED.equals(ee.getExceptionClassName())) {
                    throw CellException.interrupted();
                }
                Throwable t = control.takeThrown();
                throw CellException.thrown(t != null ? t : ee);
            }
            if (x instanceof UnresolvedReferenceException ue) {
                throw unresolved(ue.getSnippet());
            }
            if (x != null) {
                throw CellException.thrown(x);
            }
            if (!e.status().isDefined()) {
                throw compileError(e.snippet());
            }
        }
        return result;
    }

    private CellException compileError(Snippet s) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(s).collect(Collectors.toList())) {
            String msg = d.getMessage(Locale.ROOT);
            if (first == null && d.isError()) {
                first = msg.lines().findFirst().orElse(msg);
            }
            lines.addAll(pointAt(s.source(), (int) d.getStartPosition(), (int) d.getEndPosition()));
            msg.lines().filter(l -> !l.trim().startsWith("location:")).forEach(l -> lines.add((d.isError() ? "error: " : "warning: ") + l));
            lines.add("");
        }
        if (s instanceof DeclarationSnippet ds) {
            List<String> deps = shell.unresolvedDependencies(ds).collect(Collectors.toList());
            if (!deps.isEmpty()) {
                lines.add("unresolved: " + String.join(", ", deps));
                first = first == null ? "unresolved: " + String.join(", ", deps) : first;
            }
        }
        if (first == null) {
            first = "the snippet was rejected: " + s.source().strip();
        }
        return new CellException("CompilationError", first, lines, null);
    }

    private CellException unresolved(DeclarationSnippet s) {
        List<String> deps = shell.unresolvedDependencies(s).collect(Collectors.toList());
        String msg = s.name() + " uses what is not defined yet: " + String.join(", ", deps);
        return new CellException("UnresolvedReference", msg, List.of(msg), null);
    }

    /** The source lines around [start, end) with a marker under the span (1-based line numbers). */
    static List<String> pointAt(String source, int start, int end) {
        List<String> out = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        int offset = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineEnd = offset + lines[i].length();
            String no = String.format(Locale.ROOT, "%3d | ", i + 1);
            if (start >= 0 && start <= lineEnd && end >= offset && (start >= offset || i == 0)) {
                out.add(no + lines[i]);
                int from = Math.max(start - offset, 0);
                int to = Math.max(Math.min(end, lineEnd) - offset, from + 1);
                out.add(" ".repeat(no.length() - 2) + "| " + " ".repeat(from) + "^".repeat(to - from));
            }
            offset = lineEnd + 1;
        }
        if (out.isEmpty()) {
            for (int i = 0; i < lines.length; i++) {
                out.add(String.format(Locale.ROOT, "%3d | ", i + 1) + lines[i]);
            }
        }
        return out;
    }

    /** Whether the code is complete, for Jupyter's is_complete request: "complete", "invalid", or an indent. */
    public synchronized String isComplete(String code) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case UNKNOWN -> "invalid";
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> "complete";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "  ";
        };
    }

    /** Completion suggestions at {@code cursor}: the texts and the start of the span they replace. */
    public synchronized Completions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = analysis.completionSuggestions(code, cursor, anchor);
        List<String> texts = s.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completions(texts, anchor[0]);
    }

    /** Completion texts and the start of the span they replace (up to the cursor). */
    public record Completions(List<String> texts, int start) {
    }

    /** Signature and javadoc of what is at the cursor, or an empty list. */
    public synchronized List<String> documentation(String code, int cursor) {
        return analysis.documentation(code, cursor, true).stream()
                .map(d -> d.javadoc() == null ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.toList());
    }

    /** True while a cell is being compiled or run. */
    public boolean busy() {
        return control.evaluating();
    }

    /** Stops the running cell, if any. */
    public void interrupt() {
        control.interrupt();
    }

    /** The class loader of the cells' own classes. */
    public ClassLoader classLoader() {
        return control.classLoader();
    }

    @Override
    public void close() {
        shell.close();
    }
}
