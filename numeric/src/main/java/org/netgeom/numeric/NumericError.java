package org.netgeom.numeric;

import org.netgeom.ir.ErrorCode;

/** Error codes of the float engines. */
public enum NumericError implements ErrorCode {
    /** The input does not fit the model (wrong number of values). */
    BAD_INPUT,
    /** A loss or value became NaN or infinite. */
    NON_FINITE,
    /** python3 or torch is missing for the PyTorch bridge. */
    TORCH_UNAVAILABLE,
    /** The PyTorch bridge failed. */
    TORCH_FAILED
}
