package org.netgeom.proofs.catalog;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Nets;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.bounds.RegionBounds;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.RegionSet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Montúfar, Pascanu, Cho &amp; Bengio (2014, "On the number of linear regions of deep neural
 * networks", Theorem 4 / Corollary 5): a rectifier network with n0 inputs and hidden widths
 * n_l ≥ n0 can compute functions with at least (Π_{l<L} ⌊n_l/n0⌋^{n0}) · Σ_{j=0}^{n0} C(n_L, j)
 * linear regions; their folding construction attains it.
 *
 * <p>Checked by building the construction ({@link Nets#montufar}) for several architectures with
 * 1 and 2 inputs, counting its affine pieces on [0, 1]^n0 exactly with the region engine, and
 * comparing with the bound computed exactly ({@link RegionBounds#montufar}).
 *
 * <p>False variant: the existence statement read as a universal one, "every rectifier network
 * with these widths has at least this many linear regions". The bound is the same number; what
 * changes is the network: seeded random rational weights of the same architecture (widths
 * p_l·n0, then n_L, one output). Only counting that network's regions exposes the misreading
 * (typical networks have far fewer regions than the construction, as Hanin &amp; Rolnick 2019
 * observe); an engine that overcounts would let it pass.
 */
public final class MontufarLower extends AbstractTheorem {
    /** (n0, folds p_l, last width n_L). */
    private static final int[][][] ARCHS = {{{1}, {3, 3}, {2}}, {{2}, {2}, {3}}, {{1}, {2, 2, 2}, {3}}, {{2}, {2, 2}, {3}}};

    public MontufarLower() {
        super("montufar-lower", "Montufar et al.: deep rectifier nets reach the folding lower bound on linear regions",
                "Montufar's construction with n0 inputs and hidden widths n_l >= n0 has at least "
                        + "(prod_{l<L} floor(n_l/n0)^n0) * sum_{j<=n0} C(n_L, j) linear regions.",
                "\\#\\text{regions} \\ge \\Big(\\prod_{l=1}^{L-1}\\Big\\lfloor\\frac{n_l}{n_0}\\Big\\rfloor^{n_0}\\Big)"
                        + "\\sum_{j=0}^{n_0}\\binom{n_L}{j}",
                new Citation("G. Montufar, R. Pascanu, K. Cho, Y. Bengio", 2014, "On the number of linear regions of deep neural networks",
                        "Theorem 4 and Corollary 5"),
                "every rectifier net with these widths (not only the folding construction) reaches the bound",
                List.of());
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        int n = ctx.instances(ARCHS.length);
        List<Object> rows = new ArrayList<>();
        Map<String, Object> ev = new LinkedHashMap<>();
        ctx.progress().start(id(), n);
        for (int i = 0; i < n; i++) {
            int[][] a = ARCHS[i % ARCHS.length];
            int n0 = a[0][0];
            List<Integer> widths = new ArrayList<>();
            for (int p : a[1]) {
                widths.add(p * n0);
            }
            widths.add(a[2][0]);
            BigInteger bound = RegionBounds.montufar(n0, widths);
            Model m = ctx.falseVariant()
                    ? RandomNets.mlp(ctx.seed() * 7919 + i, n0, widths.stream().mapToInt(Integer::intValue).toArray(), 1, "relu", 4)
                    : new Model("montufar-construction", Shape.of(n0), Nets.montufar(n0, a[1], a[2][0]));
            RegionSet rs = ctx.engines().regions().enumerate(m, Nets.box(n0, Rational.ZERO, Rational.ONE));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("inputs", n0);
            row.put("widths", widths);
            row.put("affinePieces", rs.affinePieces());
            row.put("activationRegions", rs.activationRegions());
            row.put("montufarBound", bound.toString());
            rows.add(row);
            if (BigInteger.valueOf(rs.affinePieces()).compareTo(bound) < 0) {
                ev.put("instances", rows);
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("affinePieces", rs.affinePieces());
                ce.put("claimedLowerBound", bound.toString());
                ctx.progress().done();
                String which = ctx.falseVariant() ? "a net with these widths and seeded random weights" : "the construction";
                return result(ctx, Verdict.VIOLATED, i + 1, ev, ce, List.of(which + " has " + rs.affinePieces()
                        + " linear regions on the unit cube, fewer than the claimed " + bound));
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        ev.put("instances", rows);
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "affine pieces of the folding construction counted exactly on [0, 1]^n0 by the region engine"));
    }
}
