package org.netgeom.numeric.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Elementwise} on the Vector API: compares and blends, no branches. */
final class VectorElementwise extends Elementwise {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void forward(double[] x, double[] y, double neg, double pos) {
        int n = y.length;
        int upper = S.loopBound(n);
        int i = 0;
        if (neg == 0 && pos == 1) {
            DoubleVector zero = DoubleVector.zero(S);
            for (; i < upper; i += S.length()) {
                DoubleVector.fromArray(S, x, i).max(zero).intoArray(y, i);
            }
            for (; i < n; i++) {
                y[i] = Math.max(x[i], 0.0);
            }
            return;
        }
        for (; i < upper; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            VectorMask<Double> gt = v.compare(VectorOperators.GT, 0.0);
            v.mul(neg).blend(v.mul(pos), gt).intoArray(y, i);
        }
        for (; i < n; i++) {
            double v = x[i];
            y[i] = v > 0 ? pos * v : neg * v;
        }
    }

    @Override
    public void gradient(double[] x, double[] g, double[] gx, double neg, double pos, double atZero) {
        int n = gx.length;
        int upper = S.loopBound(n);
        DoubleVector vz = DoubleVector.broadcast(S, atZero);
        int i = 0;
        for (; i < upper; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            VectorMask<Double> gt = v.compare(VectorOperators.GT, 0.0);
            VectorMask<Double> lt = v.compare(VectorOperators.LT, 0.0);
            DoubleVector d = vz.blend(pos, gt).blend(neg, lt);
            d.mul(DoubleVector.fromArray(S, g, i)).intoArray(gx, i);
        }
        for (; i < n; i++) {
            double v = x[i];
            gx[i] = (v > 0 ? pos : v < 0 ? neg : atZero) * g[i];
        }
    }
}
