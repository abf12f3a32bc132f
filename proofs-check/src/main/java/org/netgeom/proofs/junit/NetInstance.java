package org.netgeom.proofs.junit;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrWriter;

import java.util.Arrays;

/**
 * One test instance: a model, a rational input point in its domain, and where it came from
 * (generator seed and index). Its {@link #toString()} is short (JUnit shows it in test names);
 * {@link #toIr()} is the full model for failure messages.
 */
public record NetInstance(Model model, Rational[] point, long seed, int index) {

    /** The model as IR JSON, to reproduce a failure. */
    public String toIr() {
        return IrWriter.toJson(model);
    }

    /** The point as exact strings. */
    public String pointText() {
        return Arrays.toString(Arrays.stream(point).map(Rational::toString).toArray());
    }

    @Override
    public String toString() {
        return "instance " + index + " (seed " + seed + ", " + model.layers().size() + " layers, input " + model.input() + ")";
    }
}
