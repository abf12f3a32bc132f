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
    /** The input point, domain or option does not fit the model (wrong number of coordinates, empty box). */
    BAD_INPUT,
    /** The computer algebra engine ran past its time limit. */
    CAS_TIMEOUT,
    /** The computer algebra engine failed on an expression. */
    CAS_ERROR
}
