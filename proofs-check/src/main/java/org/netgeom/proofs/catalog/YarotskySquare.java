package org.netgeom.proofs.catalog;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Figure;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Nets;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.regions.RegionSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Yarotsky (2017, "Error bounds for approximations with deep ReLU networks", Proposition 2):
 * f_m(x) = x − Σ_{s=1..m} g_s(x)/4^s, with g_s the s-fold tent, is the piecewise-linear
 * interpolant of x² at the 2^m + 1 points k/2^m, so it has 2^m affine pieces on [0, 1] and
 * sup_{[0,1]} |f_m(x) − x²| = 2^{−2m−2}.
 *
 * <p>Checked exactly: the network (a width-3 ReLU net of depth m, {@link Nets#yarotsky}) is
 * enumerated on [0, 1]; on each piece f = ax + b the error e(x) = ax + b − x² is concave, so its
 * maximum over the piece is at x = a/2 when that lies in the piece, else at an endpoint, and its
 * minimum at an endpoint: the exact sup of |e| is the larger of the two magnitudes.
 *
 * <p>False variant: the same bound on [0, 2] (the proposition read as a statement about the net,
 * not about [0, 1]). The formula is the true one; only the network outside [0, 1] refutes it
 * (there g_s is no longer the s-fold tent; for m = 6 the exact error reaches 3/2 at x = 2), so the
 * region engine must run on [0, 2].
 */
public final class YarotskySquare extends AbstractTheorem {

    public YarotskySquare() {
        super("yarotsky-square", "Yarotsky: the sawtooth approximation of x^2 has sup error 2^(-2m-2) with 2^m pieces",
                "f_m(x) = x - sum_{s<=m} g_s(x)/4^s, g_s the s-fold tent, has exactly 2^m affine pieces on [0, 1] and "
                        + "sup_[0,1] |f_m(x) - x^2| = 2^(-2m-2).",
                "f_m(x) = x-\\sum_{s=1}^m \\frac{g_s(x)}{4^s},\\quad \\sup_{[0,1]}|f_m(x)-x^2| = 2^{-2m-2},\\quad \\#\\text{pieces}=2^m",
                new Citation("D. Yarotsky", 2017, "Error bounds for approximations with deep ReLU networks", "Proposition 2"),
                "the same sup error 2^(-2m-2) on [0, 2] (the proposition read as a statement about the net rather than about [0, 1])",
                List.of(new Param("mmax", "6", "the largest m; instance i checks m = mmax - i")));
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int mmax = ctx.intParam(this, "mmax", 1);
        int n = Math.min(ctx.instances(mmax), mmax);
        Map<String, Object> ev = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        List<Figure.Series> curves = new ArrayList<>();
        ctx.progress().start(id(), n);
        for (int i = 0; i < n; i++) {
            int m = mmax - i;
            Model net = new Model("yarotsky-" + m, Shape.of(1), Nets.yarotsky(m));
            RegionSet rs = ctx.engines().regions().enumerate(net, Nets.box(1, Rational.ZERO, ctx.falseVariant() ? Rational.TWO : Rational.ONE));
            Rational sup = Rational.ZERO;
            Rational argmax = null;
            for (RegionSet.Interval iv : rs.intervals()) {
                Rational a = iv.piece().map().a(0, 0);
                Rational b = iv.piece().map().b()[0];
                List<Rational> candidates = new ArrayList<>(List.of(iv.lo(), iv.hi()));
                Rational vertex = a.multiply(Rational.HALF);
                if (vertex.compareTo(iv.lo()) > 0 && vertex.compareTo(iv.hi()) < 0) {
                    candidates.add(vertex);
                }
                for (Rational x : candidates) {
                    Rational e = a.multiply(x).add(b).subtract(x.multiply(x)).abs();
                    if (e.compareTo(sup) > 0) {
                        sup = e;
                        argmax = x;
                    }
                }
            }
            if (m <= 3) {
                List<Double> xs = new ArrayList<>();
                List<Double> es = new ArrayList<>();
                for (RegionSet.Interval iv : rs.intervals()) {
                    Rational a = iv.piece().map().a(0, 0);
                    Rational b = iv.piece().map().b()[0];
                    for (int j = 0; j <= 8; j++) {
                        Rational x = iv.lo().add(iv.hi().subtract(iv.lo()).multiply(Rational.of(j, 8)));
                        xs.add(x.doubleValue());
                        es.add(a.multiply(x).add(b).subtract(x.multiply(x)).doubleValue());
                    }
                }
                curves.add(Figure.Series.line("f_" + m + "(x) - x^2", xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        es.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            Rational claimed = Rational.of(2).pow(-2 * m - 2);
            int wantPieces = 1 << m;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("m", m);
            row.put("affinePieces", rs.affinePieces());
            row.put("supError", sup.toString());
            row.put("attainedAt", argmax == null ? null : argmax.toString());
            row.put("claimedSupError", claimed.toString());
            rows.add(row);
            if (!sup.equals(claimed) || rs.affinePieces() != wantPieces) {
                ev.put("instances", rows);
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(net));
                ce.put("m", m);
                ce.put("supError", sup.toString());
                ce.put("attainedAt", argmax == null ? null : argmax.toString());
                ce.put("claimedSupError", claimed.toString());
                ce.put("affinePieces", rs.affinePieces());
                ctx.progress().done();
                return result(ctx, Verdict.VIOLATED, i + 1, ev, ce, List.of("m = " + m + ": exact sup error " + sup + ", claimed " + claimed));
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        ev.put("instances", rows);
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "sup |f_m - x^2| computed exactly piece by piece from the exact affine maps (concave error: vertex or endpoints)"))
                .withFigures(List.of(new Figure("error", "Yarotsky's approximation error f_m(x) - x^2 on [0, 1]", "x", "f_m(x) - x^2",
                        false, false, curves)));
    }
}
