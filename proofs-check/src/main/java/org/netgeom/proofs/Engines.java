package org.netgeom.proofs;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.kernels.WidthSweep;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.exact.ExactJacobian;
import org.netgeom.symbolic.kernels.KernelOptions;
import org.netgeom.symbolic.kernels.KernelResult;
import org.netgeom.symbolic.kernels.Kernels;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.Variables;
import org.netgeom.symbolic.perturb.Factors;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.util.List;

/**
 * The network engines the catalog's checks rely on, one seam each, so that a test can put a
 * broken engine (a wrong sign in a derivative, a dropped unit, a wrong map) in place of the real
 * one and see the true statement's check fail ({@code CatalogMutationTest}). {@link #REAL} holds
 * the project's engines and is what {@link CheckContext} carries unless told otherwise; the
 * command line always uses it.
 *
 * @param regions     the exact region engine ({@link Regions#enumerate}, default options): telgarsky-tent,
 *                    yarotsky-square, serra-bound, montufar-lower
 * @param lossGradient ∇_θ of L = ½ Σ_i ‖f(x_i) − y_i‖² by exact reverse mode (one backward pass per data
 *                    point seeded with its residual): pl-star
 * @param batchNormTrain the numeric engine's forward pass in training mode (batch statistics): bn-centering
 * @param factors     the perturbation code's local factors ({@link Factors#at}): resnet-conditioning
 * @param hInfinity   Du et al.'s H∞ with a certified smallest eigenvalue ({@link Kernels#hInfinity}): du-hinf
 * @param lossCell    the loss engine's cell quadratic ({@link LossCell#compute}, MSE): piecewise-quadratic-loss
 * @param flowGradient the numeric engine's gradient of the mean squared loss (inference mode, backprop):
 *                    gf-invariants
 * @param ntkSweep    the empirical NTK width sweep ({@link WidthSweep#run}, kind NTK): ntk-convergence
 */
public record Engines(RegionEngine regions, LossGradient lossGradient, BatchNormTrain batchNormTrain, LocalFactors factors,
                      HInfinity hInfinity, LossCells lossCell, FlowGradient flowGradient, NtkSweep ntkSweep) {

    /** Regions of a model in a domain. */
    public interface RegionEngine {
        RegionSet enumerate(Model m, Domain d);
    }

    /** ∇_θ ½ Σ_i ‖f(x_i) − y_i‖², parameters in {@link ExactJacobian#parameters} order. */
    public interface LossGradient {
        Rational[] at(Model m, DataSet data);
    }

    /** f on n rows {@code [n][in]} in training mode (batchnorm normalises with the batch's own mean and variance). */
    public interface BatchNormTrain {
        double[] forward(Model m, double[] x, int n);
    }

    /** The local factors of a model at x. */
    public interface LocalFactors {
        List<Factors.Factor> at(Model m, Rational[] x);
    }

    /** H∞ of a data set and its smallest eigenvalue. */
    public interface HInfinity {
        KernelResult of(DataSet data, KernelOptions options);
    }

    /** The MSE's quadratic on the cell of the variables' current values. */
    public interface LossCells {
        LossCell.Result compute(Variables vars, DataSet data);
    }

    /** Adds ∇ of the mean squared loss at the net's parameters to grad; returns the summed loss. */
    public interface FlowGradient {
        double add(Net net, double[] x, double[] y, int n, double[] grad);
    }

    /** The empirical NTK's relative error against {@code limit} over widths and seeds. */
    public interface NtkSweep {
        WidthSweep.Result run(double[][] x, double[][] limit, int[] widths, int seeds, long seed, Layer phi, int depth,
                              Progress progress);
    }

    /** The project's engines. */
    public static final Engines REAL = new Engines(
            (m, d) -> Regions.enumerate(m, d, Options.defaults()),
            Engines::backpropLossGradient,
            (m, x, n) -> Net.of(m).forward(x, n, true),
            Factors::at,
            Kernels::hInfinity,
            (v, d) -> LossCell.compute(v, d, LossKind.MSE, Progress.NONE),
            (net, x, y, n, g) -> net.lossGradient(x, y, n, Loss.MSE, 1 / Loss.MSE.denominator(n, net.outputSize()), false, g),
            (x, limit, widths, seeds, seed, phi, depth, p) -> WidthSweep.run(WidthSweep.Kind.NTK, x, limit, widths, seeds, seed,
                    phi, depth, 2, 0, p));

    /** ∇L by reverse mode through the exact engine: for each point, one backward pass seeded with r_i = f(x_i) − y_i. */
    private static Rational[] backpropLossGradient(Model m, DataSet data) {
        Rational[] g = null;
        for (int i = 0; i < data.size(); i++) {
            Rational[] x = data.x(i);
            Rational[] f = ExactForward.eval(m, x);
            Rational[] r = new Rational[f.length];
            for (int o = 0; o < f.length; o++) {
                r[o] = f[o].subtract(data.y(i)[o]);
            }
            Rational[] gi = ExactJacobian.vjp(m, x, r);
            if (g == null) {
                g = gi;
            } else {
                for (int j = 0; j < g.length; j++) {
                    g[j] = g[j].add(gi[j]);
                }
            }
        }
        return g;
    }

    public Engines withRegions(RegionEngine e) {
        return new Engines(e, lossGradient, batchNormTrain, factors, hInfinity, lossCell, flowGradient, ntkSweep);
    }

    public Engines withLossGradient(LossGradient e) {
        return new Engines(regions, e, batchNormTrain, factors, hInfinity, lossCell, flowGradient, ntkSweep);
    }

    public Engines withBatchNormTrain(BatchNormTrain e) {
        return new Engines(regions, lossGradient, e, factors, hInfinity, lossCell, flowGradient, ntkSweep);
    }

    public Engines withFactors(LocalFactors e) {
        return new Engines(regions, lossGradient, batchNormTrain, e, hInfinity, lossCell, flowGradient, ntkSweep);
    }

    public Engines withHInfinity(HInfinity e) {
        return new Engines(regions, lossGradient, batchNormTrain, factors, e, lossCell, flowGradient, ntkSweep);
    }

    public Engines withLossCell(LossCells e) {
        return new Engines(regions, lossGradient, batchNormTrain, factors, hInfinity, e, flowGradient, ntkSweep);
    }

    public Engines withFlowGradient(FlowGradient e) {
        return new Engines(regions, lossGradient, batchNormTrain, factors, hInfinity, lossCell, e, ntkSweep);
    }

    public Engines withNtkSweep(NtkSweep e) {
        return new Engines(regions, lossGradient, batchNormTrain, factors, hInfinity, lossCell, flowGradient, e);
    }
}
