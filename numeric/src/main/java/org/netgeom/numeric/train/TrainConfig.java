package org.netgeom.numeric.train;

import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a training run.
 *
 * @param steps            optimizer steps in all (an epoch count is turned into steps by the caller)
 * @param batch            examples per batch; 0 or ≥ N means full batch
 * @param shuffle          draw mini-batches in a seeded random order each epoch
 * @param batchNormTrain   batchnorm uses batch statistics and updates its running ones (PyTorch's model.train())
 * @param checkpointDir    where to keep the checkpoint, or null
 * @param checkpointEvery  write a checkpoint every this many steps (and at the end)
 * @param resume           continue from the checkpoint in checkpointDir when there is one
 */
public record TrainConfig(Loss loss, Optimizer.Config optimizer, long steps, int batch, boolean shuffle, long seed,
                          boolean batchNormTrain, Precision precision, Path checkpointDir, int checkpointEvery,
                          boolean resume) {

    /**
     * The settings that define the trajectory, which a checkpoint must agree on (the number of
     * steps is not among them: a run may be resumed with more steps to train further).
     */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loss", loss.spelling);
        m.putAll(optimizer.describe());
        m.put("batch", Integer.toString(batch));
        m.put("shuffle", Boolean.toString(shuffle));
        m.put("seed", Long.toString(seed));
        m.put("batchnorm", batchNormTrain ? "train" : "eval");
        m.put("dtype", precision == Precision.F64 ? "float64" : "float32");
        return m;
    }
}
