package org.netgeom.proofs.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Generates the instances of {@link RandomModels}. */
public final class RandomModelsProvider implements ArgumentsProvider, AnnotationConsumer<RandomModels> {
    private RandomModels spec;

    @Override
    public void accept(RandomModels a) {
        this.spec = a;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        return IntStream.range(0, spec.count()).mapToObj(i -> Arguments.of(instance(spec, i)));
    }

    /** The i-th instance of a spec (deterministic). */
    public static NetInstance instance(RandomModels s, int i) {
        Random r = new Random(s.seed() * 7919 + i);
        List<Layer> layers = new ArrayList<>();
        int in = s.inputs();
        for (int w : s.widths()) {
            Layer.Dense d = new Layer.Dense(null, matrix(r, w, in, s), vector(r, w, s));
            Layer act = activation(s.activation());
            if (s.residual() && w == in) {
                layers.add(new Layer.Residual(null, List.of(d, act), null));
            } else {
                layers.add(d);
                layers.add(act);
            }
            in = w;
        }
        layers.add(new Layer.Dense(null, matrix(r, s.outputs(), in, s), vector(r, s.outputs(), s)));
        Rational[] x = new Rational[s.inputs()];
        for (int j = 0; j < x.length; j++) {
            x[j] = Rational.of(r.nextInt(129) - 64, 64);
        }
        return new NetInstance(new Model("random-" + s.seed() + "-" + i, Shape.of(s.inputs()), layers), x, s.seed(), i);
    }

    private static Layer activation(String op) {
        return switch (op) {
            case "relu" -> Layer.AbRelu.relu(null);
            case "leaky_relu" -> Layer.AbRelu.leakyRelu(null, Rational.of(1, 10));
            case "abs" -> Layer.AbRelu.abs(null);
            case "identity" -> new Layer.Identity(null);
            case "square" -> new Layer.Square(null);
            default -> {
                Layer.Smooth.Fn fn = Layer.Smooth.Fn.byOp(op);
                if (fn == null) {
                    throw new IllegalArgumentException("unknown activation " + op);
                }
                yield new Layer.Smooth(null, fn);
            }
        };
    }

    private static Rational q(Random r, RandomModels s) {
        return Rational.of(r.nextInt(2 * s.numerator() + 1) - s.numerator(), 1 + r.nextInt(s.denominator()));
    }

    private static Tensor matrix(Random r, int rows, int cols, RandomModels s) {
        Rational[][] m = new Rational[rows][cols];
        for (Rational[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = q(r, s);
            }
        }
        return Tensor.matrix(m);
    }

    private static Tensor vector(Random r, int n, RandomModels s) {
        Rational[] v = new Rational[n];
        for (int i = 0; i < n; i++) {
            v[i] = q(r, s);
        }
        return Tensor.vector(v);
    }
}
