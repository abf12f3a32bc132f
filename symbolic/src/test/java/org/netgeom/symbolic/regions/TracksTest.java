package org.netgeom.symbolic.regions;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several tracks sharing the variables u (the parameter-space use): the bias of a first dense
 * layer moves along two directions, u = (a, b), and three fixed data points each give a track.
 * Cells must be exactly the non-empty intersections of the tracks' activation regions: checked
 * against brute force over all combined patterns with the test's own propagation and LP, and the
 * leaf outputs against direct exact evaluation at the witnesses.
 */
class TracksTest {
    @Test
    void parameterPlaneCellsMatchBruteForce() {
        SplittableRandom r = new SplittableRandom(9);
        Layer.Dense first = RandomNets.dense(r, 2, 3, 4);              // layer L = 0, its bias varies
        List<Layer> rest = List.of(Layer.AbRelu.relu(null), RandomNets.dense(r, 3, 2, 4), Layer.AbRelu.abs(null),
                RandomNets.dense(r, 2, 1, 4));
        Rational[][] data = {{Rational.of(1, 2), Rational.of(-1)}, {Rational.ZERO, Rational.of(3, 4)}, {Rational.of(-1), Rational.of(1, 3)}};
        Rational[] d1 = {Rational.ONE, Rational.ZERO, Rational.of(-1, 2)};      // directions in bias space
        Rational[] d2 = {Rational.of(1, 3), Rational.ONE, Rational.ONE};
        List<NetworkProgram.Track> tracks = new ArrayList<>();
        List<Rational[][]> inputRows = new ArrayList<>();
        for (Rational[] x : data) {
            // layer 0's output at x: W x + b0 + a d1 + b d2, affine in (a, b)
            Rational[][] a = new Rational[3][2];
            Rational[] b = new Rational[3];
            Rational[][] rows = new Rational[3][3];
            for (int i = 0; i < 3; i++) {
                Rational s = first.bias().rational(i);
                for (int j = 0; j < 2; j++) {
                    s = s.add(first.weight().rational(i * 2 + j).multiply(x[j]));
                }
                a[i][0] = d1[i];
                a[i][1] = d2[i];
                b[i] = s;
                rows[i] = new Rational[]{d1[i], d2[i], s};
            }
            tracks.add(new NetworkProgram.Track("x", new AffineMap(a, b), Shape.of(3), rest, "layers"));
            inputRows.add(rows);
        }
        NetworkProgram p = NetworkProgram.of(2, tracks, false);
        Rational[] lo = {Rational.of(-2), Rational.of(-2)};
        Rational[] hi = {Rational.of(2), Rational.of(2)};
        List<Cell<NetworkProgram.Outputs>> cells = CellEnumerator.enumerate(Domain.box(lo, hi), p, Options.defaults());

        // brute force: all combined patterns (5 units per track)
        Model suffix = new Model("suffix", Shape.of(3), rest);
        int per = RefNet.unitOptions(suffix).size();
        TreeMap<String, List<Rational[][]>> want = new TreeMap<>();
        for (int code = 0; code < (1 << (per * data.length)); code++) {
            StringBuilder pat = new StringBuilder();
            for (int i = per * data.length - 1; i >= 0; i--) {
                pat.append((code >> i) & 1);
            }
            List<Rational[]> ineq = new ArrayList<>();
            List<Rational[][]> outs = new ArrayList<>();
            boolean ok = true;
            for (int t = 0; t < data.length && ok; t++) {
                RefNet.Result res = RefNet.under(suffix, pat.substring(t * per, (t + 1) * per), inputRows.get(t));
                ok = res.feasible();
                ineq.addAll(res.inequalities());
                outs.add(res.output());
            }
            if (ok && RefLp.feasible(ineq, lo, hi)) {
                want.put(pat.toString(), outs);
            }
        }
        TreeMap<String, Cell<NetworkProgram.Outputs>> got = new TreeMap<>();
        for (Cell<NetworkProgram.Outputs> c : cells) {
            got.put(c.pattern(), c);
        }
        assertEquals(want.keySet(), got.keySet());
        assertTrue(got.size() > 3);
        for (String pat : want.keySet()) {
            for (int t = 0; t < data.length; t++) {
                assertEquals(per, p.trackUnits(t));
                assertEquals(pat.substring(t * per, (t + 1) * per), p.trackPattern(pat, t));
                assertTrue(java.util.Arrays.deepEquals(want.get(pat).get(t), BruteForceRef.rows(got.get(pat).data().map(t))),
                        "track " + t + " output map on cell " + pat);
            }
        }
    }
}
