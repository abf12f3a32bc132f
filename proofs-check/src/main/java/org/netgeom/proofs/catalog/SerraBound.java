package org.netgeom.proofs.catalog;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Nets;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.UserModel;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.bounds.RegionBounds;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.RegionSet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serra, Tjandraatmadja &amp; Ramalingam (2018, "Bounding and counting linear regions of deep
 * neural networks", Theorem 1): a rectifier network with n0 inputs and hidden widths n_1..n_L has
 * at most Σ_{(j_1..j_L) ∈ J} Π_l C(n_l, j_l) linear regions, J = {j_l ≤ min(n0, n_1 − j_1, …,
 * n_{l−1} − j_{l−1}, n_l)}.
 *
 * <p>Checked by counting the activation regions of seeded random rational networks (and of a
 * user's network with {@code --model FILE --box=...}) exactly with the region engine and
 * comparing with the bound computed exactly ({@link RegionBounds}: for plain relu MLPs exactly
 * Theorem 1; for other piecewise-linear ops its documented conservative extension). A box holds a
 * subset of the regions of R^n0, so a count within it can only be smaller.
 *
 * <p>The first seeded instance is a line arrangement in general position where the bound is
 * attained (11 regions), so that a region engine that over-counts breaks the check.
 *
 * <p>False variant: the bound with the input dimension off by one (n0 − 1 in place of n0). An
 * upper bound that is merely smaller is not refuted by arithmetic: only a count above it is, and
 * the tight instance's 11 regions exceed the n0 − 1 bound 5.
 */
public final class SerraBound extends AbstractTheorem {

    public SerraBound() {
        super("serra-bound", "Serra et al.: the number of linear regions is at most the Theorem 1 bound",
                "A rectifier network with n0 inputs and hidden widths n_1..n_L has at most sum over j in J of prod_l C(n_l, j_l) "
                        + "linear regions, J = {j_l <= min(n0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l)}.",
                "\\#\\text{regions} \\le \\sum_{(j_1,\\dots,j_L)\\in J}\\prod_{l=1}^{L}\\binom{n_l}{j_l},\\quad "
                        + "J=\\{j_l\\le\\min(n_0, n_1-j_1,\\dots,n_{l-1}-j_{l-1}, n_l)\\}",
                new Citation("T. Serra, C. Tjandraatmadja, S. Ramalingam", 2018,
                        "Bounding and counting linear regions of deep neural networks", "Theorem 1"),
                "the bound evaluated with the input dimension n0 - 1 instead of n0",
                List.of(new Param("range", "8", "instances are counted on the box [-range, range]^n0")));
    }

    /**
     * One hidden layer of 4 relu units in 2 inputs whose lines x = 0, y = 0, x + y = 1, x − y = 2 are
     * in general position (no two parallel, no three concurrent; all 6 crossings inside [−4, 4]²):
     * Zaslavsky's count 1 + 4 + 6 = 11 regions, which is Theorem 1's bound for widths (4): the
     * instance where a region engine that over-counts (a spurious unit, a split region) breaks
     * the bound.
     */
    static Model tightArrangement() {
        Rational o = Rational.ONE;
        Rational z = Rational.ZERO;
        return new Model("serra-tight", org.netgeom.ir.Shape.of(2), List.of(
                new org.netgeom.ir.Layer.Dense(null, org.netgeom.ir.Tensor.matrix(new Rational[][]{{o, z}, {z, o}, {o, o}, {o, o.negate()}}),
                        org.netgeom.ir.Tensor.vector(z, z, o.negate(), Rational.of(-2))),
                org.netgeom.ir.Layer.AbRelu.relu(null),
                new org.netgeom.ir.Layer.Dense(null, org.netgeom.ir.Tensor.matrix(new Rational[][]{{o, o, o, o}}), null)));
    }

    @Override
    public boolean acceptsModel() {
        return true;
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        Rational range = ctx.positiveParam(this, "range");
        List<Model> models = new ArrayList<>();
        List<Domain> domains = new ArrayList<>();
        if (ctx.model() != null) {
            Model m = UserModel.piecewiseLinear(ctx, id());
            models.add(m);
            domains.add(UserModel.domain(ctx, m));
        } else {
            int n = ctx.instances(6);
            int[][] widths = {{4, 3, 2}, {3, 3}, {5, 2, 3}, {4, 4}, {3, 2, 2, 2}, {6, 3}};
            models.add(tightArrangement());                  // the bound is attained: 11 regions
            domains.add(Nets.box(2, Rational.of(-4), Rational.of(4)));
            for (int i = 1; i < n; i++) {
                int inputs = 1 + i % 3;
                Model m = RandomNets.mlp(ctx.seed() * 101 + i, inputs, widths[i % widths.length], 1, "relu", 4);
                models.add(m);
                domains.add(Nets.box(inputs, range.negate(), range));
            }
        }
        List<Object> rows = new ArrayList<>();
        Map<String, Object> ev = new LinkedHashMap<>();
        ctx.progress().start(id(), models.size());
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            RegionSet rs = ctx.engines().regions().enumerate(m, domains.get(i));
            RegionBounds.Bounds b = RegionBounds.of(m);
            BigInteger bound = b.serra();
            if (ctx.falseVariant()) {
                bound = RegionBounds.serra(b.inputs() - 1, b.widths().stream().mapToInt(Integer::intValue).toArray());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("inputs", b.inputs());
            row.put("widths", b.widths());
            row.put("activationRegions", rs.activationRegions());
            row.put("affinePieces", rs.affinePieces());
            row.put("serraBound", bound.toString());
            row.put("montufarBound", b.montufar().toString());
            rows.add(row);
            if (ctx.model() != null) {
                ev.putAll(row);
            }
            if (BigInteger.valueOf(rs.activationRegions()).compareTo(bound) > 0) {
                ev.put("instances", rows);
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("box", List.of(Instances.exact(domains.get(i).lower()), Instances.exact(domains.get(i).upper())));
                ce.put("activationRegions", rs.activationRegions());
                ce.put("claimedBound", bound.toString());
                ce.put("witnesses", rs.regions().stream().limit(50).map(r -> Instances.exact(r.witness())).toList());
                ctx.progress().done();
                return result(ctx, Verdict.VIOLATED, i + 1, ev, ce, List.of(rs.activationRegions() + " regions, each with an exactly "
                        + "checked witness (the first 50 listed), exceed the claimed bound " + bound));
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        if (ctx.model() == null) {
            ev.put("instances", rows);
        }
        return result(ctx, Verdict.HOLDS, models.size(), ev, null, List.of(
                "regions counted exactly by the region engine within the box (a subset of all regions), bound computed exactly"));
    }
}
