package org.netgeom.proofs;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerShape;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact Jacobian of a piecewise-linear network's outputs with respect to its parameters by
 * forward differences, with no backward pass: ∂f/∂θ_j = (f(θ + t e_j) − f(θ))/t, exactly.
 *
 * <p>Why exact: with the activation pattern (every relu-like unit's branch, every max-pool
 * winner) frozen, each pre-activation and the output are affine in any single scalar parameter
 * (a dense or conv weight or bias, a batchnorm weight or bias enters one layer's map linearly,
 * and the layers are composed linearly). If x has the same strict pattern at θ and at θ + t e_j
 * (no pre-activation zero, {@link ExactForward.Result#onKink()} false at both), the frozen
 * pre-activations keep their strict signs along the whole segment, so f is affine on it and the
 * quotient is the derivative. t starts at 1/2^8 and is halved until the patterns agree.
 *
 * <p>Only {@link ExactForward} is used, so this is independent of the reverse-mode code
 * ({@code ExactJacobian}) and of the numeric engine: the catalog compares the two.
 * Parameters are listed as PyTorch's {@code model.parameters()} (the model's walk order; weight,
 * then bias).
 */
public final class ParamDifferences {
    private ParamDifferences() {
    }

    /** One scalar parameter: the layer's path, which tensor (weight or bias), the entry. */
    private record Slot(LayerShape at, boolean bias, int index) {
    }

    /** ∂f/∂θ at x as [outputs][parameters], or null when x sits on a kink of the network (no derivative there). */
    public static Rational[][] jacobian(Model m, Rational[] x) {
        ExactForward.Result base = ExactForward.run(m, x);
        if (base.onKink()) {
            return null;
        }
        List<Slot> slots = slots(m);
        int outs = base.output().length;
        Rational[][] j = new Rational[outs][slots.size()];
        for (int c = 0; c < slots.size(); c++) {
            Rational t = Rational.of(1, 256);
            Rational[] col = null;
            for (int halvings = 0; halvings < 200 && col == null; halvings++, t = t.multiply(Rational.HALF)) {
                ExactForward.Result moved = ExactForward.run(perturb(m, slots.get(c), t), x);
                if (!moved.onKink() && moved.pattern().equals(base.pattern())) {
                    col = new Rational[outs];
                    for (int o = 0; o < outs; o++) {
                        col[o] = moved.output()[o].subtract(base.output()[o]).divide(t);
                    }
                }
            }
            if (col == null) {
                throw new IllegalStateException("no step keeps the activation pattern of " + slots.get(c));
            }
            for (int o = 0; o < outs; o++) {
                j[o][c] = col[o];
            }
        }
        return j;
    }

    private static List<Slot> slots(Model m) {
        List<Slot> out = new ArrayList<>();
        m.walk(s -> {
            Tensor w = null;
            Tensor b = null;
            if (s.layer() instanceof Layer.Dense d) {
                w = d.weight();
                b = d.bias();
            } else if (s.layer() instanceof Layer.Conv2d c) {
                w = c.weight();
                b = c.bias();
            } else if (s.layer() instanceof Layer.BatchNorm bn) {
                w = bn.weight();
                b = bn.bias();
            }
            for (int i = 0; w != null && i < w.size(); i++) {
                out.add(new Slot(s, false, i));
            }
            for (int i = 0; b != null && i < b.size(); i++) {
                out.add(new Slot(s, true, i));
            }
        });
        return out;
    }

    private static Tensor bump(Tensor t, int i, Rational h) {
        Scalar[] v = t.rationals();
        v[i] = ((Rational) v[i]).add(h);
        return Tensor.of(t.shape(), v);
    }

    private static Model perturb(Model m, Slot s, Rational h) {
        Layer l = s.at().layer();
        Layer r;
        if (l instanceof Layer.Dense d) {
            r = s.bias() ? new Layer.Dense(d.name(), d.weight(), bump(d.bias(), s.index(), h))
                    : new Layer.Dense(d.name(), bump(d.weight(), s.index(), h), d.bias());
        } else if (l instanceof Layer.Conv2d c) {
            r = s.bias() ? new Layer.Conv2d(c.name(), c.weight(), bump(c.bias(), s.index(), h), c.stride(), c.padding())
                    : new Layer.Conv2d(c.name(), bump(c.weight(), s.index(), h), c.bias(), c.stride(), c.padding());
        } else {
            Layer.BatchNorm b = (Layer.BatchNorm) l;
            r = s.bias() ? new Layer.BatchNorm(b.name(), b.mean(), b.var(), b.weight(), bump(b.bias(), s.index(), h), b.eps())
                    : new Layer.BatchNorm(b.name(), b.mean(), b.var(), bump(b.weight(), s.index(), h), b.bias(), b.eps());
        }
        return m.replace(s.at().path(), r);
    }

    /**
     * ∂f/∂x at x as [outputs][inputs] by exact forward differences in the input (f is affine on
     * x's open region; the step is halved until x + t e_j has x's strict pattern), or null when x
     * sits on a kink.
     */
    public static Rational[][] inputJacobian(Model m, Rational[] x) {
        ExactForward.Result base = ExactForward.run(m, x);
        if (base.onKink()) {
            return null;
        }
        int outs = base.output().length;
        Rational[][] j = new Rational[outs][x.length];
        for (int c = 0; c < x.length; c++) {
            Rational t = Rational.of(1, 256);
            boolean done = false;
            for (int halvings = 0; halvings < 200 && !done; halvings++, t = t.multiply(Rational.HALF)) {
                Rational[] y = x.clone();
                y[c] = y[c].add(t);
                ExactForward.Result moved = ExactForward.run(m, y);
                if (!moved.onKink() && moved.pattern().equals(base.pattern())) {
                    for (int o = 0; o < outs; o++) {
                        j[o][c] = moved.output()[o].subtract(base.output()[o]).divide(t);
                    }
                    done = true;
                }
            }
            if (!done) {
                throw new IllegalStateException("no step keeps the activation pattern along input " + c);
            }
        }
        return j;
    }
}
