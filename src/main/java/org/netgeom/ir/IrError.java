package org.netgeom.ir;

/** Error codes of the model IR: reading, validating and binding models, tensors and data sets. */
public enum IrError implements ErrorCode {
    /** The file is not one well-formed JSON value (truncated, trailing garbage, duplicate keys). */
    IR_NOT_JSON,
    /** {@code "netgeom"} is missing or not a version this reader knows (1). */
    IR_VERSION,
    /** A layer's {@code op} is not one of the IR's ops. */
    IR_UNKNOWN_OP,
    /** A required key is absent. */
    IR_MISSING_KEY,
    /** A scalar is not a rational, a decimal or a symbol: NaN, Infinity, 1/0, true, null, "x y". */
    IR_BAD_SCALAR,
    /** Shapes disagree: a ragged array, a weight of the wrong shape, layers that do not chain. */
    IR_SHAPE_MISMATCH,
    /** A key holds the wrong kind of value (a string where a list belongs, a stride of 0, ...). */
    IR_BAD_VALUE,
    /** A safetensors file is missing, unreadable, or its header lies about lengths or offsets. */
    IR_TENSOR_FILE,
    /**
     * A tensor reference names a file outside the model's own directory (after resolving
     * symlinks) and outside every {@code --allow-tensor-path} directory; the file is not opened.
     */
    IR_TENSOR_PATH,
    /** A free symbol's name is reserved by the computer-algebra system (Pi, E, I, N, D, ...). */
    IR_BAD_SYMBOL,
    /**
     * A data set would not fit the memory budget (estimated before it is loaded); the message
     * gives the estimate and the way out.
     */
    DATA_TOO_LARGE,
    /** An output path that would be written through a symlink leading out of its directory, or is not a file. */
    OUTPUT_PATH,
    /** A data set is malformed or does not fit the model (wrong width, no rows, bad header). */
    IR_DATA,
    /** A model still has free symbols where numbers are needed and no value was bound. */
    IR_UNBOUND_SYMBOL,
    /** A file could not be read or written. */
    IR_IO,
    /**
     * The input does not fit: a point, domain, option or data set for the model (wrong number of
     * coordinates, an empty box), or data a display helper cannot show. One code for every module
     * (the exact analyses, the float engines and the notebooks used to have one each).
     */
    BAD_INPUT
}
