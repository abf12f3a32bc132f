package org.netgeom.proofs.catalog;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batch normalisation's centering puts every unit's hyperplane through the batch centroid of
 * the layer's input (Balestriero &amp; Baraniuk 2022, "Batch normalization explained", Theorem 2
 * and Sec. 3): for a unit z(h) = wᵀh + b followed by BN with batch mean μ = (1/N)Σᵢ z(hᵢ), the
 * centred unit's zero set {h : wᵀh + b − μ = 0} contains h̄ = (1/N)Σᵢ hᵢ.
 *
 * <p>Checked exactly on random deep nets (dense → BN (train-mode batch statistics) → relu,
 * repeated), unit by unit and layer by layer, on the layer inputs the network actually produces
 * for the batch. BN's division by the batch standard deviation does not move the zero set, so
 * the exact check divides by a positive rational scale instead (the instance written as IR uses
 * inference-mode batchnorm with mean = the batch mean, var = 1/scale², eps = 0: the same network).
 *
 * <p>False variant: the hyperplane passes through the image g(x̄) of the input batch's centroid
 * under the preceding layers. Equal to h̄ in the first layer, it differs after a relu (the mean
 * of relu(z) is not relu of the mean), so the checker must find a unit whose hyperplane misses it.
 */
public final class BnCentering extends AbstractTheorem {

    public BnCentering() {
        super("bn-centering", "Batch normalisation centres each unit's hyperplane on the batch centroid",
                "For every unit z(h) = w^T h + b normalised by batch normalisation with batch mean mu = mean_i z(h_i), "
                        + "the centred hyperplane {h : w^T h + b - mu = 0} contains the centroid of the layer's input batch.",
                "\\forall k:\\; w_k^\\top \\bar h + b_k - \\mu_k = 0,\\quad \\bar h = \\tfrac1N\\textstyle\\sum_i h_i,\\;"
                        + " \\mu_k = \\tfrac1N\\textstyle\\sum_i (w_k^\\top h_i + b_k)",
                new Citation("R. Balestriero, R. G. Baraniuk", 2022, "Batch normalization explained", "Theorem 2 and Section 3"),
                "the hyperplane passes through g(x-bar), the image of the input batch's centroid under the preceding layers, "
                        + "instead of the centroid of the layer's own input batch",
                List.of(new Param("depth", "3", "dense+BN+relu blocks"), new Param("width", "3", "units per block"),
                        new Param("inputs", "2", "input dimension"), new Param("batch", "6", "batch size")));
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int depth = ctx.intParam(this, "depth", 1);
        int width = ctx.intParam(this, "width", 1);
        int inputs = ctx.intParam(this, "inputs", 1);
        int batch = ctx.intParam(this, "batch", 2);
        int n = ctx.instances(5);
        Random rnd = ctx.random(id());
        int units = 0;
        ctx.progress().start(id(), n);
        for (int inst = 0; inst < n; inst++) {
            List<Rational[]> xs = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                xs.add(Instances.vector(rnd, inputs, 8, 4).rationals());
            }
            List<Layer> layers = new ArrayList<>();
            List<Rational[]> h = xs;                           // the layer's input batch
            for (int l = 0; l < depth; l++) {
                int in = h.get(0).length;
                Layer.Dense dense = new Layer.Dense(null, Instances.matrix(rnd, width, in, 6, 3), Instances.vector(rnd, width, 6, 3));
                List<Rational[]> z = apply(dense, h);
                Rational[] mu = mean(z);
                Rational[] hbar = mean(h);
                Rational[] claimed = hbar;
                if (ctx.falseVariant()) {
                    Model prefix = new Model(null, Shape.of(inputs), layers);
                    claimed = ExactForward.eval(prefix, mean(xs));   // g(x-bar)
                }
                Rational[] zc = apply(dense, List.<Rational[]>of(claimed)).get(0);
                for (int k = 0; k < width; k++) {
                    units++;
                    Rational offset = zc[k].subtract(mu[k]);
                    if (!offset.isZero()) {
                        layers.add(dense);
                        Map<String, Object> ce = new LinkedHashMap<>();
                        ce.put("model", Instances.ir(new Model("bn-centering-counterexample", Shape.of(inputs), layers)));
                        ce.put("batch", Instances.exact(xs));
                        ce.put("layer", l);
                        ce.put("unit", k);
                        ce.put("claimedPoint", Instances.exact(claimed));
                        ce.put("batchMean", mu[k].toString());
                        ce.put("valueAtClaimedPoint", zc[k].toString());
                        ce.put("offset", offset.toString());
                        Map<String, Object> ev = new LinkedHashMap<>();
                        ev.put("unitsChecked", units);
                        ev.put("offset", offset.toString());
                        ctx.progress().done();
                        return result(ctx, Verdict.VIOLATED, inst + 1, ev, ce, List.of(
                                "unit " + k + " of block " + l + ": w^T p + b - mu = " + offset + " at the claimed point p"));
                    }
                }
                Rational[] scale = new Rational[width];
                for (int k = 0; k < width; k++) {
                    Rational spread = Rational.ONE;
                    for (Rational[] zi : z) {
                        spread = spread.add(zi[k].subtract(mu[k]).abs());
                    }
                    scale[k] = spread.reciprocal();              // any positive scale: the zero set does not move
                }
                Rational[] var = new Rational[width];
                Rational[] one = new Rational[width];
                Rational[] zero = new Rational[width];
                for (int k = 0; k < width; k++) {
                    var[k] = scale[k].multiply(scale[k]).reciprocal();
                    one[k] = Rational.ONE;
                    zero[k] = Rational.ZERO;
                }
                layers.add(dense);
                layers.add(new Layer.BatchNorm(null, Tensor.vector(mu), Tensor.vector(var), Tensor.vector(one), Tensor.vector(zero),
                        Rational.ZERO));
                layers.add(Layer.AbRelu.relu(null));
                Model net = new Model(null, Shape.of(inputs), layers);
                h = new ArrayList<>();
                for (Rational[] x : xs) {
                    h.add(ExactForward.eval(net, x));               // the next block's input, through the exact engine
                }
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("unitsChecked", units);
        ev.put("maxOffset", "0");
        ev.put("depth", depth);
        ev.put("batch", batch);
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "every centred hyperplane contains the centroid of its layer's input batch, exactly (rational arithmetic)",
                "the first block's input is the data itself, where the false variant coincides with the theorem; "
                        + "the blocks after a relu tell them apart"));
    }

    private static List<Rational[]> apply(Layer.Dense d, List<Rational[]> h) {
        List<Rational[]> out = new ArrayList<>();
        for (Rational[] x : h) {
            Rational[] z = new Rational[d.out()];
            for (int k = 0; k < d.out(); k++) {
                Rational s = d.bias().rational(k);
                for (int j = 0; j < d.in(); j++) {
                    s = s.add(d.weight().rational(k * d.in() + j).multiply(x[j]));
                }
                z[k] = s;
            }
            out.add(z);
        }
        return out;
    }

    private static Rational[] mean(List<Rational[]> rows) {
        Rational[] m = new Rational[rows.get(0).length];
        java.util.Arrays.fill(m, Rational.ZERO);
        for (Rational[] r : rows) {
            for (int j = 0; j < m.length; j++) {
                m[j] = m[j].add(r[j]);
            }
        }
        Rational inv = Rational.of(1, rows.size());
        for (int j = 0; j < m.length; j++) {
            m[j] = m[j].multiply(inv);
        }
        return m;
    }
}
