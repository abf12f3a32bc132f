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
 * <p>False variant: the bound with the input dimension off by one (n0 − 1 in place of n0).
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
            for (int i = 0; i < n; i++) {
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
