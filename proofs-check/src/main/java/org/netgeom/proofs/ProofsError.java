package org.netgeom.proofs;

import org.netgeom.ir.ErrorCode;

/** Error codes of the theorem catalog. */
public enum ProofsError implements ErrorCode {
    /** No theorem with that id. */
    UNKNOWN_THEOREM,
    /** A {@code --param} the theorem does not have. */
    UNKNOWN_PARAM,
    /** {@code --model} given to a theorem that is not about a given network, or a model it cannot take. */
    MODEL_NOT_APPLICABLE
}
