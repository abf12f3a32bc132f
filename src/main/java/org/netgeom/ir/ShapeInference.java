package org.netgeom.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Infers every layer's output shape from the model's input shape and checks that the layers
 * chain (IR.md's ops table, PyTorch's shape rules). A mismatch is {@link IrError#IR_SHAPE_MISMATCH}
 * at the path of the layer (or of its tensor) that does not fit; an impossible setting (a
 * stride of 0) is {@link IrError#IR_BAD_VALUE}.
 */
final class ShapeInference implements LayerVisitor<Shape> {
    private Shape in;
    private IrPath path;
    private List<LayerShape> children;
    private List<LayerShape> shortcut;

    private ShapeInference() {
    }

    /** The shapes of a list of layers applied in order to {@code input}, under {@code base}. */
    static List<LayerShape> infer(List<Layer> layers, Shape input, IrPath base) {
        List<LayerShape> out = new ArrayList<>(layers.size());
        Shape cur = input;
        for (int i = 0; i < layers.size(); i++) {
            ShapeInference si = new ShapeInference();
            si.in = cur;
            si.path = base.index(i);
            Layer l = layers.get(i);
            Shape next = l.accept(si);
            out.add(new LayerShape(l, si.path, cur, next,
                    si.children == null ? List.of() : si.children,
                    si.shortcut == null ? List.of() : si.shortcut));
            cur = next;
        }
        return List.copyOf(out);
    }

    private static Shape last(List<LayerShape> ls, Shape dflt) {
        return ls.isEmpty() ? dflt : ls.get(ls.size() - 1).out();
    }

    private NetgeomException mismatch(String where, String msg) {
        return IrError.IR_SHAPE_MISMATCH.at(where == null ? path.toString() : path.key(where).toString(), msg);
    }

    private void requireRank(int r, String what) {
        if (in.rank() != r) {
            throw mismatch(null, what + " needs a rank-" + r + " input" + (r == 1 ? " (a vector; add a flatten)" : " [C, H, W]")
                    + ", it receives shape " + in);
        }
    }

    private void requireShape(Tensor t, String key, Shape want) {
        if (t != null && !t.shape().equals(want)) {
            throw mismatch(key, key + " has shape " + t.shape() + ", expected " + want);
        }
    }

    @Override
    public Shape visit(Layer.Dense l) {
        Shape w = l.weight().shape();
        if (w.rank() != 2) {
            throw mismatch("weight", "a dense weight is a matrix [out][in], this one has shape " + w);
        }
        requireRank(1, "dense");
        if (in.dim(0) != w.dim(1)) {
            throw mismatch("weight", "dense weight " + w + " takes " + w.dim(1) + " inputs but the layer receives "
                    + in.dim(0) + " (shape " + in + ")");
        }
        requireShape(l.bias(), "bias", Shape.of(w.dim(0)));
        return Shape.of(w.dim(0));
    }

    @Override
    public Shape visit(Layer.AbRelu l) {
        return in;
    }

    @Override
    public Shape visit(Layer.Identity l) {
        return in;
    }

    @Override
    public Shape visit(Layer.Square l) {
        return in;
    }

    @Override
    public Shape visit(Layer.Smooth l) {
        return in;
    }

    @Override
    public Shape visit(Layer.Residual l) {
        children = infer(l.layers(), in, path.key("layers"));
        Shape body = last(children, in);
        Shape sc = in;
        if (l.shortcut() != null) {
            shortcut = infer(l.shortcut(), in, path.key("shortcut"));
            sc = last(shortcut, in);
        }
        if (!body.equals(sc)) {
            throw mismatch(null, "residual adds its layers' output " + body + " to its shortcut's " + sc
                    + "; the shapes must agree");
        }
        return body;
    }

    @Override
    public Shape visit(Layer.Concat l) {
        children = infer(l.layers(), in, path.key("layers"));
        Shape body = last(children, in);
        if (body.rank() != in.rank()) {
            throw mismatch(null, "concat joins x " + in + " and layers(x) " + body + " of different ranks");
        }
        int[] d = in.dims();
        for (int k = 1; k < d.length; k++) {
            if (body.dim(k) != d[k]) {
                throw mismatch(null, "concat joins x " + in + " and layers(x) " + body
                        + " along the first dimension; the others must agree");
            }
        }
        d[0] += body.dim(0);
        return Shape.of(d);
    }

    @Override
    public Shape visit(Layer.BatchNorm l) {
        if (in.rank() != 1 && in.rank() != 3) {
            throw mismatch(null, "batchnorm normalises vectors [C] or images [C, H, W], not shape " + in);
        }
        Shape c = Shape.of(in.dim(0));
        requireShape(l.mean(), "mean", c);
        requireShape(l.var(), "var", c);
        requireShape(l.weight(), "weight", c);
        requireShape(l.bias(), "bias", c);
        return in;
    }

    @Override
    public Shape visit(Layer.Conv2d l) {
        Shape w = l.weight().shape();
        if (w.rank() != 4) {
            throw mismatch("weight", "a conv2d weight is [out][in][kh][kw], this one has shape " + w);
        }
        requireRank(3, "conv2d");
        if (in.dim(0) != w.dim(1)) {
            throw mismatch("weight", "conv2d weight " + w + " takes " + w.dim(1) + " channels but the layer receives "
                    + in.dim(0) + " (shape " + in + ")");
        }
        requireShape(l.bias(), "bias", Shape.of(w.dim(0)));
        int h = window(in.dim(1) + 2 * l.padding().h(), w.dim(2), l.stride().h(), "height");
        int wd = window(in.dim(2) + 2 * l.padding().w(), w.dim(3), l.stride().w(), "width");
        return Shape.of(w.dim(0), h, wd);
    }

    private int window(int size, int kernel, int stride, String what) {
        if (kernel > size) {
            throw mismatch(null, "the kernel (" + kernel + ") is larger than the padded input " + what + " (" + size + ")");
        }
        return (size - kernel) / stride + 1;
    }

    private Shape pool(Layer.Hw k, Layer.Hw s) {
        requireRank(3, "pooling");
        return Shape.of(in.dim(0), window(in.dim(1), k.h(), s.h(), "height"), window(in.dim(2), k.w(), s.w(), "width"));
    }

    @Override
    public Shape visit(Layer.MaxPool2d l) {
        return pool(l.kernel(), l.stride());
    }

    @Override
    public Shape visit(Layer.AvgPool2d l) {
        return pool(l.kernel(), l.stride());
    }

    @Override
    public Shape visit(Layer.Flatten l) {
        return Shape.of(in.size());
    }

    @Override
    public Shape visit(Layer.HardTanh l) {
        return in;
    }

    @Override
    public Shape visit(Layer.Maxout l) {
        requireRank(1, "maxout");
        if (in.dim(0) % l.k() != 0) {
            throw mismatch(null, "maxout of rank " + l.k() + " takes n·" + l.k() + " values (groups of " + l.k()
                    + " consecutive entries), it receives " + in.dim(0));
        }
        return Shape.of(in.dim(0) / l.k());
    }
}
