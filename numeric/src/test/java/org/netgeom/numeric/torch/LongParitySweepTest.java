package org.netgeom.numeric.torch;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.train.TrainConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The long sweep behind {@code -Pnumeric-long}: 200-step trajectories of every optimizer on
 * several seeds of each test architecture, Java against PyTorch to 1e-10 (the default suite runs
 * one of each in {@link TorchParityTest}).
 */
@EnabledIfSystemProperty(named = "netgeom.long", matches = "true")
class LongParitySweepTest {
    record Case(String name, Model model, double[] x, double[] y, int n, TrainConfig config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        String[] opts = {"sgd", "sgd-nesterov", "adam", "adamw"};
        for (long seed = 100; seed < 104; seed++) {
            for (String o : opts) {
                Optimizer.Config oc = switch (o) {
                    case "sgd" -> Optimizer.Config.of("sgd", 0.02, null, null, false, null, null, null, null, false);
                    case "sgd-nesterov" -> Optimizer.Config.of("sgd", 0.02, 0.9, null, true, 1e-4, null, null, null, false);
                    case "adam" -> Optimizer.Config.of("adam", 0.003, null, null, false, null, null, null, null, false);
                    default -> Optimizer.Config.of("adamw", 0.003, null, null, false, null, null, null, null, true);
                };
                int n = 16;
                out.add(new Case("all-ops-" + seed + "-" + o, TestNets.allVectorOps(seed, !o.startsWith("adam")), TestNets.data(seed + 1, n, 3),
                        TestNets.data(seed + 2, n, 3), n,
                        new TrainConfig(Loss.MSE, oc, 200, 8, true, seed, true, Precision.F64, null, 1, false)));
                out.add(new Case("mlp-gelu-" + seed + "-" + o, TestNets.mlp(seed, TestNets.smooth(Layer.Smooth.Fn.GELU), 5, 20, 20, 4),
                        TestNets.data(seed + 3, 40, 5), TestNets.classes(seed + 4, 40, 4), 40,
                        new TrainConfig(Loss.CROSS_ENTROPY, oc, 200, 10, true, seed, true, Precision.F64, null, 1, false)));
                out.add(new Case("cnn-" + seed + "-" + o, TestNets.cnn(seed), TestNets.data(seed + 5, 8, 128),
                        TestNets.probabilities(seed + 6, 8, 3), 8,
                        new TrainConfig(Loss.CROSS_ENTROPY, oc, 60, 4, true, seed, true, Precision.F64, null, 1, false)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trajectoriesAgree(Case c) {
        if (TorchParityTest.torch == null) {
            TorchParityTest.bridge();
        }
        TorchParityTest.trajectory(c.model(), c.x(), c.y(), c.n(), c.config(), c.name());
    }
}
