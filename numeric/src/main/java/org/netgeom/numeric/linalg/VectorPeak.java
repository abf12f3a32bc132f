package org.netgeom.numeric.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Peak}'s loop on the Vector API (loaded only when jdk.incubator.vector is resolved). */
final class VectorPeak implements Peak.PeakLoop {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    public double run(boolean float32, long iters) {
        return float32 ? runF(iters) : runD(iters);
    }

    private static double runD(long iters) {
        DoubleVector a0 = DoubleVector.broadcast(D, 1.0), a1 = a0.mul(1.1), a2 = a0.mul(1.2), a3 = a0.mul(1.3), a4 = a0.mul(1.4),
                a5 = a0.mul(1.5), a6 = a0.mul(1.6), a7 = a0.mul(1.7), a8 = a0.mul(1.8), a9 = a0.mul(1.9), a10 = a0.mul(2.0),
                a11 = a0.mul(2.1);
        DoubleVector m = DoubleVector.broadcast(D, 0.999999);
        DoubleVector c = DoubleVector.broadcast(D, 1e-7);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static double runF(long iters) {
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0.mul(1.1f), a2 = a0.mul(1.2f), a3 = a0.mul(1.3f), a4 = a0.mul(1.4f),
                a5 = a0.mul(1.5f), a6 = a0.mul(1.6f), a7 = a0.mul(1.7f), a8 = a0.mul(1.8f), a9 = a0.mul(1.9f), a10 = a0.mul(2f),
                a11 = a0.mul(2.1f);
        FloatVector m = FloatVector.broadcast(F, 0.9999f);
        FloatVector c = FloatVector.broadcast(F, 1e-4f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Override
    public int lanes(boolean float32) {
        return float32 ? F.length() : D.length();
    }

    @Override
    public String name() {
        return "Vector API " + D.vectorBitSize() + "-bit FMA loop";
    }
}
