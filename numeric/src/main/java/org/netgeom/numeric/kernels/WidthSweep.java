package org.netgeom.numeric.kernels;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * The convergence of empirical kernels to an analytic one with the width: for each width W and
 * seeds 0..K−1, the relative Frobenius error ‖K̂_W − K‖_F/‖K‖_F of a freshly drawn net's kernel,
 * its mean and standard deviation over the seeds, and the least-squares slope of log(mean error)
 * against log W (about −1/2 when the fluctuations are of order 1/√W).
 */
public final class WidthSweep {
    private WidthSweep() {
    }

    /** Which empirical kernel. */
    public enum Kind { NNGP, NTK, DU_GRAM }

    /** One width's errors. */
    public record Point(int width, int seeds, double meanError, double stdError) {
    }

    /** All widths and the fitted log-log slope. */
    public record Result(List<Point> points, double slope) {
    }

    /**
     * Runs the sweep. {@code analytic} is the limit kernel on the rows of x; the net is
     * {@code stax.serial(*[Dense(W), phi] * depth, Dense(1))} with σ_w², σ_b² (ignored for
     * {@link Kind#DU_GRAM}, whose width is Du et al.'s m).
     */
    public static Result run(Kind kind, double[][] x, double[][] analytic, int[] widths, int seeds, long seed, Layer phi,
                             int depth, double sigmaW2, double sigmaB2, Progress progress) {
        if (widths.length == 0 || seeds < 1) {
            throw IrError.BAD_INPUT.error("a width sweep needs at least one width and one seed");
        }
        List<Point> points = new ArrayList<>();
        progress.start("empirical " + kind.name().toLowerCase(java.util.Locale.ROOT), (long) widths.length * seeds);
        long done = 0;
        for (int w : widths) {
            if (w < 1) {
                throw IrError.BAD_INPUT.error("widths must be positive, not " + w);
            }
            double sum = 0;
            double sum2 = 0;
            for (int s = 0; s < seeds; s++) {
                long netSeed = seed * 1_000_003L + (long) w * 7919L + s;
                double[][] k = switch (kind) {
                    case DU_GRAM -> EmpiricalKernels.duGram(x, w, netSeed);
                    case NNGP -> EmpiricalKernels.nngp(RandomFcNet.sample(x[0].length, w, depth, phi, sigmaW2, sigmaB2, netSeed), x);
                    case NTK -> EmpiricalKernels.ntk(RandomFcNet.sample(x[0].length, w, depth, phi, sigmaW2, sigmaB2, netSeed), x);
                };
                double e = EmpiricalKernels.relativeFrobenius(k, analytic);
                sum += e;
                sum2 += e * e;
                progress.set(++done);
            }
            double mean = sum / seeds;
            double var = seeds > 1 ? Math.max(0, (sum2 - seeds * mean * mean) / (seeds - 1)) : 0;
            points.add(new Point(w, seeds, mean, Math.sqrt(var)));
        }
        progress.done();
        return new Result(List.copyOf(points), slope(points));
    }

    /** The least-squares slope of log(mean error) on log(width) (NaN for fewer than two widths). */
    static double slope(List<Point> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            double lx = Math.log(p.width());
            double ly = Math.log(p.meanError());
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }
}
