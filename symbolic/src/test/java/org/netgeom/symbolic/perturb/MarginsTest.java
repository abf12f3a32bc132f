package org.netgeom.symbolic.perturb;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.loss.AffineForward;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.Nets;
import org.netgeom.symbolic.loss.Variables;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distance to the nearest region boundary in input space and the weight margin in parameter
 * space, checked with ExactForward alone: random points strictly inside the ball keep the
 * pattern; the foot of the perpendicular on the nearest hyperplane is a kink (a boundary point),
 * and a point just beyond it has another pattern; the local map reproduces the network on the
 * region; the loss change stays within the stated bounds.
 */
class MarginsTest {

    /** x + t·dir (x null entries count as 0). */
    private static Rational[] along(Rational[] x, Rational[] dir, Rational t) {
        Rational[] y = new Rational[dir.length];
        for (int i = 0; i < dir.length; i++) {
            y[i] = (x[i] == null ? Rational.ZERO : x[i]).add(dir[i].multiply(t));
        }
        return y;
    }

    /** A random vector with squared norm strictly below r2. */
    private static Rational[] inBall(Random rnd, int n, Rational r2) {
        Rational[] d = Nets.vector(rnd, n);
        Rational nn = ExactMatrices.dot(d, d);
        if (nn.isZero()) {
            return d;
        }
        Rational target = r2.divide(nn);                    // need s² < r2/‖d‖²
        Rational s = Rational.fromDouble(Math.sqrt(target.doubleValue()) * rnd.nextDouble() * 0.999);
        while (s.multiply(s).compareTo(target) >= 0) {
            s = s.multiply(Rational.of(9, 10));
        }
        return along(new Rational[n], d, s);
    }

    @Test
    void distanceToTheNearestRegionBoundaryIsExact() {
        Random rnd = new Random(31);
        int checked = 0;
        for (int trial = 0; trial < 30; trial++) {
            Model m = trial % 2 == 0 ? Nets.mlp(rnd, 2, 3, 2) : Nets.resnet(rnd, 2, 3, 1);
            Rational[] x = Nets.vector(rnd, 2);
            LocalMap.Result lm = LocalMap.at(m, x);
            ExactForward.Result fx = ExactForward.run(m, x);
            assertEquals(fx.pattern(), lm.pattern());
            if (fx.onKink() || lm.distance2() == null) {
                continue;
            }
            // the local map is the network on the region
            for (int k = 0; k < 5; k++) {
                Rational[] y = along(x, inBall(rnd, 2, lm.distance2()), Rational.ONE);
                ExactForward.Result fy = ExactForward.run(m, y);
                assertEquals(fx.pattern(), fy.pattern(), "inside the ball the pattern stays");
                Rational[] ay = ExactMatrices.times(lm.a(), y);
                for (int i = 0; i < ay.length; i++) {
                    assertEquals(fy.output()[i], ay[i].add(lm.b()[i]));
                }
            }
            // the foot of the perpendicular on the nearest hyperplane is a boundary point
            AffineForward.Constraint c = lm.nearest();
            assertNotNull(c);
            Rational[] normal = {c.g()[1], c.g()[2]};
            Rational gx = AffineForward.valueAt(c.g(), x);
            Rational step = gx.divide(ExactMatrices.dot(normal, normal)).negate();
            Rational[] foot = along(x, normal, step);
            assertEquals(lm.distance2(), ExactMatrices.dot(along(foot, x, Rational.MINUS_ONE), along(foot, x, Rational.MINUS_ONE)));
            assertTrue(ExactForward.run(m, foot).onKink(), "the nearest point of the nearest hyperplane lies on a kink");
            Rational[] beyond = along(x, normal, step.multiply(Rational.of(1001, 1000)));
            assertNotEquals(fx.pattern(), ExactForward.run(m, beyond).pattern(), "just beyond it the pattern changes");
            checked++;
        }
        assertTrue(checked >= 20, "checked " + checked);
    }

    @Test
    void weightMarginKeepsPatternsAndBoundsTheLoss() {
        Random rnd = new Random(41);
        int checked = 0;
        for (int trial = 0; trial < 12; trial++) {
            Model m = Nets.mlp(rnd, 2, 3, 1);
            DataSet data = Nets.data(rnd, 4, 2, 1);
            if (Nets.anyKink(m, data)) {
                continue;
            }
            String layer = trial % 2 == 0 ? "0" : "2";          // layer 4 has no unit after it: unbounded
            Variables v = Variables.of(m, layer, Map.of(), true);
            WeightMargin.Result r = WeightMargin.compute(v, data, LossKind.MSE, Progress.NONE);
            if (r.epsilon2() == null) {
                continue;
            }
            String pat = Nets.patterns(m, data);
            Rational loss0 = Nets.mse(m, data);
            double up = Double.parseDouble(r.increaseBound().decimal(20));
            double down = Double.parseDouble(r.decreaseBound().decimal(20));
            Rational[] u0 = v.point();
            for (int k = 0; k < 10; k++) {
                Rational[] du = inBall(rnd, u0.length, r.epsilon2());
                Rational[] u = along(u0, du, Rational.ONE);
                assertEquals(pat, Nets.patterns(v.at(u), data), "‖ΔW‖ < ε keeps every pattern");
                double change = Nets.mse(v.at(u), data).subtract(loss0).doubleValue();
                assertTrue(change <= up * (1 + 1e-12) && -change <= down * (1 + 1e-12), change + " within +" + up + "/-" + down);
            }
            // along the limiting inequality's normal, just past ε, that unit flips
            Rational[] n = r.limiting().normal();
            Rational val = r.limiting().valueAt(u0);
            Rational step = val.divide(ExactMatrices.dot(n, n)).negate().multiply(Rational.of(1001, 1000));
            assertNotEquals(pat, Nets.patterns(v.at(along(u0, n, step)), data), "just past ε a pattern changes");
            checked++;
        }
        assertTrue(checked >= 6, "checked " + checked);
    }

    @Test
    void aLayerWithNoUnitAfterItCanMoveWithoutBound() {
        Random rnd = new Random(5);
        Model m = Nets.mlp(rnd, 2, 3, 1);
        DataSet data = Nets.data(rnd, 4, 2, 1);
        WeightMargin.Result r = WeightMargin.compute(Variables.of(m, "4", Map.of(), true), data, LossKind.MSE, Progress.NONE);
        assertEquals(null, r.epsilon2());
        assertTrue(r.cell().cell().isEmpty());
    }
}
