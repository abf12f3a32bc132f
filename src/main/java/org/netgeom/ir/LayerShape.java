package org.netgeom.ir;

import java.util.List;

/**
 * A layer with its place in the model and its inferred input and output shapes; composite
 * layers carry the same for their inner {@code layers} ({@link #body}) and, for residual, its
 * {@link #shortcut} (empty for the identity shortcut).
 */
public record LayerShape(Layer layer, IrPath path, Shape in, Shape out, List<LayerShape> body,
                         List<LayerShape> shortcut) {
}
