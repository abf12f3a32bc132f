package org.netgeom.symbolic.regions;

import org.netgeom.ir.Rational;

import java.util.ArrayList;
import java.util.List;

/**
 * Point evaluation of a compiled {@link NetworkProgram}: the pre-activations of one block of sign
 * units (one activation layer) at a point u of the variables, in float64 (batched over many points
 * by the edge search) or exactly in rationals (where a float sign is too close to zero to trust).
 * The network is continuous, so a pre-activation's value at a point does not depend on the region
 * the point is taken in: this is what lets the edge search share vertices between regions
 * (Berzins 2023, Sect. 3).
 */
final class PointEvaluator {
    private final NetworkCompiler.Ins[] ins;
    private final int[] size;
    private final AffineMap input;
    private final int k;
    /** Instruction index of each activation block, its source buffer and its first unit. */
    final int[] blockIns;
    final int[] blockSrc;
    final int[] blockStart;
    final int[] blockWidth;
    private final int[] unitBlock;
    private final double[][] inA;
    private final double[] inB;
    private Rational[][] exactVal;   // per Lin instruction, the entries as rationals (lazy)

    PointEvaluator(NetworkProgram p, AffineMap input) {
        this.ins = p.instructions();
        this.input = input;
        this.k = input.variables();
        int nb = 0;
        int maxBuf = 0;
        for (NetworkCompiler.Ins in : ins) {
            if (in instanceof NetworkCompiler.Pool) {
                throw new UnsupportedOperationException("max pooling");
            }
            if (in instanceof NetworkCompiler.Act) {
                nb++;
            }
            maxBuf = Math.max(maxBuf, dst(in));
        }
        size = new int[maxBuf + 1];
        for (int i = 0; i <= maxBuf; i++) {
            size[i] = p.bufferSize(i);
        }
        blockIns = new int[nb];
        blockSrc = new int[nb];
        blockStart = new int[nb];
        blockWidth = new int[nb];
        int b = 0;
        int u = 0;
        for (int i = 0; i < ins.length; i++) {
            if (ins[i] instanceof NetworkCompiler.Act a) {
                blockIns[b] = i;
                blockSrc[b] = a.src();
                blockStart[b] = u;
                blockWidth[b] = size[a.src()];
                u += size[a.src()];
                b++;
            }
        }
        unitBlock = new int[u];
        for (int q = 0; q < nb; q++) {
            for (int j = 0; j < blockWidth[q]; j++) {
                unitBlock[blockStart[q] + j] = q;
            }
        }
        inA = new double[input.outputs()][k];
        inB = new double[input.outputs()];
        for (int i = 0; i < input.outputs(); i++) {
            for (int j = 0; j < k; j++) {
                inA[i][j] = input.a(i, j).doubleValue();
            }
            inB[i] = input.b(i).doubleValue();
        }
    }

    int blocks() {
        return blockIns.length;
    }

    int units() {
        return unitBlock.length;
    }

    int blockOf(int unit) {
        return unitBlock[unit];
    }

    private static int dst(NetworkCompiler.Ins in) {
        if (in instanceof NetworkCompiler.In x) {
            return x.dst();
        }
        if (in instanceof NetworkCompiler.Lin x) {
            return Math.max(x.src(), x.dst());
        }
        if (in instanceof NetworkCompiler.Act x) {
            return Math.max(x.src(), x.dst());
        }
        if (in instanceof NetworkCompiler.Add x) {
            return Math.max(x.dst(), Math.max(x.a(), x.b()));
        }
        return 0;
    }

    /** Scratch buffers for one thread. */
    double[][] scratch() {
        double[][] s = new double[size.length][];
        for (int i = 0; i < size.length; i++) {
            s[i] = new double[size[i]];
        }
        return s;
    }

    /**
     * The pre-activations of block {@code b} at u in float64 (written to {@code out} from
     * {@code off}); {@code s} is this thread's scratch.
     */
    void evalFloat(double[] u, int uOff, int b, double[][] s, double[] out, int off) {
        int last = blockIns[b];
        for (int pc = 0; pc < last; pc++) {
            NetworkCompiler.Ins in = ins[pc];
            if (in instanceof NetworkCompiler.In x) {
                double[] d = s[x.dst()];
                for (int i = 0; i < d.length; i++) {
                    double v = inB[i];
                    for (int j = 0; j < k; j++) {
                        v += inA[i][j] * u[uOff + j];
                    }
                    d[i] = v;
                }
            } else if (in instanceof NetworkCompiler.Lin x) {
                IntMatrix m = x.m();
                double[] src = s[x.src()];
                double[] d = s[x.dst()];
                int[] st = m.start;
                int[] col = m.col;
                double[] val = m.dval;
                for (int i = 0; i < m.rows; i++) {
                    double v = m.dbias[i];
                    for (int q = st[i]; q < st[i + 1]; q++) {
                        v += val[q] * src[col[q]];
                    }
                    d[i] = v;
                }
            } else if (in instanceof NetworkCompiler.Act x) {
                double[] src = s[x.src()];
                double[] d = s[x.dst()];
                for (int i = 0; i < src.length; i++) {
                    double z = src[i];
                    d[i] = z > 0 ? z * x.posD() : z * x.negD();
                }
            } else if (in instanceof NetworkCompiler.Add x) {
                double[] a = s[x.a()];
                double[] bb = s[x.b()];
                double[] d = s[x.dst()];
                if (x.concat()) {
                    System.arraycopy(a, 0, d, 0, a.length);
                    System.arraycopy(bb, 0, d, a.length, bb.length);
                } else {
                    for (int i = 0; i < d.length; i++) {
                        d[i] = a[i] + bb[i];
                    }
                }
            }
        }
        System.arraycopy(s[blockSrc[b]], 0, out, off, blockWidth[b]);
    }

    /** The unit roundoff of float64, u = 2^-53. */
    static final double U = 0x1p-53;
    /** An absolute slack for subnormal results (every bound below adds it once per operation). */
    static final double TINY = 0x1p-1000;

    /**
     * As {@link #evalFloat} at the double point ũ, which is within {@code eu} (max norm) of an
     * exact point u, and returns a proven bound E with |z̃_q − z_q(u)| ≤ E for every unit q of
     * block b, where z̃ is what this writes to {@code out} (the same values as evalFloat).
     *
     * <p>Each value carries an error bound e, propagated with the standard a-priori bounds of
     * floating-point arithmetic (Higham 2002, Eq. 3.5, Lemma 3.1): a dot product of m terms
     * computed recursively has |fl(Σ) − Σ̃| ≤ γ_m Σ|terms|, γ_m = m·u/(1 − m·u); a weight w̃ =
     * fl(w) (correctly rounded) has |w̃ − w| ≤ u|w|. So for d = bias + Σ_q w_q·s_q with inputs s̃_q
     * within e_q of s_q: |d̃ − d| ≤ γ_{m+2}·(|bias̃| + Σ|w̃_q||s̃_q|)·(1 + 2u) + (1 + 2u)·Σ|w̃_q|e_q,
     * bounded here with (m + 4)·2u in place of γ_{m+2}(1 + 2u) (a margin over 1.9 for m·u ≤ 2^-20)
     * and (1 + 2^-40) on the propagated part, whose own float evaluation adds less than
     * (m + 2)·u relatively. A piecewise-linear activation with slopes s is max|s|-Lipschitz, so
     * it maps e to max|s|·e plus the rounding of the product and of the slopes (3u|d̃|); a sum adds
     * the errors and u|d̃|.
     */
    double evalFloatErr(double[] u, int uOff, double eu, int b, double[][] s, double[][] se, double[] out, int off) {
        int last = blockIns[b];
        for (int pc = 0; pc < last; pc++) {
            NetworkCompiler.Ins in = ins[pc];
            if (in instanceof NetworkCompiler.In x) {
                double[] d = s[x.dst()];
                double[] de = se[x.dst()];
                for (int i = 0; i < d.length; i++) {
                    double v = inB[i];
                    double abs = Math.abs(inB[i]);
                    double prop = 0;
                    for (int j = 0; j < k; j++) {
                        double t = inA[i][j] * u[uOff + j];
                        v += t;
                        abs += Math.abs(t);
                        prop += Math.abs(inA[i][j]) * eu;
                    }
                    d[i] = v;
                    de[i] = (k + 4) * 2 * U * abs + prop * (1 + 0x1p-40) + TINY;
                }
            } else if (in instanceof NetworkCompiler.Lin x) {
                IntMatrix m = x.m();
                double[] src = s[x.src()];
                double[] srce = se[x.src()];
                double[] d = s[x.dst()];
                double[] de = se[x.dst()];
                int[] st = m.start;
                int[] col = m.col;
                double[] val = m.dval;
                for (int i = 0; i < m.rows; i++) {
                    double v = m.dbias[i];
                    double abs = Math.abs(v);
                    double prop = 0;
                    for (int q = st[i]; q < st[i + 1]; q++) {
                        double t = val[q] * src[col[q]];
                        v += t;
                        abs += Math.abs(t);
                        prop += Math.abs(val[q]) * srce[col[q]];
                    }
                    d[i] = v;
                    de[i] = (st[i + 1] - st[i] + 4) * 2 * U * abs + prop * (1 + 0x1p-40) + TINY;
                }
            } else if (in instanceof NetworkCompiler.Act x) {
                double[] src = s[x.src()];
                double[] srce = se[x.src()];
                double[] d = s[x.dst()];
                double[] de = se[x.dst()];
                double lip = Math.max(Math.abs(x.posD()), Math.abs(x.negD())) * (1 + 4 * U);
                for (int i = 0; i < src.length; i++) {
                    double z = src[i];
                    d[i] = z > 0 ? z * x.posD() : z * x.negD();
                    de[i] = lip * srce[i] + 3 * U * Math.abs(d[i]) + TINY;
                }
            } else if (in instanceof NetworkCompiler.Add x) {
                double[] a = s[x.a()];
                double[] bb = s[x.b()];
                double[] ae = se[x.a()];
                double[] be = se[x.b()];
                double[] d = s[x.dst()];
                double[] de = se[x.dst()];
                if (x.concat()) {
                    System.arraycopy(a, 0, d, 0, a.length);
                    System.arraycopy(bb, 0, d, a.length, bb.length);
                    System.arraycopy(ae, 0, de, 0, ae.length);
                    System.arraycopy(be, 0, de, ae.length, be.length);
                } else {
                    for (int i = 0; i < d.length; i++) {
                        d[i] = a[i] + bb[i];
                        de[i] = (ae[i] + be[i]) * (1 + 4 * U) + 2 * U * Math.abs(d[i]) + TINY;
                    }
                }
            }
        }
        System.arraycopy(s[blockSrc[b]], 0, out, off, blockWidth[b]);
        double e = 0;
        for (double x : se[blockSrc[b]]) {
            e = Math.max(e, x);
        }
        return e;
    }

    /** The pre-activations of block {@code b} at the rational point u, exactly. */
    Rational[] evalExact(Rational[] u, int b) {
        Rational[][] s = new Rational[size.length][];
        int last = blockIns[b];
        for (int pc = 0; pc < last; pc++) {
            NetworkCompiler.Ins in = ins[pc];
            if (in instanceof NetworkCompiler.In x) {
                s[x.dst()] = input.apply(u);
            } else if (in instanceof NetworkCompiler.Lin x) {
                IntMatrix m = x.m();
                Rational[] val = exact(pc, m);
                Rational[] src = s[x.src()];
                Rational[] d = new Rational[m.rows];
                Rational scale = Rational.of(m.bscale);
                for (int i = 0; i < m.rows; i++) {
                    Rational v = Rational.of(m.bbias[i]).divide(scale);
                    for (int q = m.start[i]; q < m.start[i + 1]; q++) {
                        if (!src[m.col[q]].isZero()) {
                            v = v.add(val[q].multiply(src[m.col[q]]));
                        }
                    }
                    d[i] = v;
                }
                s[x.dst()] = d;
            } else if (in instanceof NetworkCompiler.Act x) {
                Rational[] src = s[x.src()];
                Rational[] d = new Rational[src.length];
                Rational pos = Rational.of(x.posB(), x.q());
                Rational neg = Rational.of(x.negB(), x.q());
                for (int i = 0; i < src.length; i++) {
                    d[i] = src[i].multiply(src[i].signum() > 0 ? pos : neg);
                }
                s[x.dst()] = d;
            } else if (in instanceof NetworkCompiler.Add x) {
                Rational[] a = s[x.a()];
                Rational[] bb = s[x.b()];
                Rational[] d;
                if (x.concat()) {
                    d = new Rational[a.length + bb.length];
                    System.arraycopy(a, 0, d, 0, a.length);
                    System.arraycopy(bb, 0, d, a.length, bb.length);
                } else {
                    d = new Rational[a.length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = a[i].add(bb[i]);
                    }
                }
                s[x.dst()] = d;
            }
        }
        return s[blockSrc[b]].clone();
    }

    private synchronized Rational[] exact(int pc, IntMatrix m) {
        if (exactVal == null) {
            exactVal = new Rational[ins.length][];
        }
        if (exactVal[pc] == null) {
            Rational[] v = new Rational[m.col.length];
            Rational scale = Rational.of(m.bscale);
            for (int q = 0; q < v.length; q++) {
                v[q] = Rational.of(m.bval[q]).divide(scale);
            }
            exactVal[pc] = v;
        }
        return exactVal[pc];
    }

    /** The blocks' names for messages. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < blocks(); b++) {
            out.add("block " + b + ": units " + blockStart[b] + ".." + (blockStart[b] + blockWidth[b] - 1));
        }
        return out;
    }
}
