package org.netgeom.symbolic.loss;

import org.netgeom.ir.IrError;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.poly.Cell;
import org.netgeom.symbolic.poly.CellEnumerator;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.NetworkProgram;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss on a 2-D slice θ(a, b) = θ0 + a·d1 + b·d2 of one layer L's parameters, exactly: its
 * polygonal cells and the bivariate quadratic on each (Riedi, Balestriero &amp; Baraniuk 2022: with
 * the data fixed a piecewise-linear network is piecewise affine in one layer's parameters, so the
 * squared loss is piecewise quadratic there).
 *
 * <p>The cells come from the project's polyhedral engine ({@link CellEnumerator} on the
 * {@link NetworkProgram} of {@link ParameterTracks}, one track per data point): the open convex
 * polygons of the rectangle [A0, A1] × [B0, B1] on which every data point's activation pattern is
 * fixed, each with its exact vertices (counter-clockwise) and a rational witness strictly inside,
 * re-checked exactly by the engine. On a cell, data point i's output is the engine's exact affine
 * map f_i(a, b) = A_i (a, b)ᵀ + c_i, so with s = 1/(N·k) (mse) or 1 (sse)
 *
 * <pre>  loss(a, b) = s Σ_i Σ_j (A_ij0 a + A_ij1 b + c_ij − y_ij)²
 *             = Σ_{p+q ≤ 2} C_pq a^p b^q,</pre>
 *
 * exact on the closed cell (the loss is continuous).
 */
public final class LossPlane {
    private LossPlane() {
    }

    /** A bivariate polynomial Σ C_pq a^p b^q (here of degree ≤ 2), {@code c[p][q]} for p + q ≤ degree. */
    public record Poly2(Rational[][] c) {
        /** Its value at (a, b), exactly. */
        public Rational valueAt(Rational a, Rational b) {
            Rational s = Rational.ZERO;
            for (int p = c.length - 1; p >= 0; p--) {
                Rational row = Rational.ZERO;
                for (int q = c[p].length - 1; q >= 0; q--) {
                    row = row.multiply(b).add(c[p][q]);
                }
                s = s.multiply(a).add(row);
            }
            return s;
        }

        /** The coefficient of a^p b^q (0 beyond the degree). */
        public Rational coeff(int p, int q) {
            return p < c.length && q < c[p].length ? c[p][q] : Rational.ZERO;
        }

        /** The Hessian H (2×2) of the quadratic form ½ uᵀHu + gᵀu + c0 with u = (a, b). */
        public Rational[][] hessian() {
            return new Rational[][]{{coeff(2, 0).multiply(2), coeff(1, 1)}, {coeff(1, 1), coeff(0, 2).multiply(2)}};
        }

        /** The gradient at 0, g = (C_10, C_01). */
        public Rational[] g() {
            return new Rational[]{coeff(1, 0), coeff(0, 1)};
        }
    }

    /**
     * One cell: its exact vertices (counter-clockwise), a rational witness strictly inside, every
     * data point's pattern joined by '|', its exact area, and the loss on it.
     */
    public record PlaneCell(List<Rational[]> vertices, Rational[] witness, String pattern, Rational area, Poly2 loss) {
    }

    /** The cells (in the engine's order), the rectangle [A0, A1, B0, B1] and the engine's counters. */
    public record Result(List<PlaneCell> cells, Rational[] range, Stats stats) {
    }

    /**
     * The cells of the loss of {@code model} (no free symbols) on θ0 + a·d1 + b·d2, (a, b) in
     * {@code range} = [A0, A1, B0, B1], d1 and d2 in θ's order for layer {@code params}.
     * {@code options}: budget and progress (the cells are polygons, so the vertex mode is used).
     */
    public static Result compute(Model model, LayerParams params, Rational[] d1, Rational[] d2, DataSet data, LossKind loss,
                                 Rational[] range, Options options) {
        if (range.length != 4) {
            throw IrError.BAD_INPUT.at("--range", "--plane takes --range=A0,A1,B0,B1 (four numbers), not " + range.length);
        }
        for (int j = 0; j < 2; j++) {
            if (range[2 * j].compareTo(range[2 * j + 1]) >= 0) {
                throw IrError.BAD_INPUT.at("--range", "the range needs " + (j == 0 ? "A0 < A1" : "B0 < B1") + ", not "
                        + range[2 * j] + ", " + range[2 * j + 1]);
            }
        }
        ParameterTracks tracks = ParameterTracks.of(model, params, new Rational[][]{d1, d2}, data, false);
        Domain box = Domain.box(new Rational[]{range[0], range[2]}, new Rational[]{range[1], range[3]});
        Rational scale = loss.scale(data);
        List<PlaneCell> cells = new ArrayList<>();
        Options opt = options.withMode(Options.Mode.VERTEX).withArithmetic(Options.Arithmetic.EXACT);
        Stats st = CellEnumerator.enumerate(box, tracks.program(), opt, (Cell<NetworkProgram.Outputs> c) -> {
            List<Rational[]> v = c.vertices();
            cells.add(new PlaneCell(v, c.witness(), tracks.pattern(c.pattern()), area(v), quadratic(c.data(), data, scale)));
        });
        return new Result(cells, range.clone(), st);
    }

    /** s Σ_i ‖A_i u + c_i − y_i‖² as coefficients C_pq of a^p b^q. */
    static Poly2 quadratic(NetworkProgram.Outputs out, DataSet data, Rational scale) {
        Rational c00 = Rational.ZERO;
        Rational c10 = Rational.ZERO;
        Rational c01 = Rational.ZERO;
        Rational c20 = Rational.ZERO;
        Rational c11 = Rational.ZERO;
        Rational c02 = Rational.ZERO;
        for (int i = 0; i < out.tracks(); i++) {
            AffineMap m = out.map(i);
            Rational[] y = data.y(i);
            for (int j = 0; j < y.length; j++) {
                Rational p = m.a(j, 0);
                Rational q = m.a(j, 1);
                Rational e = m.b(j).subtract(y[j]);
                c00 = c00.add(e.multiply(e));
                c10 = c10.add(p.multiply(e).multiply(2));
                c01 = c01.add(q.multiply(e).multiply(2));
                c20 = c20.add(p.multiply(p));
                c11 = c11.add(p.multiply(q).multiply(2));
                c02 = c02.add(q.multiply(q));
            }
        }
        return new Poly2(new Rational[][]{
                {c00.multiply(scale), c01.multiply(scale), c02.multiply(scale)},
                {c10.multiply(scale), c11.multiply(scale)},
                {c20.multiply(scale)}});
    }

    /** The exact area of a polygon with vertices in order (the shoelace formula, absolute value). */
    public static Rational area(List<Rational[]> v) {
        Rational s = Rational.ZERO;
        for (int i = 0; i < v.size(); i++) {
            Rational[] p = v.get(i);
            Rational[] q = v.get((i + 1) % v.size());
            s = s.add(p[0].multiply(q[1]).subtract(q[0].multiply(p[1])));
        }
        return s.abs().multiply(Rational.HALF);
    }
}
