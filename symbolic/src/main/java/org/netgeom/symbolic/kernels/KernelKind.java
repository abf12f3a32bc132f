package org.netgeom.symbolic.kernels;

import org.netgeom.ir.IrError;

/**
 * Which Gram matrix: the NNGP kernel Σ^{L+1} (Neal 1996; Lee et al. 2018), the neural tangent
 * kernel Θ^{L+1} (Jacot, Gabriel &amp; Hongler 2018), or Du, Zhai, Póczos &amp; Singh's (2019)
 * H∞_ij = x_i·x_j (π − arccos(x_i·x_j/(‖x_i‖‖x_j‖)))/(2π) of the two-layer ReLU net with a fixed
 * output layer (depth and σ's do not apply).
 */
public enum KernelKind {
    NNGP("nngp"), NTK("ntk"), H_INFINITY("h-infinity");

    /** The command line's spelling. */
    public final String cli;

    KernelKind(String cli) {
        this.cli = cli;
    }

    /** The kind spelled {@code text} ("nngp", "ntk", "h-infinity"). */
    public static KernelKind parse(String text) {
        for (KernelKind k : values()) {
            if (k.cli.equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw IrError.BAD_INPUT.at("--kind", "unknown kernel kind '" + text + "' (nngp, ntk, h-infinity)");
    }
}
