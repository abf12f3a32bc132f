package org.netgeom.symbolic.loss;

import org.netgeom.ir.Binder;
import org.netgeom.ir.IrError;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Symbol;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables u of a loss cell or a weight perturbation: layer L's parameters are
 * θ(u) = base + Σ_k u_k·dirs[k], at the point u0. For a model without free symbols the variables
 * are L's parameters themselves (all of them, or the weights only); for a model whose layer L
 * holds free symbols they are those symbols (each entry holding symbol s moves with u_s, the
 * other entries stay fixed), so the quadratic comes out in the model's own symbols.
 */
public final class Variables {
    private final Model model;
    private final LayerParams params;
    private final Rational[] base;
    private final Rational[][] dirs;
    private final Rational[] point;
    private final List<String> names;
    private final List<String> texNames;
    private final boolean symbolic;

    private Variables(Model model, LayerParams params, Rational[] base, Rational[][] dirs, Rational[] point,
                      List<String> names, List<String> texNames, boolean symbolic) {
        this.model = model;
        this.params = params;
        this.base = base;
        this.dirs = dirs;
        this.point = point;
        this.names = names;
        this.texNames = texNames;
        this.symbolic = symbolic;
    }

    /**
     * The variables of layer {@code selector} in a model that may hold free symbols.
     * {@code bindings} must give every symbol a value; symbols of layer L become the variables
     * (their values are the point u0), all others are substituted. Without symbols in L the
     * variables are L's parameters ({@code weightsOnly}: the weights, the bias staying fixed).
     */
    public static Variables of(Model model, String selector, Map<String, Rational> bindings, boolean weightsOnly) {
        LayerShape where = model.locate(selector);
        LayerParams p0 = LayerParams.of(where);
        Set<String> inL = new LinkedHashSet<>();
        for (Scalar s : p0.scalars()) {
            if (s instanceof Symbol y) {
                inL.add(y.name());
            }
        }
        Map<String, Rational> outside = new HashMap<>(bindings);
        outside.keySet().removeAll(inL);
        Model bound = Binder.bind(model, outside);
        // every symbol left must sit in L (else it is unbound, or shared with another layer)
        Set<String> left = bound.symbols();
        left.removeAll(inL);
        if (!left.isEmpty()) {
            String s = left.iterator().next();
            throw IrError.IR_UNBOUND_SYMBOL.error("free symbol '" + s + "' has no value; bind it (for example --bind " + s + "=1/2)");
        }
        for (String s : inL) {
            if (!bindings.containsKey(s)) {
                throw IrError.BAD_INPUT.at("--bind", "the cell is taken at a point: give the symbol '" + s + "' of layer "
                        + where.path() + " a value with --bind " + s + "=...");
            }
        }
        LayerParams p = LayerParams.of(byPath(bound, where.path().toString()));
        checkNotShared(bound, where, inL);
        Scalar[] theta = p.scalars();
        int n = theta.length;
        if (!inL.isEmpty()) {
            List<String> syms = new ArrayList<>(inL);
            Rational[] base = new Rational[n];
            Rational[][] dirs = new Rational[syms.size()][n];
            Map<String, Integer> idx = new LinkedHashMap<>();
            for (int k = 0; k < syms.size(); k++) {
                idx.put(syms.get(k), k);
                java.util.Arrays.fill(dirs[k], Rational.ZERO);
            }
            for (int i = 0; i < n; i++) {
                if (theta[i] instanceof Symbol y) {
                    base[i] = Rational.ZERO;
                    dirs[idx.get(y.name())][i] = Rational.ONE;
                } else {
                    base[i] = (Rational) theta[i];
                }
            }
            Rational[] u0 = new Rational[syms.size()];
            for (int k = 0; k < u0.length; k++) {
                u0[k] = bindings.get(syms.get(k));
            }
            return new Variables(bound, p, base, dirs, u0, syms, syms, true);
        }
        Rational[] values = p.values();
        List<String> all = p.names();
        List<String> tex = p.texNames();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!weightsOnly || !p.isBias(i)) {
                chosen.add(i);
            }
        }
        Rational[] base = values.clone();
        Rational[][] dirs = new Rational[chosen.size()][n];
        Rational[] u0 = new Rational[chosen.size()];
        List<String> nm = new ArrayList<>();
        List<String> tx = new ArrayList<>();
        for (int k = 0; k < chosen.size(); k++) {
            int i = chosen.get(k);
            base[i] = Rational.ZERO;
            java.util.Arrays.fill(dirs[k], Rational.ZERO);
            dirs[k][i] = Rational.ONE;
            u0[k] = values[i];
            nm.add(all.get(i));
            tx.add(tex.get(i));
        }
        return new Variables(bound, p, base, dirs, u0, nm, tx, false);
    }

    /**
     * Variables along directions of layer {@code selector}'s parameter space: θ(u) = θ0 + Σ_k u_k·dirs[k]
     * (θ0 the current parameters, the model without free symbols), at the point u0; named
     * u1, u2, …. With one direction this is {@code --line}'s t; with two, a plane's (a, b), whose
     * cells {@link LossCell#compute} describes one at a time (inequalities in (a, b) and the
     * bivariate quadratic), for a cell enumeration to call at each cell's witness.
     */
    public static Variables along(Model model, String selector, Rational[][] dirs, Rational[] u0) {
        Binder.requireNoSymbols(model);
        LayerParams p = LayerParams.of(model, selector);
        for (Rational[] d : dirs) {
            if (d.length != p.size()) {
                throw SymbolicError.BAD_DIRECTION.error("a direction has " + d.length + " entries, layer " + p.path() + " has "
                        + p.size() + " parameters");
            }
        }
        if (u0.length != dirs.length) {
            throw new IllegalArgumentException(u0.length + " coordinates for " + dirs.length + " directions");
        }
        List<String> names = new ArrayList<>();
        List<String> tex = new ArrayList<>();
        for (int k = 1; k <= dirs.length; k++) {
            names.add("u" + k);
            tex.add("u_{" + k + "}");
        }
        Rational[][] dc = new Rational[dirs.length][];
        for (int k = 0; k < dirs.length; k++) {
            dc[k] = dirs[k].clone();
        }
        return new Variables(model, p, p.values(), dc, u0.clone(), names, tex, false);
    }

    /** The layer at an IR path ({@code layers[3].layers[1]}). */
    static LayerShape byPath(Model m, String path) {
        LayerShape[] found = new LayerShape[1];
        m.walk(s -> {
            if (s.path().toString().equals(path)) {
                found[0] = s;
            }
        });
        if (found[0] == null) {
            throw new IllegalStateException("no layer at " + path);
        }
        return found[0];
    }

    private static void checkNotShared(Model bound, LayerShape where, Set<String> inL) {
        if (inL.isEmpty()) {
            return;
        }
        String target = where.path().toString();
        bound.walk(s -> {
            if (s.path().toString().equals(target)) {
                return;
            }
            Binder.scalarsOf(s.layer(), (w, sc) -> {
                if (sc instanceof Symbol y && inL.contains(y.name())) {
                    throw IrError.BAD_INPUT.at(s.path() + "." + w, "symbol '" + y.name() + "' appears in layer " + target
                            + " and in " + s.path() + "; the loss is quadratic only in the parameters of one layer, so bind it");
                }
            });
        });
    }

    /** The model with every symbol outside layer L bound. */
    public Model model() {
        return model;
    }

    public LayerParams params() {
        return params;
    }

    /** The number of variables. */
    public int size() {
        return dirs.length;
    }

    /** The point u0 (current parameters, or the bound symbol values). */
    public Rational[] point() {
        return point.clone();
    }

    /** Variable names: parameter names ({@code weight[0][1]}) or the model's symbols. */
    public List<String> names() {
        return names;
    }

    /** LaTeX names of the variables. */
    public List<String> texNames() {
        return texNames;
    }

    /** True when the variables are the model's free symbols. */
    public boolean symbolic() {
        return symbolic;
    }

    /** L's parameters θ(u) = base + Σ u_k dirs[k]. */
    public Rational[] theta(Rational[] u) {
        Rational[] t = base.clone();
        for (int k = 0; k < dirs.length; k++) {
            if (u[k].isZero()) {
                continue;
            }
            for (int i = 0; i < t.length; i++) {
                if (!dirs[k][i].isZero()) {
                    t[i] = t[i].add(dirs[k][i].multiply(u[k]));
                }
            }
        }
        return t;
    }

    /** The model with layer L set to θ(u) (no free symbols left). */
    public Model at(Rational[] u) {
        return params.in(model, theta(u));
    }

    /** The target description for {@link AffineForward}. */
    public AffineForward.Target target() {
        return new AffineForward.Target(params, base, dirs);
    }
}
