package org.netgeom.numeric.engine;

/**
 * {@code y = [x ; body(x)]} per example, along the first (feature or channel) dimension, which
 * for row-major {@code [C, H, W]} is plain concatenation of the flattened parts.
 */
final class ConcatOp extends Op {
    private final Seq body;

    ConcatOp(String path, Seq body) {
        super(path, body.inSize, body.inSize + body.outSize);
        this.body = body;
    }

    @Override
    Dual forward(Pass p, Dual x) {
        Dual b = body.forward(p, x);
        double[] t = x.t() == null && b.t() == null ? null : join(p.n, x.t(), b.t());
        return new Dual(join(p.n, x.v(), b.v()), t);
    }

    private double[] join(int n, double[] a, double[] b) {
        int sa = inSize;
        int sb = body.outSize;
        double[] y = new double[n * outSize];
        for (int r = 0; r < n; r++) {
            if (a != null) {
                System.arraycopy(a, r * sa, y, r * outSize, sa);
            }
            if (b != null) {
                System.arraycopy(b, r * sb, y, r * outSize + sa, sb);
            }
        }
        return y;
    }

    private double[] part(int n, double[] y, int off, int size) {
        if (y == null) {
            return null;
        }
        double[] a = new double[n * size];
        for (int r = 0; r < n; r++) {
            System.arraycopy(y, r * outSize + off, a, r * size, size);
        }
        return a;
    }

    @Override
    Dual backward(Pass p, Dual gy, boolean needInput) {
        int n = p.n;
        Dual gb = body.backward(p, new Dual(part(n, gy.v(), inSize, body.outSize), part(n, gy.t(), inSize, body.outSize)), needInput);
        if (!needInput) {
            return null;
        }
        double[] g1 = part(n, gy.v(), 0, inSize);
        double[] t1 = part(n, gy.t(), 0, inSize);
        return p.round(new Dual(add(g1, gb.v()), add(t1, gb.t())));
    }

    @Override
    void clear() {
        body.clear();
    }
}
