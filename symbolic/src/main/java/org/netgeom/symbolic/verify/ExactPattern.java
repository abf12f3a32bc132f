package org.netgeom.symbolic.verify;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Form;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The network with every unit's phase fixed, in exact rational arithmetic: each buffer as affine
 * forms of the input (x ↦ A x + b), and the phase constraints of chosen units as forms g(x) ≥ 0
 * (a sign unit in phase 1: z(x) ≥ 0, in phase 0: −z(x) ≥ 0; an argmax unit with winner e:
 * z_e(x) − z_f(x) ≥ 0 for the other entries f). On the closed polytope where all units have
 * their phase the network equals the output forms (continuity at the kinks).
 */
final class ExactPattern {
    final Form[] output;
    final List<Form> constraints = new ArrayList<>();
    /** The unit each constraint comes from. */
    final List<Integer> constraintUnits = new ArrayList<>();

    /**
     * @param phase the phase of every unit
     * @param constrain which units' phase constraints to collect
     */
    ExactPattern(Graph g, int[] phase, boolean[] constrain) {
        this(g, phase, constrain, Integer.MAX_VALUE);
    }

    /** The buffers of ops before {@code stop} only (their units must have phases); {@link #forms} of the rest are null. */
    final Rational[][][] buf;

    ExactPattern(Graph g, int[] phase, boolean[] constrain, int stop) {
        int n = g.inputs();
        buf = new Rational[g.buffers()][][];
        Rational[][] in = new Rational[n][n + 1];
        for (int i = 0; i < n; i++) {
            Arrays.fill(in[i], Rational.ZERO);
            in[i][i] = Rational.ONE;
        }
        buf[0] = in;
        for (int opIndex = 0; opIndex < Math.min(stop, g.ops().size()); opIndex++) {
            Graph.Op op = g.ops().get(opIndex);
            if (op instanceof Graph.Aff a) {
                Rational[][] src = buf[a.src()];
                Rational[][] out = new Rational[a.col().length][];
                for (int i = 0; i < out.length; i++) {
                    Rational[] r = new Rational[n + 1];
                    Arrays.fill(r, Rational.ZERO);
                    r[n] = a.bias()[i];
                    int[] col = a.col()[i];
                    for (int k = 0; k < col.length; k++) {
                        Rational w = a.val()[i][k];
                        Rational[] s = src[col[k]];
                        for (int j = 0; j <= n; j++) {
                            if (!s[j].isZero()) {
                                r[j] = r[j].add(w.multiply(s[j]));
                            }
                        }
                    }
                    out[i] = r;
                }
                buf[a.dst()] = out;
            } else if (op instanceof Graph.Act a) {
                Rational[][] src = buf[a.src()];
                Rational[][] out = new Rational[src.length][];
                for (int i = 0; i < src.length; i++) {
                    int u = a.first() + i;
                    Rational s = phase[u] == 1 ? a.pos() : a.neg();
                    if (constrain[u]) {
                        constraints.add(form(src[i], phase[u] == 1 ? Rational.ONE : Rational.MINUS_ONE, n));
                        constraintUnits.add(u);
                    }
                    out[i] = scale(src[i], s);
                }
                buf[a.dst()] = out;
            } else if (op instanceof Graph.Max m) {
                Rational[][] src = buf[m.src()];
                Rational[][] out = new Rational[m.windows().length][];
                for (int o = 0; o < out.length; o++) {
                    int u = m.first() + o;
                    int[] w = m.windows()[o];
                    Rational[] win = src[w[phase[u]]];
                    if (constrain[u]) {
                        for (int e = 0; e < w.length; e++) {
                            if (e != phase[u]) {
                                Rational[] d = new Rational[n + 1];
                                for (int j = 0; j <= n; j++) {
                                    d[j] = win[j].subtract(src[w[e]][j]);
                                }
                                constraints.add(form(d, Rational.ONE, n));
                                constraintUnits.add(u);
                            }
                        }
                    }
                    out[o] = win;
                }
                buf[m.dst()] = out;
            } else if (op instanceof Graph.Sum s) {
                Rational[][] a = buf[s.a()];
                Rational[][] b = buf[s.b()];
                Rational[][] out = new Rational[a.length][n + 1];
                for (int i = 0; i < a.length; i++) {
                    for (int j = 0; j <= n; j++) {
                        out[i][j] = a[i][j].add(b[i][j]);
                    }
                }
                buf[s.dst()] = out;
            } else if (op instanceof Graph.Cat c) {
                Rational[][] a = buf[c.a()];
                Rational[][] b = buf[c.b()];
                Rational[][] out = new Rational[a.length + b.length][];
                System.arraycopy(a, 0, out, 0, a.length);
                System.arraycopy(b, 0, out, a.length, b.length);
                buf[c.dst()] = out;
            }
        }
        Rational[][] o = buf[g.output()];
        if (o == null) {
            output = null;
            return;
        }
        output = new Form[o.length];
        for (int i = 0; i < o.length; i++) {
            output[i] = form(o[i], Rational.ONE, n);
        }
    }

    private static Rational[] scale(Rational[] r, Rational s) {
        Rational[] out = new Rational[r.length];
        for (int j = 0; j < r.length; j++) {
            out[j] = s.isOne() ? r[j] : r[j].multiply(s);
        }
        return out;
    }

    static Form form(Rational[] r, Rational sign, int n) {
        Rational[] a = new Rational[n];
        for (int j = 0; j < n; j++) {
            a[j] = r[j].multiply(sign);
        }
        return Form.of(a, r[n].multiply(sign));
    }

    /** The form c·output. */
    Form objective(Rational[] c) {
        int n = output[0].variables();
        Rational[] a = new Rational[n];
        Arrays.fill(a, Rational.ZERO);
        Rational k = Rational.ZERO;
        for (int i = 0; i < c.length; i++) {
            if (c[i].isZero()) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                a[j] = a[j].add(c[i].multiply(output[i].value(j)));
            }
            k = k.add(c[i].multiply(output[i].constant()));
        }
        return Form.of(a, k);
    }
}
