package org.netgeom.symbolic.verify;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Form;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.Regions;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact range of every output of 24 seeded random nets (MLPs with relu, leaky relu and abs;
 * residual; concat + batchnorm; conv2d with max and average pooling) equals the reference: the
 * maximum and minimum of the exact forward pass over the vertices of all activation regions
 * (symbolic regions engine, vertex mode; on each closed region the net is affine, so its extrema
 * are at vertices). The witnesses attain the range (exact forward pass) and lie in the domain.
 * Every relaxation bound (IBP, CROWN) contains the exact range and 1000 exact random samples.
 */
class RangeTest {
    static final int NETS = 24;

    static Domain box(Model m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = m.input().size();
        Rational[] lo = new Rational[n];
        Rational[] hi = new Rational[n];
        for (int j = 0; j < n; j++) {
            lo[j] = Rational.of(-r.nextInt(1, 5), 4);
            hi[j] = Rational.of(r.nextInt(1, 5), 4);
        }
        return Domain.box(lo, hi);
    }

    /** [min, max] of each output over all region vertices. */
    static Rational[][] reference(Model m, Domain d) {
        int k = m.output().size();
        Rational[][] mm = new Rational[k][2];
        for (Region reg : Regions.enumerate(m, d, Options.defaults().withMode(Options.Mode.VERTEX)).regions()) {
            for (Rational[] v : reg.vertices()) {
                Rational[] y = ExactForward.eval(m, v);
                for (int i = 0; i < k; i++) {
                    if (mm[i][0] == null || y[i].compareTo(mm[i][0]) < 0) {
                        mm[i][0] = y[i];
                    }
                    if (mm[i][1] == null || y[i].compareTo(mm[i][1]) > 0) {
                        mm[i][1] = y[i];
                    }
                }
            }
        }
        return mm;
    }

    static Rational[] unit(int k, int i, int sign) {
        Rational[] c = new Rational[k];
        Arrays.fill(c, Rational.ZERO);
        c[i] = Rational.of(sign);
        return c;
    }

    @Test
    void exactRangeEqualsTheRegionEnumeration() {
        for (int t = 0; t < NETS; t++) {
            Model m = VerifyNets.net(t);
            Domain d = box(m, t);
            Graph g = Graph.of(m);
            Rational[][] ref = reference(m, d);
            for (int mode = 0; mode < 3; mode++) {
                // IBP, CROWN, and CROWN with two input bisections per input before unit splits
                Relaxation.Method method = mode == 0 ? Relaxation.Method.IBP : Relaxation.Method.CROWN;
                for (int i = 0; i < g.outputs(); i++) {
                    BranchAndBound.Limits lim = new BranchAndBound.Limits(method, 1_000_000, 0, mode == 2 ? 2 * g.inputs() : 0);
                    BranchAndBound.Result max = BranchAndBound.maximize(m, g, d, unit(g.outputs(), i, 1), lim, null);
                    BranchAndBound.Result min = BranchAndBound.maximize(m, g, d, unit(g.outputs(), i, -1), lim, null);
                    String what = m.name() + " #" + t + " output " + i + " " + method + (mode == 2 ? " with input splits" : "");
                    assertTrue(max.complete() && min.complete(), what);
                    assertEquals(ref[i][1], max.value(), what + " max");
                    assertEquals(ref[i][0], min.value().negate(), what + " min");
                    assertEquals(ref[i][1], ExactForward.eval(m, max.argmax())[i], what + " argmax attains");
                    assertEquals(ref[i][0], ExactForward.eval(m, min.argmax())[i], what + " argmin attains");
                    for (Form f : d.constraints()) {
                        assertTrue(f.signAt(max.argmax()) >= 0 && f.signAt(min.argmax()) >= 0, what + " witness in the box");
                    }
                }
            }
        }
    }

    @Test
    void everyRelaxationContainsTheExactRangeAndSamples() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int t = 0; t < NETS; t++) {
            Model m = VerifyNets.net(t);
            Domain d = box(m, t);
            Graph g = Graph.of(m);
            Rational[][] ref = reference(m, d);
            Rational[] lo = d.lower();
            Rational[] hi = d.upper();
            double[] dl = new double[lo.length];
            double[] dh = new double[lo.length];
            for (int j = 0; j < lo.length; j++) {
                dl[j] = lo[j].doubleValue();
                dh[j] = hi[j].doubleValue();
            }
            Rational[][] samples = new Rational[1000][];
            for (int s = 0; s < samples.length; s++) {
                Rational[] x = new Rational[lo.length];
                for (int j = 0; j < x.length; j++) {
                    long q = rnd.nextLong(0, 1L << 20);
                    x[j] = lo[j].add(hi[j].subtract(lo[j]).multiply(Rational.of(q, 1L << 20)));
                }
                samples[s] = ExactForward.eval(m, x);
            }
            // the methods as published, and the search's own: CROWN back-substituting only undecided
            // units, and without the back-substituted intermediate bounds (the cheap first bound of a node)
            Relaxation search = new Relaxation(g, Relaxation.Method.CROWN, dl, dh, null, null, true);
            java.util.Map<String, Relaxation> rs = new java.util.LinkedHashMap<>();
            for (Relaxation.Method method : Relaxation.Method.values()) {
                rs.put(method.name(), new Relaxation(g, method, dl, dh, null));
            }
            rs.put("CROWN, the search's", search);
            rs.put("CROWN, no intermediate", new Relaxation(g, Relaxation.Method.CROWN, dl, dh, null, null, false));
            for (var e : rs.entrySet()) {
                Relaxation r = e.getValue();
                for (int i = 0; i < g.outputs(); i++) {
                    Rational up = Rational.fromDouble(r.objectiveUpper(unit(g.outputs(), i, 1), null, null));
                    Rational down = Rational.fromDouble(-r.objectiveUpper(unit(g.outputs(), i, -1), null, null));
                    String what = m.name() + " #" + t + " output " + i + " " + e.getKey();
                    assertTrue(down.compareTo(ref[i][0]) <= 0 && ref[i][1].compareTo(up) <= 0, what + ": [" + down.doubleValue()
                            + ", " + up.doubleValue() + "] misses the exact range");
                    for (Rational[] y : samples) {
                        assertTrue(down.compareTo(y[i]) <= 0 && y[i].compareTo(up) <= 0, what + " misses a sample");
                    }
                }
            }
            // a child node (the lower half of input 0) that inherits the root's bounds: it must contain
            // every sample of its half box
            Rational mid = lo[0].add(hi[0]).divide(Rational.TWO);
            double[] ch = dh.clone();
            ch[0] = mid.doubleValue();
            Relaxation child = new Relaxation(g, Relaxation.Method.CROWN, dl, ch, null, search, true);
            Relaxation cheapChild = new Relaxation(g, Relaxation.Method.CROWN, dl, ch, null, search, false);
            for (int s = 0; s < 300; s++) {
                Rational[] x = new Rational[lo.length];
                for (int j = 0; j < x.length; j++) {
                    Rational top = j == 0 ? mid : hi[j];
                    x[j] = lo[j].add(top.subtract(lo[j]).multiply(Rational.of(rnd.nextLong(0, 1L << 20), 1L << 20)));
                }
                Rational[] y = ExactForward.eval(m, x);
                for (Relaxation r : List.of(child, cheapChild)) {
                    for (int i = 0; i < g.outputs(); i++) {
                        Rational up = Rational.fromDouble(r.objectiveUpper(unit(g.outputs(), i, 1), null, null));
                        Rational down = Rational.fromDouble(-r.objectiveUpper(unit(g.outputs(), i, -1), null, null));
                        assertTrue(down.compareTo(y[i]) <= 0 && y[i].compareTo(up) <= 0,
                                m.name() + " #" + t + ": a child's bound misses a sample of its half box");
                    }
                }
            }
        }
    }
}
