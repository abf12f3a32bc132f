package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.util.Locale;

/**
 * The squared losses whose surfaces are exactly piecewise quadratic in one layer's parameters:
 * {@code mse} is PyTorch's {@code torch.nn.MSELoss()} (reduction 'mean': the mean over all N·k
 * output entries), {@code sse} the plain sum of squares. Cross-entropy is not piecewise
 * quadratic and is refused with {@link SymbolicError#NOT_QUADRATIC}.
 */
public enum LossKind {
    /** (1/(N·k)) Σ_i ‖f(x_i) − y_i‖². */
    MSE,
    /** Σ_i ‖f(x_i) − y_i‖². */
    SSE;

    /** The loss named on the command line ({@code mse}, {@code sse}). */
    public static LossKind parse(String name) {
        String n = name == null ? "mse" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "mse", "mean_squared_error", "l2" -> {
                return MSE;
            }
            case "sse", "sum_squared_error" -> {
                return SSE;
            }
            case "ce", "cross_entropy", "crossentropy", "nll", "bce", "binary_cross_entropy", "logistic", "softmax" ->
                    throw SymbolicError.NOT_QUADRATIC.at("--loss", "the " + name + " loss is not piecewise quadratic in the "
                            + "parameters, so it has no exact loss surface; use --loss mse or --loss sse");
            default -> throw IrError.BAD_INPUT.at("--loss", "unknown loss '" + name + "'; exact surfaces take mse or sse");
        }
    }

    /** The factor in front of the sum of squares: 1/(N·k) for mse, 1 for sse. */
    public Rational scale(DataSet data) {
        return this == SSE ? Rational.ONE : Rational.of(1, (long) data.size() * data.targetWidth());
    }

    /** Checks that a data set can be used for this model's loss: non-empty, inputs and targets fit. */
    public static void requireFits(DataSet data, Model m) {
        if (data == null || data.size() == 0) {
            throw SymbolicError.EMPTY_DATA.error("the data set has no examples; a loss surface needs at least one");
        }
        data.requireInputsFit(m);
        if (data.targetWidth() == 0) {
            throw SymbolicError.EMPTY_DATA.error("the data set has no targets (y columns); a squared loss needs them");
        }
        data.requireTargets(m.output().size());
    }

    /** The loss of outputs against targets, exactly. */
    public Rational of(Rational[][] outputs, DataSet data) {
        Rational s = Rational.ZERO;
        for (int i = 0; i < outputs.length; i++) {
            Rational[] y = data.y(i);
            for (int j = 0; j < y.length; j++) {
                Rational d = outputs[i][j].subtract(y[j]);
                s = s.add(d.multiply(d));
            }
        }
        return s.multiply(scale(data));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
