package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Progress;

/**
 * How to compute a kernel: decimals correct to {@code digits} significant digits, exact
 * expressions ({@code closedForm}, through Symja), Gauss–Hermite {@code nodes} for activations
 * without a closed form, and where to report progress.
 */
public record KernelOptions(int digits, boolean closedForm, int nodes, Progress progress) {
    /** The largest number of digits accepted. */
    public static final int MAX_DIGITS = 1000;

    public KernelOptions {
        if (digits < 1 || digits > MAX_DIGITS) {
            throw IrError.BAD_INPUT.at("--digits", "digits must be between 1 and " + MAX_DIGITS + ", not " + digits);
        }
        if (nodes < 2 || nodes > 400) {
            throw IrError.BAD_INPUT.at("--nodes", "Gauss-Hermite nodes must be between 2 and 400, not " + nodes);
        }
        progress = progress == null ? Progress.NONE : progress;
    }

    /** 30 digits, no closed forms, 128 Gauss–Hermite nodes, no progress. */
    public static KernelOptions defaults() {
        return new KernelOptions(30, false, DoubleKernels.DEFAULT_NODES, Progress.NONE);
    }

    public KernelOptions withDigits(int d) {
        return new KernelOptions(d, closedForm, nodes, progress);
    }

    public KernelOptions withClosedForm(boolean c) {
        return new KernelOptions(digits, c, nodes, progress);
    }

    public KernelOptions withNodes(int k) {
        return new KernelOptions(digits, closedForm, k, progress);
    }

    public KernelOptions withProgress(Progress p) {
        return new KernelOptions(digits, closedForm, nodes, p);
    }
}
