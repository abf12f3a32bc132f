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

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Telgarsky (2016, "Benefits of depth in neural networks", Lemma 3.5 and the proof of
 * Theorem 1.1): the tent map t composed k times is piecewise affine on [0, 1] with exactly 2^k
 * affine pieces, each of slope ±2^k (a network of 2k layers and O(k) units), whereas a network
 * with few layers needs exponentially many units for as many pieces.
 *
 * <p>Checked with the exact region engine on [0, 1]: the number of affine pieces and every
 * piece's exact slope, for k = kmax, kmax − 1, … (one k per instance).
 *
 * <p>False variant: the lemma read as a statement about the whole line: "the k-fold tent has 2^k
 * affine pieces, slopes ±2^k, on [−1, 2]". The formula is the true one; only the network's
 * pieces outside [0, 1] (t vanishes there, two more pieces of slope 0: 2^k + 2 in all) refute it,
 * so the region engine must run on [−1, 2].
 */
public final class TelgarskyTent extends AbstractTheorem {

    public TelgarskyTent() {
        super("telgarsky-tent", "Telgarsky: the k-fold tent has 2^k affine pieces with slopes +-2^k",
                "The tent map t(x) = relu(2 relu(x) - 4 relu(x - 1/2)) composed k times has exactly 2^k affine pieces on [0, 1], "
                        + "each with slope +2^k or -2^k.",
                "\\#\\text{pieces}\\big(t^{\\circ k}|_{[0,1]}\\big) = 2^k,\\qquad (t^{\\circ k})' = \\pm 2^k",
                new Citation("M. Telgarsky", 2016, "Benefits of depth in neural networks", "Lemma 3.5 and Theorem 1.1"),
                "the k-fold tent has 2^k affine pieces with slopes +-2^k on [-1, 2] (the lemma read as a statement about the whole line)",
                List.of(new Param("kmax", "7", "the largest k; instance i checks k = kmax - i")));
    }

    private static double[] pow2(double[] ks) {
        double[] out = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = Math.pow(2, ks[i]);
        }
        return out;
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int kmax = ctx.intParam(this, "kmax", 1);
        int n = Math.min(ctx.instances(kmax), kmax);
        Map<String, Object> ev = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        ctx.progress().start(id(), n);
        for (int i = 0; i < n; i++) {
            int k = kmax - i;
            Model m = new Model("tent-" + k, Shape.of(1), Nets.tent(k));
            RegionSet rs = ctx.engines().regions().enumerate(m, ctx.falseVariant() ? Nets.box(1, Rational.MINUS_ONE, Rational.TWO)
                    : Nets.box(1, Rational.ZERO, Rational.ONE));
            BigInteger want = BigInteger.TWO.pow(k);
            Rational slope = Rational.TWO.pow(k);
            boolean slopesOk = true;
            for (RegionSet.Piece p : rs.pieces()) {
                slopesOk &= p.map().a(0, 0).abs().equals(slope);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("k", k);
            row.put("affinePieces", rs.affinePieces());
            row.put("activationRegions", rs.activationRegions());
            row.put("claimedPieces", want.toString());
            row.put("slopesArePlusMinus2^k", slopesOk);
            rows.add(row);
            if (!BigInteger.valueOf(rs.affinePieces()).equals(want) || !slopesOk) {
                ev.put("instances", rows);
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("k", k);
                ce.put("affinePieces", rs.affinePieces());
                ce.put("claimedPieces", want.toString());
                ce.put("breakpoints", rs.breakpoints().stream().map(Rational::toString).toList());
                ctx.progress().done();
                return result(ctx, Verdict.VIOLATED, i + 1, ev, ce, List.of(
                        "k = " + k + ": the exact enumeration finds " + rs.affinePieces() + " affine pieces" + (slopesOk ? "" : " (not all of slope +-2^k)")
                                + (ctx.falseVariant() ? " on [-1, 2]" : " on [0, 1]") + ", the statement claims " + want));
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        ev.put("instances", rows);
        double[] ks = new double[rows.size()];
        double[] pieces = new double[rows.size()];
        double[] linear = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<?, ?> r = (Map<?, ?>) rows.get(i);
            ks[i] = ((Number) r.get("k")).doubleValue();
            pieces[i] = ((Number) r.get("affinePieces")).doubleValue();
            linear[i] = 2 * ks[i];
        }
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "pieces counted by the exact region engine on [0, 1] (each region's witness checked exactly); slopes read off the exact maps"))
                .withFigures(List.of(new Figure("pieces", "Affine pieces of the k-fold tent on [0, 1]", "k", "affine pieces", false, true,
                        List.of(Figure.Series.points("exact count", ks, pieces), Figure.Series.line("2^k", ks, pow2(ks)),
                                Figure.Series.line("2k (linear growth)", ks, linear)))));
    }
}
