package org.netgeom.ir;

/**
 * Where a tensor was read from when it was not written inline: a safetensors file (as the IR
 * names it, relative to the IR file), the key inside it, and the stored dtype. The writer uses
 * it to keep references instead of inlining large tensors.
 */
public record TensorSource(String file, String key, String dtype) {
}
