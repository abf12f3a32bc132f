package org.netgeom.certify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker's two relaxations (BigInteger at 2^−80 and long at 2^−40) against exact samples:
 * on seeded nets (relu, leaky relu and abs MLPs with weights j/8, weights 1/3·j (not dyadic),
 * residual, concat, overlapping max pooling) and random sub-boxes, with random units fixed, every
 * bound is at least c·f at 300 exact random points of the box where the fixed units have their
 * phase (the reference: the checker's exact forward pass), every unit a relaxation decides has
 * that sign at those points, and the two relaxations agree to 10⁻⁶. The 128-bit products against
 * BigInteger.
 */
class RelaxTest {
    @TempDir
    Path dir;

    static String dense(SplittableRandom r, int in, int out, int den, boolean thirds) {
        StringBuilder w = new StringBuilder("{\"op\": \"dense\", \"weight\": [");
        for (int i = 0; i < out; i++) {
            w.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < in; j++) {
                w.append(j == 0 ? "" : ", ").append('"').append(r.nextInt(-den, den + 1)).append('/').append(thirds ? 3 * den : den).append('"');
            }
            w.append(']');
        }
        w.append("], \"bias\": [");
        for (int i = 0; i < out; i++) {
            w.append(i == 0 ? "" : ", ").append('"').append(r.nextInt(-den, den + 1)).append('/').append(den).append('"');
        }
        return w.append("]}").toString();
    }

    static String net(int t) {
        SplittableRandom r = new SplittableRandom(500 + t);
        return switch (t % 6) {
            case 0 -> "{\"netgeom\": 1, \"input\": [2], \"layers\": [" + dense(r, 2, 6, 8, false) + ", {\"op\": \"relu\"}, " + dense(r, 6, 5, 8, false)
                    + ", {\"op\": \"relu\"}, " + dense(r, 5, 2, 8, false) + "]}";
            case 1 -> "{\"netgeom\": 1, \"input\": [3], \"layers\": [" + dense(r, 3, 5, 8, true) + ", {\"op\": \"leaky_relu\", \"slope\": \"1/10\"}, "
                    + dense(r, 5, 4, 8, true) + ", {\"op\": \"abs\"}, " + dense(r, 4, 2, 8, false) + "]}";
            case 2 -> "{\"netgeom\": 1, \"input\": [2], \"layers\": [" + dense(r, 2, 4, 4, false) + ", {\"op\": \"residual\", \"layers\": [{\"op\": \"relu\"}, "
                    + dense(r, 4, 4, 4, false) + "]}, {\"op\": \"relu\"}, {\"op\": \"residual\", \"layers\": [" + dense(r, 4, 4, 4, false)
                    + ", {\"op\": \"leaky_relu\", \"slope\": \"1/8\"}], \"shortcut\": [" + dense(r, 4, 4, 4, false) + "]}, {\"op\": \"relu\"}, "
                    + dense(r, 4, 2, 4, false) + "]}";
            case 3 -> "{\"netgeom\": 1, \"input\": [2], \"layers\": [" + dense(r, 2, 3, 4, false) + ", {\"op\": \"concat\", \"layers\": ["
                    + dense(r, 3, 3, 4, false) + ", {\"op\": \"relu\"}]}, {\"op\": \"relu\"}, " + dense(r, 6, 2, 4, false) + "]}";
            case 4 -> "{\"netgeom\": 1, \"input\": [1, 3, 3], \"layers\": [{\"op\": \"conv2d\", \"weight\": [[[[\"1/2\", \"-1\"], [\"1/4\", \"3/4\"]]], "
                    + "[[[\"-1\", \"1/2\"], [\"1\", \"-1/4\"]]]], \"bias\": [\"1/8\", \"-1/4\"]}, {\"op\": \"relu\"}, "
                    + "{\"op\": \"maxpool2d\", \"kernel\": 2, \"stride\": 1}, {\"op\": \"flatten\"}, " + dense(r, 2, 2, 4, false) + "]}";
            default -> "{\"netgeom\": 1, \"input\": [2], \"layers\": [" + dense(r, 2, 8, 8, false) + ", {\"op\": \"abs\"}, " + dense(r, 8, 8, 8, false)
                    + ", {\"op\": \"relu\"}, " + dense(r, 8, 6, 8, false) + ", {\"op\": \"relu\"}, " + dense(r, 6, 3, 8, false) + "]}";
        };
    }

    static Q rand(SplittableRandom r, Q lo, Q hi) {
        Q t = Q.of(BigInteger.valueOf(r.nextInt(0, 1025)), BigInteger.valueOf(1024));
        return lo.add(hi.sub(lo).mul(t));
    }

    /** The pre-activation signs (0/1, or a window's winner) of every unit at the point x. */
    static int[] pattern(Relax code, Q[] x) {
        Net.Vec in = new Net.Vec(Arrays.stream(x).map(q -> Z.of(new BigInteger[]{q.n().multiply(lcd(x).divide(q.d()))})).toArray(Z[]::new), lcd(x));
        Net.Vec[] b = code.forms(in, null, Integer.MAX_VALUE);
        int[] p = new int[code.units];
        for (int u = 0; u < code.units; u++) {
            Relax.G g = code.ops.get(code.unitOp[u]);
            if (g instanceof Relax.Act a) {
                BigInteger z = b[a.src()].n()[code.unitRow[u]].get(0);
                p[u] = z.signum() > 0 ? 1 : z.signum() < 0 ? 0 : -2;        // −2: exactly at the kink (either phase)
            } else {
                Relax.Max m = (Relax.Max) g;
                int[] w = m.win()[code.unitRow[u]];
                int best = 0;
                for (int e = 1; e < w.length; e++) {
                    if (b[m.src()].n()[w[e]].get(0).compareTo(b[m.src()].n()[w[best]].get(0)) > 0) {
                        best = e;
                    }
                }
                p[u] = best;
            }
        }
        return p;
    }

    static BigInteger lcd(Q[] x) {
        BigInteger d = BigInteger.ONE;
        for (Q q : x) {
            d = Net.lcm(d, q.d());
        }
        return d;
    }

    @Test
    void bothRelaxationsBoundExactSamplesAndAgree() throws IOException {
        int checked = 0;
        for (int t = 0; t < 12; t++) {
            Path f = dir.resolve("n" + t + ".json");
            Files.writeString(f, net(t));
            Net net = Net.read(f, Map.of());
            Relax code = new Relax(net, null, net.inputSize);
            FastRelax fast = new FastRelax(code);
            int n = net.inputSize;
            int outs = code.size.get(code.out);
            SplittableRandom r = new SplittableRandom(t);
            for (int trial = 0; trial < 8; trial++) {
                Q[] lo = new Q[n];
                Q[] hi = new Q[n];
                for (int j = 0; j < n; j++) {
                    Q a = rand(r, Q.of(-1), Q.ONE);
                    Q b = rand(r, Q.of(-1), Q.ONE);
                    lo[j] = a.compareTo(b) < 0 ? a : b;
                    hi[j] = a.compareTo(b) < 0 ? b : a;
                    if (lo[j].equals(hi[j])) {
                        hi[j] = lo[j].add(Q.of(BigInteger.ONE, BigInteger.valueOf(7)));
                    }
                }
                Q[][] pts = new Q[300][];
                int[][] pats = new int[300][];
                for (int s = 0; s < pts.length; s++) {
                    pts[s] = new Q[n];
                    for (int j = 0; j < n; j++) {
                        pts[s][j] = rand(r, lo[j], hi[j]);
                    }
                    pats[s] = pattern(code, pts[s]);
                }
                // fix one or two units to the phase of the first sample (so the fixed set is not empty)
                int[] fix = new int[code.units];
                Arrays.fill(fix, -1);
                for (int k = 0; k < trial % 3; k++) {
                    int u = r.nextInt(code.units);
                    fix[u] = Math.max(0, pats[0][u]);
                }
                Q[] c = new Q[outs];
                for (int i = 0; i < outs; i++) {
                    c[i] = Q.of(BigInteger.valueOf(r.nextInt(-3, 4)), BigInteger.valueOf(2));
                }
                for (boolean flip : new boolean[]{false, true}) {
                    ExactBounds p = new ExactBounds(code, lo, hi, fix, flip);
                    FastRelax.Bounds q = fast.new Bounds(lo, hi, fix, flip);
                    assertEquals(p.infeasible, q.infeasible);
                    boolean any = false;
                    for (int s = 0; s < pts.length; s++) {
                        boolean in = true;
                        for (int u = 0; u < code.units; u++) {
                            in &= fix[u] < 0 || pats[s][u] == fix[u] || pats[s][u] == -2;
                        }
                        if (!in) {
                            continue;
                        }
                        any = true;
                        Q v = BabChecker.dot(c, code.eval(pts[s]));
                        assertTrue(!p.infeasible, "a point of the set exists, so it is not empty");
                        assertTrue(p.bound(c, Q.ZERO).compareTo(v) >= 0, "precise bound below a sample, net " + t);
                        assertTrue(q.bound(c, Q.ZERO).compareTo(v) >= 0, "fast bound below a sample, net " + t);
                        for (int u = 0; u < code.units; u++) {
                            for (int[] ph : new int[][]{p.phase, q.phase}) {
                                assertTrue(ph[u] < 0 || pats[s][u] == ph[u] || pats[s][u] == -2, "unit " + u + " decided wrongly, net " + t);
                            }
                        }
                        checked++;
                    }
                    if (any) {
                        Q d = p.bound(c, Q.ZERO).sub(q.bound(c, Q.ZERO)).abs();
                        assertTrue(d.compareTo(Q.of(BigInteger.ONE, BigInteger.TEN.pow(6))) < 0, "the relaxations differ by " + d + " on net " + t);
                    }
                }
            }
        }
        assertTrue(checked > 10000, "samples checked: " + checked);
    }

    @Test
    void productsIn128BitsMatchBigInteger() {
        SplittableRandom r = new SplittableRandom(7);
        int overflow = 0;
        for (int i = 0; i < 200_000; i++) {
            long a = r.nextLong() >> r.nextInt(0, 63);
            long b = r.nextLong() >> r.nextInt(0, 63);
            boolean up = r.nextBoolean();
            BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            BigInteger e = up ? Relax.ceil(p, BigInteger.ONE.shiftLeft(FastRelax.G)) : Relax.floor(p, BigInteger.ONE.shiftLeft(FastRelax.G));
            if (e.bitLength() > 63) {
                overflow++;
                assertThrows(ArithmeticException.class, () -> FastRelax.mulShift(a, b, FastRelax.G, up));
            } else {
                assertEquals(e.longValueExact(), FastRelax.mulShift(a, b, FastRelax.G, up), a + " * " + b);
            }
            if (a >= 0 && b >= 0) {
                assertTrue(BigInteger.valueOf(FastRelax.errShift(a, b)).shiftLeft(2 * FastRelax.G).compareTo(p) >= 0);
            }
        }
        assertTrue(overflow > 1000 && overflow < 199_000, "both paths taken: " + overflow);
    }
}
