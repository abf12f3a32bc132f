package org.netgeom.notebooks;

import org.netgeom.ir.ErrorCode;

/** Error codes of the notebook kernel and its display API. */
public enum NotebookError implements ErrorCode {
    /** A display helper cannot show this kind of input (an op the equation writer does not write out). */
    NOT_SUPPORTED,
    /** The input is too large to display sensibly (a layer too wide to write out unit by unit). */
    TOO_LARGE
}
