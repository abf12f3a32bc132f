package org.netgeom.symbolic.perturb;

import org.netgeom.ir.Binder;
import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.loss.AffineForward;
import org.netgeom.symbolic.linalg.QMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * The network's local map at X split into per-layer factors, A = F_L ⋯ F_1 (Riedi, Balestriero
 * &amp; Baraniuk 2022, the local linear representation of each layer): a plain factor is a dense or
 * conv layer with the element-wise layers after it, locally D_l W_l (D_l the diagonal of
 * activation slopes on X's region, batchnorm scales folded in); a residual block with an identity
 * shortcut is locally I + J_body, where J_body is its body's local map (D_l W_l for a body
 * {dense, relu}); with another shortcut S it is J_S + J_body; a concat block is [I ; J_body].
 *
 * <p>Factors start at each top-level dense, conv2d, residual or concat layer; a residual or concat
 * block is a factor on its own, and element-wise layers after it start a plain factor of their
 * own. Each factor's map is computed exactly at its own input point, with the same branch
 * convention as the whole network ({@link AffineForward#atPoint}).
 */
public final class Factors {
    private Factors() {
    }

    /** Kinds of factor. */
    public enum Kind {
        /** D_l W_l: a dense/conv layer and the element-wise layers after it. */
        PLAIN,
        /** J_S + J_body, with J_S = I for an identity shortcut. */
        RESIDUAL,
        /** [I ; J_body]. */
        CONCAT
    }

    /**
     * One factor: its layers ({@code layers[2]} or {@code layers[0..1]}), its local map
     * {@code block}, and for a residual or concat block the body's map {@code body} (null for
     * plain factors); {@code identityShortcut} for residual blocks without a shortcut list.
     */
    public record Factor(String layers, Kind kind, Rational[][] block, Rational[][] body, boolean identityShortcut) {
    }

    /** The factors of a model (no free symbols) at the input x. */
    public static List<Factor> at(Model model, Rational[] x) {
        Binder.requireNoSymbols(model);
        List<LayerShape> top = model.shapes();
        List<Factor> out = new ArrayList<>();
        Rational[] cur = x.clone();
        int i = 0;
        while (i < top.size()) {
            Layer first = top.get(i).layer();
            int j = i + 1;
            if (!(first instanceof Layer.Residual || first instanceof Layer.Concat)) {
                while (j < top.size() && !starts(top.get(j).layer())) {
                    j++;
                }
            }
            Shape in = top.get(i).in();
            List<Layer> group = new ArrayList<>();
            for (int k = i; k < j; k++) {
                group.add(top.get(k).layer());
            }
            String name = j - i == 1 ? "layers[" + i + "]" : "layers[" + i + ".." + (j - 1) + "]";
            if (first instanceof Layer.Residual r) {
                Rational[][] body = jacobian(new Model(null, in, r.layers()), cur);
                Rational[][] sc = r.shortcut() == null ? QMatrix.identity(cur.length) : jacobian(new Model(null, in, r.shortcut()), cur);
                out.add(new Factor(name, Kind.RESIDUAL, QMatrix.add(sc, body), body, r.shortcut() == null));
            } else if (first instanceof Layer.Concat c) {
                Rational[][] body = jacobian(new Model(null, in, c.layers()), cur);
                Rational[][] block = new Rational[cur.length + body.length][];
                Rational[][] id = QMatrix.identity(cur.length);
                System.arraycopy(id, 0, block, 0, id.length);
                System.arraycopy(body, 0, block, id.length, body.length);
                out.add(new Factor(name, Kind.CONCAT, block, body, false));
            } else {
                out.add(new Factor(name, Kind.PLAIN, jacobian(new Model(null, in, group), cur), null, false));
            }
            cur = ExactForward.eval(new Model(null, in, group), cur);
            i = j;
        }
        return out;
    }

    private static boolean starts(Layer l) {
        return l instanceof Layer.Dense || l instanceof Layer.Conv2d || l instanceof Layer.Residual || l instanceof Layer.Concat;
    }

    /** The local map of a (sub)model at x: the coefficient part of its affine output. */
    static Rational[][] jacobian(Model m, Rational[] x) {
        int n = x.length;
        Rational[][] out = AffineForward.run(m, AffineForward.identity(n), n, null, AffineForward.atPoint(x)).output();
        Rational[][] j = new Rational[out.length][n];
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(out[r], 1, j[r], 0, n);
        }
        return j;
    }
}
