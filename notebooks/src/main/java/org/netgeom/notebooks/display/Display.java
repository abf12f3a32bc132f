package org.netgeom.notebooks.display;

import org.netgeom.ir.IrError;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The display API of netgeom notebooks. Each method returns what a notebook shows; as a cell's
 * last expression it is shown as the cell's result, and {@link #show(Object)} shows a value at
 * once (several outputs from one cell, or output from inside a loop). The kernel imports these
 * methods statically into every notebook, so a cell writes {@code latex("t(x) = ...")}.
 *
 * <ul>
 *   <li>{@link #latex(String)}: a formula as {@code text/latex};</li>
 *   <li>{@link #svg(String)}: a drawing as {@code image/svg+xml} (see {@link SvgPlot} for x-y plots);</li>
 *   <li>{@link #table(String...)}: a {@link Table} (HTML, Markdown and plain text);</li>
 *   <li>{@link #plot(String)}: an x-y plot, heat map and polygons ({@link SvgPlot});
 *       {@link #regions}: the picture of an exact region enumeration;</li>
 *   <li>{@link #markdown(String)}, {@link #html(String)}, {@link #text(String)};</li>
 *   <li>{@link #rich(Object)}: how any value shows (netgeom types render themselves, see {@link Renderers}).</li>
 * </ul>
 */
public final class Display {
    private static volatile Consumer<Rich> sink = r -> System.out.println(r.plain());

    private Display() {
    }

    /**
     * A formula, shown by MathJax: math-mode LaTeX is wrapped in {@code $$ ... $$} unless it is
     * already delimited ({@code $...$}, {@code $$...$$}, {@code \[...\]} or an environment
     * {@code \begin{...}}). Plain text shows the LaTeX source.
     */
    public static Rich latex(String tex) {
        Objects.requireNonNull(tex, "tex");
        return Rich.of(tex.strip(), Rich.LATEX, math(tex));
    }

    /** Math-mode LaTeX delimited for {@code text/latex} ({@code $$ ... $$} unless already delimited). */
    public static String math(String tex) {
        String t = tex.strip();
        if (t.startsWith("$") || t.startsWith("\\[") || t.startsWith("\\(")) {
            return t;
        }
        return "$$" + t + "$$";
    }

    /** An SVG drawing; {@code alt} is its plain-text stand-in. */
    public static Rich svg(String svg, String alt) {
        Objects.requireNonNull(svg, "svg");
        String head = svg.stripLeading();
        if (!(head.startsWith("<svg") || head.startsWith("<?xml")) || !svg.contains("<svg")) {
            throw IrError.BAD_INPUT.error("this is not an SVG document (it should start with <svg or <?xml): "
                    + head.substring(0, Math.min(40, head.length())));
        }
        return Rich.of(alt == null ? "[SVG image]" : alt, Rich.SVG, svg);
    }

    /** An SVG drawing. */
    public static Rich svg(String svg) {
        return svg(svg, null);
    }

    /** Markdown text. */
    public static Rich markdown(String md) {
        return Rich.of(md, Rich.MARKDOWN, md);
    }

    /** An HTML fragment; {@code plain} is its plain-text stand-in. */
    public static Rich html(String html, String plain) {
        return Rich.of(plain, Rich.HTML, html);
    }

    /** An HTML fragment. */
    public static Rich html(String html) {
        return html(html, html);
    }

    /** Plain text. */
    public static Rich text(String text) {
        return Rich.text(text);
    }

    /** A table with these column headers; add rows with {@link Table#row}. */
    public static Table table(String... headers) {
        return Table.of(headers);
    }

    /** A new x-y plot drawn as SVG. */
    public static SvgPlot plot(String title) {
        return SvgPlot.of(title);
    }

    /** An XChart chart (as the command line draws them) as SVG. */
    public static Rich chart(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return Rich.of("[chart]", Rich.SVG, Charts.svg(chart));
    }

    /**
     * The picture of an exact region enumeration, as {@code netgeom regions --plot} draws it: in 2-D the
     * activation regions filled by affine piece, with the decision boundary; in 1-D the graph and its
     * breakpoints. {@code vars} name the axes (default x1, x2, or t1, t2 on a slice).
     */
    public static Rich regions(org.netgeom.symbolic.regions.RegionSet rs, String title, String... vars) {
        return RegionPictures.of(rs, title, vars);
    }

    /** How a value shows (see {@link Renderers}). */
    public static Rich rich(Object value) {
        return Renderers.render(value);
    }

    /** Shows a value now, as an output of the running cell. */
    public static void show(Object value) {
        sink.accept(Renderers.render(value));
    }

    /** Shows several values now, each as its own output. */
    public static void show(Object first, Object... more) {
        show(first);
        for (Object v : more) {
            show(v);
        }
    }

    /**
     * Where {@link #show} sends outputs: the kernel installs its display channel here; outside a
     * kernel (tests, plain Java) the plain text goes to {@code System.out}.
     */
    public static void sendTo(Consumer<Rich> target) {
        sink = Objects.requireNonNull(target);
    }
}
