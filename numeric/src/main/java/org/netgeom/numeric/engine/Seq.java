package org.netgeom.numeric.engine;

import java.util.List;

/** Ops applied in order (a model's layers, a residual's body or shortcut); empty is the identity. */
final class Seq extends Op {
    final List<Op> ops;

    Seq(String path, int inSize, int outSize, List<Op> ops) {
        super(path, inSize, outSize);
        this.ops = List.copyOf(ops);
    }

    @Override
    Dual forward(Pass p, Dual x) {
        Dual h = x;
        for (Op op : ops) {
            h = op.forward(p, h);
        }
        return h;
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        Dual g = gy;
        for (int i = ops.size() - 1; i >= 0; i--) {
            g = ops.get(i).backward(p, g, needInput || i > 0);
        }
        return g;
    }

    @Override
    void clear() {
        ops.forEach(Op::clear);
    }
}
