package org.netgeom.symbolic.loss;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.symbolic.exact.ExactForward;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test fixtures: random small piecewise-linear nets with rational weights, random data, and the
 * exact loss computed independently of the code under test (ExactForward + a sum of squares
 * written here).
 */
public final class Nets {
    private Nets() {
    }

    /** A random rational p/q with |p| ≤ 4q, q in 1..4. */
    public static Rational q(Random r) {
        int d = 1 + r.nextInt(4);
        return Rational.of(r.nextInt(8 * d + 1) - 4 * d, d);
    }

    public static Rational[][] matrix(Random r, int rows, int cols) {
        Rational[][] m = new Rational[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = q(r);
            }
        }
        return m;
    }

    public static Rational[] vector(Random r, int n) {
        Rational[] v = new Rational[n];
        for (int i = 0; i < n; i++) {
            v[i] = q(r);
        }
        return v;
    }

    public static Layer.Dense dense(Random r, int out, int in) {
        return new Layer.Dense(null, Tensor.matrix(matrix(r, out, in)), Tensor.vector(vector(r, out)));
    }

    /** in → dense → relu → dense → leaky(1/10) → dense → out, or with abs in the middle. */
    public static Model mlp(Random r, int in, int hidden, int out) {
        List<Layer> ls = new ArrayList<>();
        ls.add(dense(r, hidden, in));
        ls.add(Layer.AbRelu.relu(null));
        ls.add(dense(r, hidden, hidden));
        ls.add(r.nextBoolean() ? Layer.AbRelu.leakyRelu(null, Rational.of(1, 10)) : Layer.AbRelu.abs(null));
        ls.add(dense(r, out, hidden));
        return new Model("mlp", Shape.of(in), ls);
    }

    /** in → dense → residual(dense, relu) → relu → dense → out. */
    public static Model resnet(Random r, int in, int width, int out) {
        List<Layer> ls = new ArrayList<>();
        ls.add(dense(r, width, in));
        ls.add(new Layer.Residual("block", List.of(dense(r, width, width), Layer.AbRelu.relu(null)), null));
        ls.add(Layer.AbRelu.relu(null));
        ls.add(dense(r, out, width));
        return new Model("resnet", Shape.of(in), ls);
    }

    /** [1, 3, 3] → conv2d(2, 2×2) → relu → maxpool 2 → flatten → dense → 1. */
    public static Model convPool(Random r) {
        Rational[] w = vector(r, 2 * 4);
        Layer.Conv2d conv = new Layer.Conv2d("conv", Tensor.of(Shape.of(2, 1, 2, 2), w), Tensor.vector(vector(r, 2)),
                Layer.Hw.of(1), Layer.Hw.of(0));
        List<Layer> ls = List.of(conv, Layer.AbRelu.relu(null), new Layer.MaxPool2d(null, Layer.Hw.of(2), Layer.Hw.of(2)),
                new Layer.Flatten(null), dense(r, 1, 2));
        return new Model("convpool", Shape.of(1, 3, 3), ls);
    }

    public static DataSet data(Random r, int n, int in, int out) {
        return new DataSet(Tensor.matrix(matrix(r, n, in)), Tensor.matrix(matrix(r, n, out)));
    }

    /** The mse (PyTorch's MSELoss: mean over N·k) of a model on the data, exactly. */
    public static Rational mse(Model m, DataSet d) {
        Rational s = Rational.ZERO;
        for (int i = 0; i < d.size(); i++) {
            Rational[] f = ExactForward.eval(m, d.x(i));
            Rational[] y = d.y(i);
            for (int j = 0; j < y.length; j++) {
                Rational e = f[j].subtract(y[j]);
                s = s.add(e.multiply(e));
            }
        }
        return s.divide(Rational.of((long) d.size() * d.targetWidth()));
    }

    /** Every data point's pattern joined by '|' (ExactForward's convention). */
    public static String patterns(Model m, DataSet d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.append(i > 0 ? "|" : "").append(ExactForward.run(m, d.x(i)).pattern());
        }
        return sb.toString();
    }

    /** True when some data point sits on a kink (a zero pre-activation or a tie in a max). */
    public static boolean anyKink(Model m, DataSet d) {
        for (int i = 0; i < d.size(); i++) {
            if (ExactForward.run(m, d.x(i)).onKink()) {
                return true;
            }
        }
        return false;
    }

    /** A dense layer with weight W and bias b (the test's own construction, independent of LayerParams). */
    public static Layer.Dense dense(Rational[][] w, Rational[] b) {
        return new Layer.Dense(null, Tensor.matrix(w), Tensor.vector(b));
    }

    /** A random rational strictly between a and b. */
    public static Rational between(Random r, Rational a, Rational b) {
        Rational f = Rational.of(1 + r.nextInt(999), 1000);
        return a.add(b.subtract(a).multiply(f));
    }
}
