package org.netgeom.proofs.catalog;

import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.numeric.engine.Net;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batch normalisation moves every unit's partition boundary onto the batch (Balestriero &amp;
 * Baraniuk 2022, "Batch normalization explained", Sec. 3: BN's centering μ_k is the value that
 * minimises the total squared distance Σ_i (w_kᵀh_i + b_k − μ)² between the unit's hyperplane and
 * the layer's input batch, so in training mode the hyperplane {h : w_kᵀh + b_k = μ_k} passes
 * through the batch centroid h̄ = (1/N) Σ_i h_i and the boundaries of the spline partition are
 * brought to the data). With BN's output ẑ_k = (z_k − μ_k)/√(σ_k² + ε) (γ = 1, β = 0), affine in
 * h, this reads: the batch mean of ẑ_k is 0 (= ẑ_k(h̄)), and so the boundary {ẑ_k = 0} separates the
 * batch: some batch point has ẑ_k &gt; 0 and some ẑ_k &lt; 0 (unless all lie on it).
 *
 * <p>Checked by running the project's batchnorm layer in training mode
 * ({@link org.netgeom.proofs.Engines#batchNormTrain}: the numeric engine, float64) on deep random
 * nets (dense → BN → relu, repeated): for every block, the network up to that block's BN is run
 * on the batch and every unit's outputs are tested: |mean_i ẑ_ik| ≤ 1e-9, both signs present
 * (beyond 1e-9). The network is then frozen (every BN's running statistics set to the batch mean
 * and biased variance computed here from the layer inputs) and evaluated in inference mode; it must
 * reproduce the training-mode outputs on the batch to 1e-9. Decisions are float64 with those
 * tolerances (BN's √ makes the train-mode net irrational).
 *
 * <p>False variant: every boundary passes through the input batch's centroid x̄, i.e.
 * ẑ_k(g(x̄)) = 0 for the frozen network g (the centroid taken in input space instead of in each
 * layer's input space). The same in the first block, it fails after a relu (the mean of relu(z)
 * is not relu of the mean), and only running the network at x̄ shows it.
 */
public final class BnCentering extends AbstractTheorem {
    private static final double TOL = 1e-9;
    private static final double MISS = 1e-6;

    public BnCentering() {
        super("bn-centering", "Batch normalisation puts each unit's partition boundary through its layer's batch centroid",
                "In training mode, for every unit normalised by batch normalisation (z = w^T h + b, output (z - mu)/sqrt(var + eps) with "
                        + "the batch's mean mu and variance var), the batch mean of the output is 0: the unit's boundary passes through "
                        + "the centroid of the layer's input batch, and it separates the batch (points on both sides).",
                "\\tfrac1N\\textstyle\\sum_i \\hat z_k(h_i) = \\hat z_k(\\bar h) = 0,\\quad "
                        + "\\min_i \\hat z_k(h_i) < 0 < \\max_i \\hat z_k(h_i),\\quad \\hat z_k = \\frac{w_k^\\top h + b_k - \\mu_k}{\\sqrt{\\sigma_k^2+\\epsilon}}",
                new Citation("R. Balestriero, R. G. Baraniuk", 2022, "Batch normalization explained", "Section 3 (BN's mean centering "
                        + "as the total-least-squares fit of each unit's hyperplane to the layer's input batch)"),
                "every unit's boundary passes through the input batch's centroid x-bar pushed through the (frozen) network, "
                        + "instead of through the centroid of the layer's own input batch",
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
        double worstMean = 0;
        double worstReplay = 0;
        ctx.progress().start(id(), n);
        for (int inst = 0; inst < n; inst++) {
            List<Rational[]> xs = new ArrayList<>();
            double[] x = new double[batch * inputs];
            for (int i = 0; i < batch; i++) {
                Rational[] xi = Instances.vector(rnd, inputs, 8, 4).rationals();
                xs.add(xi);
                for (int j = 0; j < inputs; j++) {
                    x[i * inputs + j] = xi[j].doubleValue();
                }
            }
            double[] xbar = new double[inputs];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < inputs; j++) {
                    xbar[j] += x[i * inputs + j] / batch;
                }
            }
            List<Layer> train = new ArrayList<>();          // BN with untouched running statistics (0, 1)
            List<Layer> frozen = new ArrayList<>();         // BN with the batch statistics: inference mode = training mode on the batch
            double[] h = x;                                  // the block's input batch, from the network in training mode
            int in = inputs;
            for (int l = 0; l < depth; l++) {
                Layer.Dense dense = new Layer.Dense(null, Instances.matrix(rnd, width, in, 6, 3), Instances.vector(rnd, width, 6, 3));
                double[] z = Net.of(new Model(null, Shape.of(in), List.of(dense))).forward(h, batch, false);
                double[] mu = new double[width];
                double[] var = new double[width];
                for (int i = 0; i < batch; i++) {
                    for (int k = 0; k < width; k++) {
                        mu[k] += z[i * width + k] / batch;
                    }
                }
                for (int i = 0; i < batch; i++) {
                    for (int k = 0; k < width; k++) {
                        double d = z[i * width + k] - mu[k];
                        var[k] += d * d / batch;
                    }
                }
                train.add(dense);
                train.add(bn(new double[width], ones(width)));
                frozen.add(dense);
                frozen.add(bn(mu, var));
                Model upToBn = new Model("bn-centering-instance", Shape.of(inputs), train);
                double[] zhat = ctx.engines().batchNormTrain().forward(upToBn, x, batch);   // the project's BN, training mode
                Model frozenUpToBn = new Model("bn-centering-frozen", Shape.of(inputs), frozen);
                double[] replay = Net.of(frozenUpToBn).forward(x, batch, false);
                double[] atCentroid = Net.of(frozenUpToBn).forward(xbar, 1, false);
                for (int k = 0; k < width; k++) {
                    units++;
                    double mean = 0;
                    double lo = Double.POSITIVE_INFINITY;
                    double hi = Double.NEGATIVE_INFINITY;
                    double rep = 0;
                    for (int i = 0; i < batch; i++) {
                        double v = zhat[i * width + k];
                        mean += v / batch;
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                        rep = Math.max(rep, Math.abs(v - replay[i * width + k]));
                    }
                    worstMean = Math.max(worstMean, Math.abs(mean));
                    worstReplay = Math.max(worstReplay, rep);
                    boolean allOn = hi <= TOL && lo >= -TOL;
                    String failure = null;
                    if (ctx.falseVariant()) {
                        if (Math.abs(atCentroid[k]) > MISS) {
                            failure = "the boundary misses g(x-bar): z-hat(g(x-bar)) = " + atCentroid[k];
                        }
                    } else if (Math.abs(mean) > TOL) {
                        failure = "the batch mean of the normalised unit is " + mean + ", not 0: the boundary misses the layer's batch centroid";
                    } else if (!allOn && !(lo < -TOL && hi > TOL)) {
                        failure = "the boundary does not separate the batch: z-hat ranges over [" + lo + ", " + hi + "]";
                    } else if (rep > TOL) {
                        failure = "the training-mode outputs differ from the network frozen at the batch statistics by " + rep;
                    }
                    if (failure != null) {
                        Map<String, Object> ce = new LinkedHashMap<>();
                        ce.put("model", Instances.ir(frozenUpToBn));
                        ce.put("batch", Instances.exact(xs));
                        ce.put("block", l);
                        ce.put("unit", k);
                        ce.put("batchMeanOfOutput", mean);
                        ce.put("outputRange", List.of(lo, hi));
                        ce.put("outputAtInputCentroid", atCentroid[k]);
                        Map<String, Object> ev = new LinkedHashMap<>();
                        ev.put("unitsChecked", units);
                        ev.put("maxAbsBatchMean", worstMean);
                        ctx.progress().done();
                        return result(ctx, Verdict.VIOLATED, inst + 1, ev, ce, List.of("unit " + k + " of block " + l + ": " + failure,
                                "the counterexample's model is the network with every BN frozen at its batch statistics "
                                        + "(inference mode reproduces training mode on the batch)"));
                    }
                }
                train.add(Layer.AbRelu.relu(null));
                frozen.add(Layer.AbRelu.relu(null));
                h = ctx.engines().batchNormTrain().forward(new Model(null, Shape.of(inputs), train), x, batch);
                in = width;
            }
            ctx.progress().step(1);
        }
        ctx.progress().done();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("unitsChecked", units);
        ev.put("maxAbsBatchMean", worstMean);
        ev.put("maxReplayDifference", worstReplay);
        ev.put("tolerance", TOL);
        ev.put("depth", depth);
        ev.put("batch", batch);
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "the numeric engine's batchnorm in training mode (float64) gives every unit a batch mean of 0 within 1e-9, "
                        + "so its boundary passes through the layer's batch centroid, with batch points on both sides",
                "the first block's input is the data itself, where the false variant coincides with the theorem; "
                        + "the blocks after a relu tell them apart"));
    }

    private static Layer.BatchNorm bn(double[] mean, double[] var) {
        int w = mean.length;
        Shape s = Shape.of(w);
        return new Layer.BatchNorm(null, Tensor.ofDoubles(s, mean), Tensor.ofDoubles(s, var), Tensor.ofDoubles(s, ones(w)),
                Tensor.ofDoubles(s, new double[w]), Layer.BatchNorm.DEFAULT_EPS);
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        Arrays.fill(o, 1);
        return o;
    }
}
