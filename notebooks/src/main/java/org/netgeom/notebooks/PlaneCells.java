package org.netgeom.notebooks;

import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.SplitProgram;
import org.netgeom.symbolic.poly.Unit;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact polygon of one loss cell in a plane of parameter space, for drawing it in a notebook.
 * {@link LossCell#compute} on {@code Variables.along(model, layer, {d1, d2}, {a, b})} describes the
 * cell of the point (a, b) by inequalities {@code normal·u + offset ≥ 0} (possibly redundant);
 * this intersects their half-planes with a window [lo, hi] and returns the vertices, exact and
 * counter-clockwise, computed by the shared polyhedral engine (the window and the half-planes
 * become a polytope domain, which {@link CellEnumerator} returns as one cell with exact vertices).
 * Nothing is enumerated: the cells of the whole plane are the job of {@code loss-surface --plane}.
 */
public final class PlaneCells {
    private PlaneCells() {
    }

    /** The closed cell ∩ the window, counter-clockwise; an empty list when that has no interior. */
    public static List<Rational[]> polygon(List<LossCell.Inequality> cell, Rational[] lo, Rational[] hi) {
        if (lo.length != 2 || hi.length != 2) {
            throw NotebookError.BAD_INPUT.error("a plane window has two coordinates, not " + lo.length);
        }
        List<Rational[]> a = new ArrayList<>();
        List<Rational> b = new ArrayList<>();
        Rational one = Rational.ONE;
        Rational zero = Rational.ZERO;
        a.add(new Rational[]{one, zero});
        b.add(hi[0]);
        a.add(new Rational[]{one.negate(), zero});
        b.add(lo[0].negate());
        a.add(new Rational[]{zero, one});
        b.add(hi[1]);
        a.add(new Rational[]{zero, one.negate()});
        b.add(lo[1].negate());
        for (LossCell.Inequality q : cell) {
            if (q.normal().length != 2) {
                throw NotebookError.BAD_INPUT.error("the cell lives in " + q.normal().length + " variables, not in a plane");
            }
            if (q.normal()[0].isZero() && q.normal()[1].isZero()) {
                if (q.offset().signum() < 0) {
                    return List.of();               // 0·u + offset ≥ 0 fails everywhere
                }
                continue;
            }
            a.add(new Rational[]{q.normal()[0].negate(), q.normal()[1].negate()});     // normal·u + offset ≥ 0
            b.add(q.offset());
        }
        Domain d;
        try {
            d = Domain.polytope(a.toArray(new Rational[0][]), b.toArray(new Rational[0]));
        } catch (NetgeomException e) {
            if (e.code() == SymbolicError.BAD_INPUT) {
                return List.of();                   // the exact LP found no interior point
            }
            throw e;
        }
        List<Cell<Void>> cells = CellEnumerator.enumerate(d, new Whole(), Options.defaults());
        return cells.get(0).vertices();
    }

    /** The program without units: the domain is a single cell. */
    private static final class Whole implements SplitProgram<Void> {
        @Override
        public int variables() {
            return 2;
        }

        @Override
        public Unit next() {
            return null;
        }

        @Override
        public void decide(int choice) {
            throw new IllegalStateException("no units to decide");
        }

        @Override
        public void undo() {
            throw new IllegalStateException("no units to undo");
        }

        @Override
        public Void leaf() {
            return null;
        }
    }
}
