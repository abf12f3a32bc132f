package org.netgeom.numeric.engine;

/** {@code y = shortcut(x) + body(x)} (shortcut empty: the identity); gradients and tangents add. */
final class ResidualOp extends Op {
    private final Seq body;
    private final Seq shortcut;

    ResidualOp(String path, Seq body, Seq shortcut) {
        super(path, body.inSize, body.outSize);
        this.body = body;
        this.shortcut = shortcut;
    }

    @Override
    Dual forward(Pass p, Dual x) {
        Dual b = body.forward(p, x);
        Dual s = shortcut.forward(p, x);
        return p.round(new Dual(add(b.v(), s.v()), add(b.t(), s.t())));
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        Dual gb = body.backward(p, gy, needInput);
        Dual gs = shortcut.backward(p, gy, needInput);
        if (!needInput) {
            return null;
        }
        return p.round(new Dual(add(gb.v(), gs.v()), add(gb.t(), gs.t())));
    }

    @Override
    void clear() {
        body.clear();
        shortcut.clear();
    }
}
