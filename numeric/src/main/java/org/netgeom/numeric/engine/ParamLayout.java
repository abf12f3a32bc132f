package org.netgeom.numeric.engine;

import org.netgeom.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tensor of a compiled net lives in its flat arrays. Parameters are in PyTorch's
 * {@code model.parameters()} order for the module the bridge builds (layers in order, a
 * residual's body before its shortcut, weight before bias) and named as its
 * {@code state_dict()} keys: {@code layers.0.weight}, {@code layers.2.layers.1.bias}. Buffers
 * are batchnorm's running statistics ({@code layers.1.running_mean}, {@code running_var}).
 */
public final class ParamLayout {
    /** One tensor: its name, the IR path of its layer, shape, and place in the flat array. */
    public record Entry(String name, String layerPath, String key, Shape shape, int offset, int size) {
    }

    private final List<Entry> params = new ArrayList<>();
    private final List<Entry> buffers = new ArrayList<>();
    private int paramCount;
    private int bufferCount;

    ParamLayout() {
    }

    /** The torch-style module name of an IR path: {@code layers[2].layers[1]} → {@code layers.2.layers.1}. */
    public static String moduleName(String irPath) {
        return irPath.replace('[', '.').replace("]", "");
    }

    int addParam(String layerPath, String key, Shape shape) {
        Entry e = new Entry(moduleName(layerPath) + "." + key, layerPath, key, shape, paramCount, shape.size());
        params.add(e);
        paramCount += e.size();
        return e.offset();
    }

    int addBuffer(String layerPath, String key, Shape shape) {
        Entry e = new Entry(moduleName(layerPath) + "." + key, layerPath, key, shape, bufferCount, shape.size());
        buffers.add(e);
        bufferCount += e.size();
        return e.offset();
    }

    /** The parameters, in order. */
    public List<Entry> params() {
        return List.copyOf(params);
    }

    /** The buffers (running statistics), in order. */
    public List<Entry> buffers() {
        return List.copyOf(buffers);
    }

    /** P, the number of scalar parameters. */
    public int paramCount() {
        return paramCount;
    }

    public int bufferCount() {
        return bufferCount;
    }

    /** The name of flat parameter index i with its multi-index, e.g. {@code layers.0.weight[1][0]}. */
    public String describe(int i) {
        for (Entry e : params) {
            if (i >= e.offset() && i < e.offset() + e.size()) {
                return e.name() + org.netgeom.ir.Binder.index(i - e.offset(), e.shape().dims());
            }
        }
        throw new IndexOutOfBoundsException(i);
    }
}
