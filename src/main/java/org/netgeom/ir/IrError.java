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
    /** A data set is malformed or does not fit the model (wrong width, no rows, bad header). */
    IR_DATA,
    /** A model still has free symbols where numbers are needed and no value was bound. */
    IR_UNBOUND_SYMBOL,
    /** A file could not be read or written. */
    IR_IO
}
