package org.netgeom.numeric.engine;

import org.netgeom.ir.Layer;
import org.netgeom.ir.LayerVisitor;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.TensorSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes a net's flat parameters and buffers back into its model's layers (double-backed tensors). */
final class NetExport implements LayerVisitor<Layer> {
    private final Map<String, int[]> offsets;
    private final double[] params;
    private final double[] buffers;
    private final String file;
    private final Map<String, Tensor> named;
    private String path = "";

    private NetExport(Map<String, int[]> offsets, double[] params, double[] buffers, String file, Map<String, Tensor> named) {
        this.offsets = offsets;
        this.params = params;
        this.buffers = buffers;
        this.file = file;
        this.named = named;
    }

    /**
     * The model with these parameters; with a {@code file} name, each tensor carries a reference
     * {@code {"file": file, "key": its state_dict name}} and is also put into {@code named}.
     */
    static Model toModel(Model m, Map<String, int[]> offsets, double[] params, double[] buffers, String file,
                         Map<String, Tensor> named) {
        NetExport e = new NetExport(offsets, params, buffers, file, named);
        return new Model(m.name(), m.input(), e.all(m.layers(), "layers"));
    }

    private List<Layer> all(List<Layer> ls, String prefix) {
        List<Layer> out = new ArrayList<>(ls.size());
        String saved = path;
        for (int i = 0; i < ls.size(); i++) {
            path = prefix + "[" + i + "]";
            out.add(ls.get(i).accept(this));
        }
        path = saved;
        return out;
    }

    private Tensor slice(double[] src, int off, Shape shape, String key) {
        if (off < 0) {
            return null;
        }
        Tensor t = Tensor.ofDoubles(shape, Arrays.copyOfRange(src, off, off + shape.size()));
        if (file != null) {
            String name = ParamLayout.moduleName(path) + "." + key;
            t = t.withSource(new TensorSource(file, name, "F64"));
            named.put(name, t);
        }
        return t;
    }

    @Override
    public Layer visit(Layer.Dense l) {
        int[] o = offsets.get(path);
        return new Layer.Dense(l.name(), slice(params, o[0], l.weight().shape(), "weight"),
                l.bias() == null ? null : slice(params, o[1], l.bias().shape(), "bias"));
    }

    @Override
    public Layer visit(Layer.AbRelu l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Identity l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Square l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Smooth l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Residual l) {
        String p = path;
        return new Layer.Residual(l.name(), all(l.layers(), p + ".layers"), l.shortcut() == null ? null : all(l.shortcut(), p + ".shortcut"));
    }

    @Override
    public Layer visit(Layer.Concat l) {
        return new Layer.Concat(l.name(), all(l.layers(), path + ".layers"));
    }

    @Override
    public Layer visit(Layer.BatchNorm l) {
        int[] o = offsets.get(path);
        Tensor w = l.weight() == null ? null : slice(params, o[0], l.weight().shape(), "weight");
        Tensor b = l.bias() == null ? null : slice(params, o[1], l.bias().shape(), "bias");
        return new Layer.BatchNorm(l.name(), slice(buffers, o[2], l.mean().shape(), "running_mean"),
                slice(buffers, o[3], l.var().shape(), "running_var"), w, b, l.eps());
    }

    @Override
    public Layer visit(Layer.Conv2d l) {
        int[] o = offsets.get(path);
        return new Layer.Conv2d(l.name(), slice(params, o[0], l.weight().shape(), "weight"),
                l.bias() == null ? null : slice(params, o[1], l.bias().shape(), "bias"), l.stride(), l.padding());
    }

    @Override
    public Layer visit(Layer.MaxPool2d l) {
        return l;
    }

    @Override
    public Layer visit(Layer.AvgPool2d l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Flatten l) {
        return l;
    }

    @Override
    public Layer visit(Layer.HardTanh l) {
        return l;
    }

    @Override
    public Layer visit(Layer.Maxout l) {
        return l;
    }
}
