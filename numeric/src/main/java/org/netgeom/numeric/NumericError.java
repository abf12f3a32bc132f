package org.netgeom.numeric;

import org.netgeom.ir.ErrorCode;

/** Error codes of the float engines. */
public enum NumericError implements ErrorCode {
    /** A loss or value became NaN or infinite. */
    NON_FINITE,
    /** python3 or torch is missing for the PyTorch bridge. */
    TORCH_UNAVAILABLE,
    /** The PyTorch bridge failed. */
    TORCH_FAILED,
    /** The data's targets do not fit the loss (width, class indices out of range). */
    BAD_TARGETS,
    /** An option value is out of range (learning rate, betas, batch size, steps, ...). */
    BAD_OPTION,
    /** The engine refuses an operation on this model (e.g. second derivatives through training-mode batchnorm). */
    OP_REFUSED,
    /** A checkpoint is unreadable or belongs to another run (other model, data or settings). */
    CHECKPOINT,
    /** python3 or its onnx package is missing for ONNX import. */
    ONNX_UNAVAILABLE,
    /** The ONNX model uses an op (or an op's setting) that netgeom's IR cannot express. */
    ONNX_UNSUPPORTED,
    /** The file is not a valid ONNX model. */
    ONNX_INVALID
}
