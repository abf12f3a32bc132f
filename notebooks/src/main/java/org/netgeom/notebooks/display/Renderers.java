package org.netgeom.notebooks.display;

import org.netgeom.cli.commands.ValidateCommand;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How a value is shown when it is a cell's result or passed to {@link Display#show}. In order:
 * <ol>
 *   <li>a {@link Rich} bundle as it is;</li>
 *   <li>a renderer registered for the value's class or a supertype ({@link #register}); netgeom's
 *       own types are registered here: {@link Rational} (LaTeX fraction), {@code Rational[]},
 *       {@link Tensor} (LaTeX matrix), {@link Model} (a table of layers and shapes),
 *       {@link ExactForward.Result} (output, activation pattern, kink), {@link Table};</li>
 *   <li>an XChart chart, drawn as SVG;</li>
 *   <li>the display methods of the value's class, named after IPython's {@code _repr_*_}
 *       protocol: public no-argument {@code String reprHtml()}, {@code reprMarkdown()},
 *       {@code reprLatex()}, {@code reprSvg()} — a result type in any module can show itself
 *       richly without depending on this one;</li>
 *   <li>otherwise its plain text ({@link Cells#text}).</li>
 * </ol>
 * Every bundle has {@code text/plain}. Nothing here loads Symja.
 */
public final class Renderers {
    private static final Map<Class<?>, Function<Object, Rich>> BY_TYPE = new ConcurrentHashMap<>();
    private static final String XCHART = "org.knowm.xchart.internal.chartpart.Chart";
    private static final String[][] REPR = {
            {"reprHtml", Rich.HTML}, {"reprMarkdown", Rich.MARKDOWN}, {"reprLatex", Rich.LATEX}, {"reprSvg", Rich.SVG}};

    static {
        register(Table.class, Table::rich);
        register(Rational.class, q -> Rich.of(q.toString(), Rich.LATEX, "$" + Latex.rational(q) + "$"));
        register(Rational[].class, v -> Rich.of(Cells.text(v), Rich.LATEX, v.length <= Latex.MAX_MATRIX * Latex.MAX_MATRIX
                ? "$" + Latex.vector(v) + "$" : null));
        register(Tensor.class, Renderers::tensor);
        register(Model.class, Renderers::model);
        register(ExactForward.Result.class, Renderers::exact);
        register(NetgeomException.class, e -> Rich.text(e.render()));
    }

    private Renderers() {
    }

    /** Shows values of {@code type} (and its subtypes) with {@code f}; a later registration replaces an earlier one. */
    @SuppressWarnings("unchecked")
    public static <T> void register(Class<T> type, Function<? super T, Rich> f) {
        BY_TYPE.put(type, v -> ((Function<Object, Rich>) f).apply(v));
    }

    /** The rich form of a value. */
    public static Rich render(Object v) {
        if (v == null) {
            return Rich.text("null");
        }
        if (v instanceof Rich r) {
            return r;
        }
        Function<Object, Rich> f = lookup(v.getClass());
        if (f != null) {
            return f.apply(v);
        }
        if (isA(v.getClass(), XCHART)) {
            return Rich.of("[chart]", Rich.SVG, Charts.svg(v));
        }
        Rich r = reprMethods(v);
        return r != null ? r : Rich.text(Cells.text(v));
    }

    private static Function<Object, Rich> lookup(Class<?> c) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            Function<Object, Rich> f = BY_TYPE.get(k);
            if (f != null) {
                return f;
            }
            todo.addAll(List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (seen.add(i)) {
                Function<Object, Rich> f = BY_TYPE.get(i);
                if (f != null) {
                    return f;
                }
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return null;
    }

    private static boolean isA(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Rich reprMethods(Object v) {
        List<String> pairs = new ArrayList<>();
        for (String[] r : REPR) {
            try {
                Method m = v.getClass().getMethod(r[0]);
                if (m.getReturnType() != String.class) {
                    continue;
                }
                if (!m.canAccess(v)) {
                    m.setAccessible(true);
                }
                String s = (String) m.invoke(v);
                if (s != null) {
                    pairs.add(r[1]);
                    pairs.add(r[1].equals(Rich.LATEX) ? Display.math(s) : s);
                }
            } catch (NoSuchMethodException e) {
                // the class does not offer this form
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable c = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof RuntimeException re) {
                    throw re;            // the value's own display failed: say so, as the cell's error
                }
                throw new IllegalStateException(r[0] + "() of " + v.getClass().getName() + " failed: " + c, c);
            }
        }
        return pairs.isEmpty() ? null : Rich.of(Cells.text(v), pairs.toArray(new String[0]));
    }

    private static Rich tensor(Tensor t) {
        String plain = "Tensor" + t.shape() + " " + Cells.text(t);
        int[] d = t.shape().dims();
        boolean small = d.length <= 2 && (d.length == 0 || d[0] <= Latex.MAX_MATRIX) && (d.length < 2 || d[1] <= Latex.MAX_MATRIX);
        return small ? Rich.of(plain, Rich.LATEX, "$" + Latex.matrix(t) + "$") : Rich.text(plain);
    }

    private static Rich model(Model m) {
        Table t = Table.of("layer", "op", "name", "input", "output");
        m.walk(s -> t.row(s.path(), s.layer().op(), s.layer().name() == null ? "" : s.layer().name(), s.in(), s.out()));
        t.caption("model " + (m.name() == null ? "(unnamed)" : m.name()) + ": input " + m.input() + " → output " + m.output()
                + ", " + m.parameterCount() + " parameters" + (m.symbols().isEmpty() ? "" : ", free symbols " + String.join(", ", m.symbols()))
                + (m.isPiecewiseLinear() ? ", piecewise linear" : ", not piecewise linear"));
        return Rich.of(ValidateCommand.human(m), Rich.HTML, t.reprHtml(), Rich.MARKDOWN, t.reprMarkdown());
    }

    private static Rich exact(ExactForward.Result r) {
        Table t = Table.of("output (exact)", "activation pattern", "on a kink");
        t.row(r.output(), r.pattern().isEmpty() ? "-" : r.pattern(), r.onKink() ? "yes" : "no");
        String plain = "f = " + Cells.text(r.output()) + "   (exact; activation pattern " + (r.pattern().isEmpty() ? "-" : r.pattern())
                + (r.onKink() ? ", on a region boundary" : "") + ")";
        return Rich.of(plain, Rich.HTML, t.reprHtml(), Rich.MARKDOWN, t.reprMarkdown());
    }
}
