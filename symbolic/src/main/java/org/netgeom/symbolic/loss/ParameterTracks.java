package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.NetworkProgram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data points of a loss surface as tracks of the shared polyhedral engine
 * ({@link NetworkProgram}): with θ(u) = θ0 + Σ_k u_k·d_k varying only layer L's parameters and
 * the data fixed, every value before L is a constant per data point, and L's output z(u) is affine
 * in u because L is linear in its parameters: z(u) = F_{θ0}(h) + Σ_k u_k·F_{d_k}(h) with h the
 * (constant) input of L and F_θ the layer with parameters θ (Riedi, Balestriero &amp; Baraniuk
 * 2022, §3). Each data point is one track: the affine map u ↦ z(u), followed by the layers that
 * act on z.
 *
 * <p>For L at the top level those are simply the layers after L. For L inside composites, each
 * enclosing composite C (innermost first) contributes one layer that finishes it from z, whose
 * other branch is a constant c for this data point (computed exactly here):
 * <ul>
 *   <li>residual, L in its body: {@code residual(rest of body; shortcut = constant c)}, c the
 *       shortcut's value (the identity: C's input);</li>
 *   <li>residual, L in its shortcut: {@code residual(rest of shortcut; shortcut = constant c)},
 *       c the body's value (the sum is symmetric);</li>
 *   <li>concat, L in its body: [x_C ; r] = {@code residual(concat(rest of body), select;
 *       constant [x_C ; 0])}, select a 0/1 map (dense, or a 1×1 conv for images) that drops z
 *       and keeps r.</li>
 * </ul>
 * A "constant c" is {@code flatten, dense(0, c)}: a zero weight, which the engine's sparse maps
 * drop, and c as the bias. These layers exist only inside the engine's program (its buffers are
 * flat), not as a model; the engine's leaf outputs are each data point's network output.
 *
 * <p>Patterns: a track's units are those of the varying layers in evaluation order; the units
 * before L, of a shortcut that does not contain L (after the body that does), and of a body that
 * does not contain L (before the shortcut that does) are constant per data point. Each data point
 * keeps a template of constant strings and varying counts, so that the full pattern is exactly
 * {@link ExactForward}'s (a residual's body before its shortcut).
 */
public final class ParameterTracks {
    private final NetworkProgram program;
    private final List<List<Object>> templates;

    private ParameterTracks(NetworkProgram program, List<List<Object>> templates) {
        this.program = program;
        this.templates = templates;
    }

    /** The tracks of every data point for layer {@code params} of {@code model} along {@code dirs} (in θ's order). */
    public static ParameterTracks of(Model model, LayerParams params, Rational[][] dirs, DataSet data, boolean float64) {
        for (Rational[] d : dirs) {
            if (d.length != params.size()) {
                throw SymbolicError.BAD_DIRECTION.error("a direction has " + d.length + " entries, layer " + params.path()
                        + " has " + params.size() + " parameters");
            }
        }
        LossKind.requireFits(data, model);
        int k = dirs.length;
        Rational[] theta0 = params.values();
        Model base = params.single(theta0);
        Model[] dm = new Model[k];
        for (int j = 0; j < k; j++) {
            dm[j] = params.single(dirs[j]);
        }
        // the ops after L must be piecewise linear: AffineForward says so with the right layer path
        Rational[] origin = new Rational[k];
        Arrays.fill(origin, Rational.ZERO);
        AffineForward.run(model, AffineForward.constant(data.x(0), k), k,
                new AffineForward.Target(params, theta0, dirs), AffineForward.atPoint(origin));
        Builder b = new Builder(params);
        List<NetworkProgram.Track> tracks = new ArrayList<>();
        List<List<Object>> templates = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Seg s = b.descend(model.layers(), "layers", data.x(i), model.input());
            Rational[] z0 = ExactForward.eval(base, s.h());
            Rational[][] a = new Rational[z0.length][k];
            for (int j = 0; j < k; j++) {
                Rational[] zj = ExactForward.eval(dm[j], s.h());
                for (int r = 0; r < z0.length; r++) {
                    a[r][j] = zj[r];
                }
            }
            tracks.add(new NetworkProgram.Track("data " + i, new AffineMap(a, z0), b.zShape, s.cont(), "layers"));
            templates.add(s.template());
        }
        NetworkProgram p = NetworkProgram.of(k, tracks, float64);
        for (int i = 0; i < templates.size(); i++) {
            int want = 0;
            for (Object o : templates.get(i)) {
                want += o instanceof Integer n ? n : 0;
            }
            if (want != p.trackUnits(i)) {
                throw new IllegalStateException("data point " + i + ": " + want + " varying units expected, the program has "
                        + p.trackUnits(i));
            }
        }
        return new ParameterTracks(p, templates);
    }

    /** The engine's program (one track per data point, in data order). */
    public NetworkProgram program() {
        return program;
    }

    /** Data point i's full activation pattern (ExactForward's convention) on the cell of {@code cellPattern}. */
    public String pattern(String cellPattern, int i) {
        String varying = program.trackPattern(cellPattern, i);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Object o : templates.get(i)) {
            if (o instanceof String s) {
                sb.append(s);
            } else {
                int n = (Integer) o;
                sb.append(varying, at, at + n);
                at += n;
            }
        }
        return sb.toString();
    }

    /** Every data point's pattern joined by '|' in data order (as {@code --line} writes it). */
    public String pattern(String cellPattern) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < templates.size(); i++) {
            sb.append(i > 0 ? "|" : "").append(pattern(cellPattern, i));
        }
        return sb.toString();
    }

    /** A data point's part: L's input h, the layers acting on z, and the pattern template. */
    private record Seg(Rational[] h, List<Layer> cont, List<Object> template) {
    }

    private static final class Builder {
        final String target;
        final Shape zShape;

        Builder(LayerParams params) {
            this.target = params.path();
            this.zShape = params.where().out();
        }

        Seg descend(List<Layer> ls, String prefix, Rational[] x, Shape s) {
            StringBuilder pre = new StringBuilder();
            Rational[] cur = x;
            Shape sh = s;
            for (int i = 0; i < ls.size(); i++) {
                String p = prefix + "[" + i + "]";
                Layer l = ls.get(i);
                List<Layer> after = ls.subList(i + 1, ls.size());
                if (p.equals(target)) {
                    List<Object> t = new ArrayList<>(List.of(pre.toString(), units(zShape, after)));
                    return new Seg(cur, new ArrayList<>(after), t);
                }
                if (target.startsWith(p + ".")) {
                    List<Object> t = new ArrayList<>(List.of(pre.toString()));
                    Seg inner;
                    Layer synth;
                    if (l instanceof Layer.Residual r && target.startsWith(p + ".layers[")) {
                        inner = descend(r.layers(), p + ".layers", cur, sh);
                        ExactForward.Result sc = r.shortcut() == null ? new ExactForward.Result(cur, "", false)
                                : ExactForward.run(new Model(null, sh, r.shortcut()), cur);
                        synth = new Layer.Residual(r.name(), inner.cont(), constant(sc.output()));
                        t.addAll(inner.template());
                        t.add(sc.pattern());
                    } else if (l instanceof Layer.Residual r) {
                        ExactForward.Result body = ExactForward.run(new Model(null, sh, r.layers()), cur);
                        inner = descend(r.shortcut(), p + ".shortcut", cur, sh);
                        synth = new Layer.Residual(r.name(), inner.cont(), constant(body.output()));
                        t.add(body.pattern());
                        t.addAll(inner.template());
                    } else if (l instanceof Layer.Concat c) {
                        inner = descend(c.layers(), p + ".layers", cur, sh);
                        synth = concat(c, inner.cont(), cur, sh, p);
                        t.addAll(inner.template());
                    } else {
                        throw new IllegalStateException("layer " + target + " below a " + l.op() + " at " + p);
                    }
                    Shape outC = new Model(null, sh, List.of(l)).output();
                    t.add(units(outC, after));
                    List<Layer> cont = new ArrayList<>();
                    cont.add(synth);
                    cont.addAll(after);
                    return new Seg(inner.h(), cont, t);
                }
                Model one = new Model(null, sh, List.of(l));
                ExactForward.Result r = ExactForward.run(one, cur);
                pre.append(r.pattern());
                cur = r.output();
                sh = one.output();
            }
            throw new IllegalStateException("no layer " + target + " under " + prefix);
        }

        /** The number of piecewise-linear units of {@code ls} on an input of shape s (its pattern's length). */
        static int units(Shape s, List<Layer> ls) {
            if (ls.isEmpty()) {
                return 0;
            }
            Rational[] zero = new Rational[s.size()];
            Arrays.fill(zero, Rational.ZERO);
            return ExactForward.run(new Model(null, s, ls), zero).pattern().length();
        }

        /** Layers that map z to the constant c: flatten, then a dense layer with zero weight and bias c. */
        List<Layer> constant(Rational[] c) {
            return List.of(new Layer.Flatten(null),
                    new Layer.Dense(null, Tensor.zeros(Shape.of(c.length, zShape.size())), Tensor.vector(c)));
        }

        /** [x_C ; rest(z)] from z: residual(concat(rest), select; constant [x_C ; 0]). */
        Layer concat(Layer.Concat c, List<Layer> rest, Rational[] xc, Shape xShape, String where) {
            Shape rShape = new Model(null, xShape, c.layers()).output();
            int nx = xc.length;
            int nz = zShape.size();
            int nr = rShape.size();
            Layer select;
            if (zShape.rank() == 1 && rShape.rank() == 1) {
                select = new Layer.Dense(null, Tensor.matrix(block(nx + nr, nz + nr, nx, nz, nr)), null);
            } else if (zShape.rank() == 3 && rShape.rank() == 3 && zShape.dim(1) == rShape.dim(1) && zShape.dim(2) == rShape.dim(2)) {
                int per = zShape.dim(1) * zShape.dim(2);
                int cx = nx / per;
                int cz = zShape.dim(0);
                int cr = rShape.dim(0);
                Rational[][] w = block(cx + cr, cz + cr, cx, cz, cr);
                Rational[] flat = new Rational[(cx + cr) * (cz + cr)];
                for (int i = 0; i < w.length; i++) {
                    System.arraycopy(w[i], 0, flat, i * (cz + cr), cz + cr);
                }
                select = new Layer.Conv2d(null, Tensor.of(Shape.of(cx + cr, cz + cr, 1, 1), flat), null, Layer.Hw.of(1), Layer.Hw.of(0));
            } else {
                throw IrError.BAD_INPUT.at(where, "the varying layer's output " + zShape + " and the rest of this concat's "
                        + "body " + rShape + " cannot be concatenated, so this slice of the loss is not supported; choose a layer "
                        + "whose output matches the concat's body output in all but the first dimension");
            }
            Rational[] bias = new Rational[nx + nr];
            Arrays.fill(bias, Rational.ZERO);
            System.arraycopy(xc, 0, bias, 0, nx);
            return new Layer.Residual(c.name(), List.of(new Layer.Concat(null, rest), select), constant(bias));
        }

        /** The rows × cols 0/1 matrix with the identity from (off, skip) on, nr wide: it keeps the last nr entries. */
        private static Rational[][] block(int rows, int cols, int off, int skip, int nr) {
            Rational[][] w = new Rational[rows][cols];
            for (Rational[] row : w) {
                Arrays.fill(row, Rational.ZERO);
            }
            for (int i = 0; i < nr; i++) {
                w[off + i][skip + i] = Rational.ONE;
            }
            return w;
        }
    }
}
