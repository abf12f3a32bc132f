package org.netgeom.notebooks;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.loss.LossCell;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polygon of a cell in a window, against corners worked out by hand. */
class PlaneCellsTest {
    static final Rational[] LO = {Rational.of(-2), Rational.of(-2)};
    static final Rational[] HI = {Rational.TWO, Rational.TWO};

    static LossCell.Inequality ge(long a, long b, long c) {        // a u1 + b u2 + c >= 0
        return new LossCell.Inequality(0, "layers[0]", 0, new Rational[]{Rational.of(a), Rational.of(b)}, Rational.of(c), true);
    }

    static Set<String> corners(List<Rational[]> v) {
        return v.stream().map(Arrays::toString).collect(Collectors.toSet());
    }

    @Test
    void aTriangleInsideTheWindow() {
        // u1 >= 0, u2 >= 0, u1 + u2 <= 1, and u1 <= 5 (redundant): the unit triangle
        List<Rational[]> v = PlaneCells.polygon(List.of(ge(1, 0, 0), ge(0, 1, 0), ge(-1, -1, 1), ge(-1, 0, 5)), LO, HI);
        assertEquals(Set.of("[0, 0]", "[1, 0]", "[0, 1]"), corners(v));
        // counter-clockwise: positive signed area (shoelace), here exactly 1/2
        Rational twice = Rational.ZERO;
        for (int i = 0; i < v.size(); i++) {
            Rational[] p = v.get(i);
            Rational[] q = v.get((i + 1) % v.size());
            twice = twice.add(p[0].multiply(q[1]).subtract(q[0].multiply(p[1])));
        }
        assertEquals(Rational.ONE, twice);
    }

    @Test
    void theWindowCutsTheCell() {
        // u1 >= 1 and u2 >= u1 - 1, within [-2, 2]^2: corners (1, 0), (2, 1), (2, 2), (1, 2)
        assertEquals(Set.of("[1, 0]", "[2, 1]", "[2, 2]", "[1, 2]"), corners(PlaneCells.polygon(List.of(ge(1, 0, -1), ge(-1, 1, 1)), LO, HI)));
    }

    @Test
    void noInteriorNoPolygon() {
        assertTrue(PlaneCells.polygon(List.of(ge(1, 0, -3)), LO, HI).isEmpty(), "u1 >= 3 misses the window");
        assertTrue(PlaneCells.polygon(List.of(ge(1, 0, 0), ge(-1, 0, 0)), LO, HI).isEmpty(), "u1 = 0 is a segment");
        assertTrue(PlaneCells.polygon(List.of(ge(0, 0, -1)), LO, HI).isEmpty(), "a constant that fails");
    }
}
