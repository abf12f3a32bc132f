package org.netgeom.numeric.train;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Progress;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.Rng;
import org.netgeom.numeric.TestNets;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.linalg.Parallel;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints, resumption, the non-finite stop, the batch schedule and float32 storage. */
class TrainerTest {
    private final int threads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threads);
    }

    static TrainConfig adam(long steps, Path dir, int every, boolean resume) {
        return new TrainConfig(Loss.MSE, Optimizer.Config.of("adam", 0.01, null, null, false, null, null, null, null, false), steps,
                5, true, 3, true, Precision.F64, dir, every, resume);
    }

    @Test
    void resumedRunIsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) {
        Model m = TestNets.allVectorOps(7);
        int n = 13;
        double[] x = TestNets.data(1, n, 3);
        double[] y = TestNets.data(2, n, 3);
        Net a = Net.of(m);
        Trainer.Result ra = Trainer.run(a, x, y, n, adam(23, tmp.resolve("a"), 4, false), Progress.NONE, null);

        Net b1 = Net.of(m);
        Trainer.run(b1, x, y, n, adam(9, tmp.resolve("b"), 3, false), Progress.NONE, null);
        assertEquals(9, Checkpoint.read(tmp.resolve("b")).step());
        Parallel.setThreads(1);         // a resumed run may use another number of threads
        Net b2 = Net.of(m);
        Trainer.Result rb = Trainer.run(b2, x, y, n, adam(23, tmp.resolve("b"), 3, true), Progress.NONE, null);
        assertEquals(9, rb.resumedFrom());
        assertArrayEquals(a.params(), b2.params(), "parameters bit for bit");
        assertArrayEquals(a.buffers(), b2.buffers(), "running statistics bit for bit");
        assertArrayEquals(ra.metrics(), rb.metrics(), "metrics bit for bit");
    }

    @Test
    void resumingAFinishedRunDoesNothingMore(@TempDir Path tmp) {
        Model m = TestNets.allVectorOps(8);
        double[] x = TestNets.data(1, 10, 3);
        double[] y = TestNets.data(2, 10, 3);
        Net a = Net.of(m);
        Trainer.run(a, x, y, 10, adam(6, tmp, 100, false), Progress.NONE, null);
        Net b = Net.of(m);
        Trainer.Result r = Trainer.run(b, x, y, 10, adam(6, tmp, 100, true), Progress.NONE, null);
        assertEquals(6, r.resumedFrom());
        assertArrayEquals(a.params(), b.params());
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused(@TempDir Path tmp) {
        Model m = TestNets.allVectorOps(9);
        double[] x = TestNets.data(1, 10, 3);
        double[] y = TestNets.data(2, 10, 3);
        Trainer.run(Net.of(m), x, y, 10, adam(3, tmp, 1, false), Progress.NONE, null);
        TrainConfig other = new TrainConfig(Loss.MSE, Optimizer.Config.of("adam", 0.02, null, null, false, null, null, null, null, false),
                6, 5, true, 3, true, Precision.F64, tmp, 1, true);
        NetgeomException e = assertThrows(NetgeomException.class, () -> Trainer.run(Net.of(m), x, y, 10, other, Progress.NONE, null));
        assertEquals(NumericError.CHECKPOINT, e.code());
    }

    @Test
    void nonFiniteLossStopsWithACodeAndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws java.io.IOException {
        Model m = TestNets.mlp(3, TestNets.relu(), 3, 8, 8, 2);
        double[] x = TestNets.data(4, 6, 3);
        double[] y = TestNets.data(5, 6, 2);
        TrainConfig c = new TrainConfig(Loss.MSE, Optimizer.Config.of("sgd", 1e3, null, null, false, null, null, null, null, false), 200,
                0, true, 0, true, Precision.F64, tmp, 1, false);
        NetgeomException e = assertThrows(NetgeomException.class, () -> Trainer.run(Net.of(m), x, y, 6, c, Progress.NONE, null));
        assertEquals(NumericError.NON_FINITE, e.code());
        long bad = (Long) e.details().get("step");
        Checkpoint.State s = Checkpoint.read(tmp);
        assertNotNull(s);
        assertEquals(bad - 1, s.step(), "the checkpoint is the state after the last step with a finite loss");
        for (double v : s.params()) {
            assertTrue(Double.isFinite(v));
        }
        assertTrue(Files.list(tmp).allMatch(p -> p.getFileName().toString().equals(Checkpoint.FILE)), "no temporary files left");
    }

    @Test
    void batchesCoverEachEpochOnceInASeededOrder() {
        Batches b = new Batches(11, 4, true, 5);
        assertEquals(3, b.perEpoch());
        for (int e = 0; e < 3; e++) {
            Set<Integer> seen = new HashSet<>();
            int count = 0;
            for (int s = 0; s < 3; s++) {
                int[] rows = b.rows(3L * e + s);
                assertEquals(s < 2 ? 4 : 3, rows.length);
                for (int r : rows) {
                    seen.add(r);
                    count++;
                }
            }
            assertEquals(11, seen.size());
            assertEquals(11, count);
        }
        assertArrayEquals(new Batches(11, 4, true, 5).rows(4), b.rows(4));
        assertTrue(!Arrays.equals(new Batches(11, 4, true, 6).rows(0), b.rows(0)), "another seed, another order");
        assertArrayEquals(new int[]{4, 5, 6, 7}, new Batches(11, 4, false, 5).rows(4), "file order without shuffle");
        assertArrayEquals(Rng.permutation(11, 5, 1), concat(b.rows(3), b.rows(4), b.rows(5)));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void float32StoresFloatsAndTracksFloat64() {
        Model m = TestNets.mlp(3, TestNets.smooth(org.netgeom.ir.Layer.Smooth.Fn.TANH), 3, 8, 2);
        double[] x = TestNets.data(4, 6, 3);
        double[] y = TestNets.data(5, 6, 2);
        Net f32 = Net.of(m, Precision.F32);
        Net f64 = Net.of(m);
        TrainConfig c32 = new TrainConfig(Loss.MSE, Optimizer.Config.of("sgd", 0.1, 0.9, null, false, null, null, null, null, false), 20,
                0, true, 0, true, Precision.F32, null, 1, false);
        TrainConfig c64 = new TrainConfig(Loss.MSE, c32.optimizer(), 20, 0, true, 0, true, Precision.F64, null, 1, false);
        Trainer.Result r32 = Trainer.run(f32, x, y, 6, c32, Progress.NONE, null);
        Trainer.run(f64, x, y, 6, c64, Progress.NONE, null);
        for (double v : f32.params()) {
            assertEquals((double) (float) v, v, 0.0, "a float32 value");
        }
        TestNets.assertClose(f32.params(), f64.params(), 1e-4, "float32 against float64");
        assertEquals((double) (float) r32.lastLoss(), r32.lastLoss(), 0.0);
    }

    private static Net trainWithBudget(Model m, double[] x, double[] y, int n, TrainConfig c, String budget, double[][] metrics) {
        String saved = System.getProperty("netgeom.dataBudget");
        System.setProperty("netgeom.dataBudget", budget);
        try {
            Net net = Net.of(m);
            metrics[0] = Trainer.run(net, x, y, n, c, Progress.NONE, null).metrics();
            return net;
        } finally {
            if (saved == null) {
                System.clearProperty("netgeom.dataBudget");
            } else {
                System.setProperty("netgeom.dataBudget", saved);
            }
        }
    }

    /**
     * A full batch larger than the working-set budget is done in row blocks whose gradients are
     * summed: the trajectory equals the one-block run's (the reference: the same steps with a
     * budget that holds the whole batch) up to the order of the sums.
     */
    @Test
    void aBigFullBatchIsStreamedInRowBlocksWithTheSameGradient() {
        Model m = TestNets.mlp(3, TestNets.relu(), 3, 16, 16, 2);
        int n = 5000;
        double[] x = TestNets.data(6, n, 3);
        double[] y = TestNets.data(7, n, 2);
        TrainConfig c = new TrainConfig(Loss.MSE, Optimizer.Config.of("sgd", 0.05, null, null, false, null, null, null, null, false), 8,
                0, false, 0, false, Precision.F64, null, 1, false);
        String saved = System.getProperty("netgeom.dataBudget");
        System.setProperty("netgeom.dataBudget", "1m");
        int chunk;
        try {
            chunk = Trainer.chunkRows(Net.of(m), 2, n, c);
        } finally {
            if (saved == null) {
                System.clearProperty("netgeom.dataBudget");
            } else {
                System.setProperty("netgeom.dataBudget", saved);
            }
        }
        // outputs per row: dense 16, relu 16, dense 16, relu 16, dense 2 = 66; 5000 rows × (5 × 8 + 66 × 32 bytes)
        // = 10.8 MB > 1 MB / 4: blocks of 121 rows
        assertEquals((int) Math.floor((1 << 20) / 4.0 / (8 * 5 + 32 * 66)), chunk);
        double[][] whole = new double[1][];
        double[][] blocks = new double[1][];
        Net a = trainWithBudget(m, x, y, n, c, "1g", whole);
        Net b = trainWithBudget(m, x, y, n, c, "1m", blocks);
        assertEquals(whole[0].length, blocks[0].length);
        for (int i = 0; i < whole[0].length; i++) {
            assertEquals(whole[0][i], blocks[0][i], 1e-12 * Math.max(1, Math.abs(whole[0][i])), "metrics " + i);
        }
        boolean differs = false;
        for (int i = 0; i < a.params().length; i++) {
            assertEquals(a.params()[i], b.params()[i], 1e-12 * Math.max(1, Math.abs(a.params()[i])), "parameter " + i);
            differs |= a.params()[i] != b.params()[i];
        }
        assertTrue(differs || chunk >= n, "the blocked run really took another summation order");
    }

    @Test
    void aBatchCoupledByBatchnormThatDoesNotFitIsRefusedUpFront() {
        Model m = TestNets.allVectorOps(7);
        int n = 4000;
        double[] x = TestNets.data(1, n, 3);
        double[] y = TestNets.data(2, n, 3);
        TrainConfig c = new TrainConfig(Loss.MSE, Optimizer.Config.of("sgd", 0.01, null, null, false, null, null, null, null, false), 2,
                0, false, 0, true, Precision.F64, null, 1, false);
        NetgeomException e = assertThrows(NetgeomException.class, () -> trainWithBudget(m, x, y, n, c, "256k", new double[1][]));
        assertEquals(org.netgeom.ir.IrError.DATA_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("batchnorm") && e.getMessage().contains("--batch"), e.getMessage());
        assertTrue(((Number) e.details().get("estimateBytes")).doubleValue() > 256 * 1024);
    }

    /**
     * The run's fingerprint sees every op constant, not only shapes: maxpool with kernel 2 and 3,
     * stride 2, on a 5×5 input both give 2×2 outputs, so a fingerprint of shapes alone let a
     * checkpoint of one resume the other. Same parameters, same data, same settings here.
     */
    @Test
    void fingerprintSeesOpConstantsThatShapesDoNotShow() {
        java.util.function.IntFunction<Model> pooled = k -> new Model("pool", org.netgeom.ir.Shape.of(1, 5, 5), java.util.List.of(
                new org.netgeom.ir.Layer.MaxPool2d(null, org.netgeom.ir.Layer.Hw.of(k), org.netgeom.ir.Layer.Hw.of(2)),
                new org.netgeom.ir.Layer.Flatten(null), TestNets.dense(new Rng(5), 4, 1)));
        Net k2 = Net.of(pooled.apply(2));
        Net k3 = Net.of(pooled.apply(3));
        assertEquals(k2.model().output(), k3.model().output(), "the two nets have the same shapes");
        assertArrayEquals(k2.params(), k3.params());
        double[] x = TestNets.data(1, 3, 25);
        double[] y = TestNets.data(2, 3, 1);
        TrainConfig c = adam(5, null, 0, false);
        assertTrue(!Trainer.fingerprint(k2, x, y, c).equals(Trainer.fingerprint(k3, x, y, c)), "kernel 2 vs 3");
        assertEquals(Trainer.fingerprint(k2, x, y, c), Trainer.fingerprint(Net.of(pooled.apply(2)), x, y, c), "deterministic");
    }
}
