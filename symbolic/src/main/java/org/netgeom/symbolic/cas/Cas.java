package org.netgeom.symbolic.cas;

import org.apfloat.Apfloat;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.eval.TeXUtilities;
import org.matheclipse.core.form.output.OutputFormFactory;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IFraction;
import org.matheclipse.core.interfaces.IInteger;
import org.matheclipse.core.interfaces.IReal;
import org.matheclipse.core.interfaces.ISymbol;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one door to Symja (matheclipse-core), the computer algebra engine. No other class
 * imports {@code org.matheclipse}: callers pass Symja input text (relaxed syntax:
 * {@code Sqrt(2)}, {@code ArcCos(x)}, lists {@code {1, 2}}) and get text, LaTeX, decimals or
 * exact rationals back.
 *
 * <p>This class owns Symja's static configuration (file system access off), one
 * {@link ExprEvaluator} confined to one worker thread (Symja's engine is thread-local and not
 * thread-safe), the time limit of each evaluation, and the shutdown of that thread. Symja is
 * started lazily on first use (about a second), so commands that never need it never load it.
 *
 * <p>IR symbol names are case-sensitive and may collide with Symja's built-ins ({@code E},
 * {@code N}, {@code D}); {@link #symbol(String)} maps each to a private name {@code ngv0001},
 * and {@link #tex}/{@link #text} map the results back. Printed output must not show those IR
 * names where Symja (or a reader) would take them for built-ins: {@link #reading} says how Symja
 * reads a name, and {@code formula} renames the colliding ones (docs/ir.md, "Reserved symbol names").
 */
public final class Cas {
    /** Default time limit of one evaluation, in seconds. */
    public static final long DEFAULT_TIMEOUT_S = 120;
    private static final Pattern PRIVATE = Pattern.compile("ngv(\\d{4})");

    private static Cas instance;

    private final ExecutorService worker;
    private final ExprEvaluator eval;
    private final Map<String, String> toCas = new HashMap<>();
    private final List<String> fromCas = new ArrayList<>();

    private Cas() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netgeom-symja");
            t.setDaemon(true);
            return t;
        });
        eval = call(() -> {
            Config.FILESYSTEM_ENABLED = false;     // user expressions cannot read or write files
            return new ExprEvaluator(false, (short) 100);
        }, DEFAULT_TIMEOUT_S);
    }

    /** The shared instance, started on first use. */
    public static synchronized Cas get() {
        if (instance == null) {
            instance = new Cas();
        }
        return instance;
    }

    /** True once Symja has been started in this JVM. */
    public static synchronized boolean isStarted() {
        return instance != null;
    }

    /** Stops the Symja worker thread (tests and the command line call it at the end). */
    public static synchronized void shutdown() {
        if (instance != null) {
            instance.worker.shutdownNow();
            instance = null;
        }
    }

    /** The private Symja name of an IR symbol (stable for this instance). */
    public synchronized String symbol(String irName) {
        return toCas.computeIfAbsent(irName, k -> {
            fromCas.add(k);
            return String.format("ngv%04d", fromCas.size());
        });
    }

    /** Symja input text of an exact rational. */
    public static String of(Rational q) {
        return q.isInteger() ? (q.signum() < 0 ? "(" + q + ")" : q.toString()) : "(" + q + ")";
    }

    /** Replaces private symbol names by the IR's in Symja output. */
    public String unmap(String text) {
        return unmap(text, Map.of());
    }

    private interface Job<T> {
        T run() throws Exception;
    }

    private <T> T call(Job<T> job, long seconds) {
        Future<T> f = worker.submit(job::run);
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw SymbolicError.CAS_TIMEOUT.error("the computer algebra engine took longer than " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SymbolicError.CAS_ERROR.error("interrupted while waiting for the computer algebra engine");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetgeomException ne) {
                throw ne;
            }
            throw SymbolicError.CAS_ERROR.error("the computer algebra engine failed: " + e.getCause());
        }
    }

    /** Evaluates Symja input; the result in Symja's input form (private names kept). */
    public String eval(String input) {
        return call(() -> eval.eval(input).toString(), DEFAULT_TIMEOUT_S);
    }

    /** Evaluates Symja input; the result in Symja's input form with IR symbol names restored. */
    public String text(String input) {
        return unmap(eval(input));
    }

    /**
     * Evaluates Symja input; the result in Symja's input form on one line (the output form of
     * {@link #text} breaks long expressions into lines), with IR symbol names restored.
     */
    public String textLine(String input) {
        return unmap(evalLine(input));
    }

    /**
     * Evaluates Symja input; the result in Symja's input form on one line, private symbol names
     * kept (so that it can be fed back to {@link #eval}/{@link #evalLine}).
     */
    public String evalLine(String input) {
        return evalLine(input, DEFAULT_TIMEOUT_S);
    }

    /** {@link #evalLine(String)} with a time limit of its own. */
    public String evalLine(String input, long seconds) {
        return call(() -> {
            IExpr r = eval.eval(input);
            OutputFormFactory f = OutputFormFactory.get(true, false);
            f.setIgnoreNewLine(true);
            StringBuilder sb = new StringBuilder();
            if (!f.convert(sb, r)) {
                return r.toString().replace("\n", "");
            }
            return sb.toString();
        }, seconds);
    }

    /**
     * {@link #textLine(String)}, each IR symbol written as {@code names} gives it (symbols without
     * an entry keep their IR name).
     */
    public String textLine(String input, Map<String, String> names) {
        return unmap(evalLine(input), names);
    }

    /**
     * How Symja's parser (relaxed syntax, as {@link #eval} reads input) reads {@code name} on its
     * own: the name of the plain user symbol it becomes ({@code "ab"} for {@code Ab}: relaxed
     * syntax folds names longer than one letter to lower case), or null when Symja reads it as
     * anything else: a built-in symbol or constant ({@code Pi}, {@code E}, {@code I}, {@code N},
     * {@code gamma}, which relaxed syntax reads as {@code Gamma}), a pattern ({@code a_2}), a
     * number, or an expression. Parsing only: nothing is evaluated.
     */
    public String reading(String name) {
        return call(() -> {
            IExpr p;
            try {
                p = eval.parse(name);
            } catch (RuntimeException e) {
                return null;                       // not even an expression: certainly not a plain symbol
            }
            if (p instanceof ISymbol y && !y.isBuiltInSymbol()) {
                return y.getSymbolName();
            }
            return null;
        }, DEFAULT_TIMEOUT_S);
    }

    /** Evaluates Symja input; the result as LaTeX with IR symbol names restored. */
    public String tex(String input) {
        return tex(input, Map.of());
    }

    /** Evaluates Symja input with a time limit of its own; the result in input form (private names kept). */
    public String eval(String input, long seconds) {
        return call(() -> eval.eval(input).toString(), seconds);
    }

    /**
     * Evaluates Symja input; the result as LaTeX, each IR symbol written as {@code texNames} gives
     * it (symbols without an entry keep their IR name).
     */
    public String tex(String input, Map<String, String> texNames) {
        String t = call(() -> {
            IExpr r = eval.eval(input);
            StringWriter w = new StringWriter();
            new TeXUtilities(eval.getEvalEngine(), true).toTeX(r, w);
            return w.toString();
        }, DEFAULT_TIMEOUT_S);
        return unmap(t, texNames);
    }

    private synchronized String unmap(String text, Map<String, String> names) {
        Matcher m = PRIVATE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1)) - 1;
            String ir = i < fromCas.size() ? fromCas.get(i) : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(names.getOrDefault(ir, ir)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Evaluates Symja input that denotes a real number to {@code digits} significant digits
     * (Symja's arbitrary precision, apfloat), as a BigDecimal.
     */
    public BigDecimal decimal(String input, int digits) {
        return call(() -> {
            IExpr r = eval.eval("N(" + input + ", " + digits + ")");
            if (r instanceof IReal x) {
                Apfloat a = x.apfloatValue();
                return new BigDecimal(a.toString(true));
            }
            throw SymbolicError.CAS_ERROR.error("not a real number: " + unmap(input) + " = " + unmap(r.toString()));
        }, DEFAULT_TIMEOUT_S);
    }

    /** Evaluates Symja input that should be an exact rational; null when it is not one. */
    public Rational rational(String input) {
        return call(() -> toRational(eval.eval(input)), DEFAULT_TIMEOUT_S);
    }

    /** Evaluates Symja input that yields a list; each element as Symja input text. */
    public List<String> list(String input) {
        return call(() -> {
            IExpr r = eval.eval(input);
            List<String> out = new ArrayList<>();
            if (r.isList()) {
                for (int i = 1; i <= r.argSize(); i++) {
                    out.add(r.getAt(i).toString());
                }
            } else {
                throw SymbolicError.CAS_ERROR.error("expected a list from " + unmap(input) + ", got " + unmap(r.toString()));
            }
            return out;
        }, DEFAULT_TIMEOUT_S);
    }

    private static Rational toRational(IExpr r) {
        if (r instanceof IInteger i) {
            return Rational.of(i.toBigNumerator());
        }
        if (r instanceof IFraction q) {
            return Rational.of(q.toBigNumerator(), q.toBigDenominator());
        }
        return null;
    }
}
