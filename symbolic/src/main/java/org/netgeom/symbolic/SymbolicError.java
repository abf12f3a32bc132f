package org.netgeom.symbolic;

import org.netgeom.ir.ErrorCode;

/** Error codes of the exact and symbolic analyses. */
public enum SymbolicError implements ErrorCode {
    /** An op that is not piecewise affine (square, tanh, ...) where an analysis needs one that is. */
    NOT_PIECEWISE_LINEAR,
    /** A value has no exact rational form (batchnorm's √(var + eps) irrational, a smooth activation). */
    NOT_EXACT,
    /** An enumeration or search went past its budget; the error carries {@code found}. */
    BUDGET_EXCEEDED,
    /** The computer algebra engine ran past its time limit. */
    CAS_TIMEOUT,
    /** The computer algebra engine failed on an expression. */
    CAS_ERROR,
    /** A parameter-space direction does not fit the layer (wrong shape, unknown key, symbols, a bias the layer lacks). */
    BAD_DIRECTION,
    /** The chosen layer has no trainable parameters (an activation, a composite, a batchnorm without affine). */
    NO_PARAMETERS,
    /** The loss is not piecewise quadratic in the parameters (cross-entropy), so no exact surface exists. */
    NOT_QUADRATIC,
    /** The data set has no examples (or no targets where a loss needs them). */
    EMPTY_DATA,
    /** A VNN-LIB property file is malformed (unbalanced parentheses, a bad number, an undeclared variable); the message ends "at line:col". */
    SPEC_PARSE,
    /**
     * A VNN-LIB property uses a construct outside the supported subset (docs/verify.md): a non-linear
     * term, a constraint mixing inputs and outputs, an unbounded input, a variable beyond the model's
     * inputs or outputs, a strict inequality.
     */
    SPEC_UNSUPPORTED
}
