package org.netgeom.ir;

/**
 * An interpreter over the IR's ops: one method per {@link Layer} record. Every analysis
 * implements it, so adding an op to the IR is a compile error wherever it is not handled (a
 * method may refuse an op with a coded error instead of computing it).
 */
public interface LayerVisitor<R> {
    R visit(Layer.Dense l);

    R visit(Layer.AbRelu l);

    R visit(Layer.Identity l);

    R visit(Layer.Square l);

    R visit(Layer.Smooth l);

    R visit(Layer.Residual l);

    R visit(Layer.Concat l);

    R visit(Layer.BatchNorm l);

    R visit(Layer.Conv2d l);

    R visit(Layer.MaxPool2d l);

    R visit(Layer.AvgPool2d l);

    R visit(Layer.Flatten l);

    R visit(Layer.HardTanh l);

    R visit(Layer.Maxout l);
}
