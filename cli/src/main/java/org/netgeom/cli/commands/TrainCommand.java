package org.netgeom.cli.commands;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.AtomicFiles;
import org.netgeom.ir.io.IrWriter;
import org.netgeom.ir.io.Safetensors;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.loss.Loss;
import org.netgeom.numeric.optim.Optimizer;
import org.netgeom.numeric.torch.TorchEngine;
import org.netgeom.numeric.train.Batches;
import org.netgeom.numeric.train.Init;
import org.netgeom.numeric.train.TrainConfig;
import org.netgeom.numeric.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code netgeom train MODEL --data DATA --loss mse --optimizer sgd --lr 0.05 (--steps N | --epochs E)
 * [--batch B|full] [--seed S] [--engine java|torch] --out TRAINED.json ...}: trains the model and
 * writes it back as IR with the trained weights as JSON numbers that read back to the same
 * doubles (or, with {@code --weights-file}, as references into a safetensors file). The Java
 * engine checkpoints atomically ({@code --checkpoint DIR}, {@code --resume}): a run killed at any
 * point and resumed ends bit-identical to an uninterrupted one.
 */
@Command(name = "train", description = "Train a model (Java engine or PyTorch) and write it with its trained weights.")
public final class TrainCommand extends NumericCommand {
    @Option(names = "--loss", defaultValue = "mse", paramLabel = "mse|cross_entropy", description = "The loss, as torch.nn.MSELoss / CrossEntropyLoss. Default mse.")
    String loss;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adam|adamw", description = "As torch.optim. Default sgd.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (required for sgd; adam/adamw default 1e-3).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default 0).")
    Double momentum;

    @Option(names = "--dampening", paramLabel = "D", description = "SGD dampening (default 0).")
    Double dampening;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "W", description = "L2 penalty (sgd, adam) or decoupled decay (adamw). Defaults 0, adamw 1e-2.")
    Double weightDecay;

    @Option(names = "--betas", paramLabel = "B1,B2", description = "Adam's betas (default 0.9,0.999).")
    String betas;

    @Option(names = "--eps", paramLabel = "EPS", description = "Adam's eps (default 1e-8).")
    Double eps;

    @Option(names = "--amsgrad", description = "Adam/AdamW with AMSGrad.")
    boolean amsgrad;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps.")
    Long steps;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the data (steps = E·⌈N/B⌉).")
    Long epochs;

    @Option(names = "--batch", defaultValue = "full", paramLabel = "B|full", description = "Examples per step, or full (default).")
    String batch;

    @Option(names = "--shuffle", description = "Draw mini-batches in a seeded random order each epoch (default: file order, as "
            + "DataLoader(shuffle=False)).")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the batch order and the initialiser. Default 0.")
    long seed;

    @Option(names = "--init", defaultValue = "keep", paramLabel = "keep|torch|kaiming|ntk", description = "Initial weights: those in the file (default) or a seeded initialiser.")
    String init;

    @Option(names = "--init-sigma-w", defaultValue = "1", paramLabel = "S", description = "σ_w of --init ntk (default 1).")
    double sigmaW;

    @Option(names = "--init-sigma-b", defaultValue = "0", paramLabel = "S", description = "σ_b of --init ntk (default 0).")
    double sigmaB;

    @Option(names = "--batchnorm", defaultValue = "train", paramLabel = "train|eval", description = "Batchnorm during training: batch statistics (train, PyTorch's default) or running ones (eval).")
    String batchnorm;

    @Option(names = "--nproc", defaultValue = "1", paramLabel = "N", description = "PyTorch processes (DistributedDataParallel through torchrun; --engine torch).")
    int nproc;

    @Option(names = "--out", required = true, paramLabel = "TRAINED.json", description = "Where to write the trained model.")
    Path out;

    @Option(names = "--weights-file", paramLabel = "PATH", description = "Write the weights to this safetensors file and refer to it from --out.")
    Path weightsFile;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Keep an atomic checkpoint in DIR (Java engine).")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint DIR when there is one.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "K", description = "Checkpoint every K steps and at the end (default 100).")
    int checkpointEvery;

    @Option(names = "--log", paramLabel = "metrics.csv", description = "Write step, epoch, loss per step as CSV.")
    Path log;

    @Option(names = "--plot", paramLabel = "loss.svg|png", description = "Plot the loss per step.")
    Path plot;

    @Override
    public Integer call() {
        boolean onTorch = torch();
        if (resume && checkpoint == null) {
            throw NumericError.BAD_OPTION.at("--resume", "--resume needs --checkpoint DIR");
        }
        if (onTorch && checkpoint != null) {
            throw NumericError.BAD_OPTION.at("--checkpoint", "checkpoints are kept by the Java engine; drop --checkpoint or use --engine java");
        }
        if (!onTorch && nproc != 1) {
            throw NumericError.BAD_OPTION.at("--nproc", "--nproc runs PyTorch DDP; use it with --engine torch");
        }
        if (checkpointEvery < 1) {
            throw NumericError.BAD_OPTION.at("--checkpoint-every", "--checkpoint-every must be at least 1");
        }
        if (!onTorch) {
            org.netgeom.numeric.engine.Warmup.start(precision());   // compiles the kernels while the files are read
        }
        Inputs in = inputs(plot);
        double[] x = in.x();
        double[] y = targets(in.data());
        int n = in.n();
        Net net = compile(in.model());
        Init.parse(init).apply(net, seed, sigmaW, sigmaB);
        TrainConfig c = config(n, net);
        long t0 = System.nanoTime();
        Model trained;
        double[] metrics;
        long resumedFrom = 0;
        if (onTorch) {
            TorchEngine.Trained t = torchEngine(nproc).train(net, x, y, n, c);
            trained = t.model();
            metrics = t.metrics();
        } else {
            Trainer.Result r;
            java.util.List<double[]> seen = new java.util.ArrayList<>();
            try {
                r = Trainer.run(net, x, y, n, c, ProgressBars.forStderr(), new Trainer.Listener() {
                    @Override
                    public void onStart(long step, double[] rows) {
                        seen.add(rows);
                    }

                    @Override
                    public void onStep(long step, long epoch, double loss) {
                        seen.add(new double[]{step, epoch, loss});
                    }

                    @Override
                    public void onCheckpoint(long step, double[] rows) {
                        writeLog(rows);
                    }
                });
            } catch (NetgeomException e) {
                if (e.code() == NumericError.NON_FINITE) {
                    // the log gets the steps that had a finite loss; --out is not written and the
                    // checkpoint on disk stays the last good one
                    writeLog(seen.stream().flatMapToDouble(java.util.Arrays::stream).toArray());
                }
                throw e;
            }
            trained = net.toModel();
            metrics = r.metrics();
            resumedFrom = r.resumedFrom();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeModel(trained);
        writeLog(metrics);
        if (plot != null) {
            PlotFiles.save(chart(metrics), plot);
        }
        double after = Net.of(trained, precision()).meanLoss(x, y, n, c.loss());
        report(c, n, metrics, resumedFrom, seconds, after);
        return 0;
    }

    private TrainConfig config(int n, Net net) {
        Double b1 = null;
        Double b2 = null;
        if (betas != null) {
            String[] p = betas.split(",");
            if (p.length != 2) {
                throw NumericError.BAD_OPTION.at("--betas", "--betas takes two numbers, B1,B2");
            }
            try {
                b1 = Double.parseDouble(p[0].trim());
                b2 = Double.parseDouble(p[1].trim());
            } catch (NumberFormatException e) {
                throw NumericError.BAD_OPTION.at("--betas", "--betas takes two numbers, B1,B2, not " + betas);
            }
        }
        Optimizer.Config oc = Optimizer.Config.of(optimizer, lr, momentum, dampening, nesterov, weightDecay, b1, b2, eps, amsgrad);
        int b;
        if (batch.equalsIgnoreCase("full")) {
            b = 0;
        } else {
            try {
                b = Integer.parseInt(batch.trim());
            } catch (NumberFormatException e) {
                throw NumericError.BAD_OPTION.at("--batch", "--batch is a positive number of examples or full, not " + batch);
            }
            if (b < 1) {
                throw NumericError.BAD_OPTION.at("--batch", "--batch must be at least 1");
            }
        }
        if ((steps == null) == (epochs == null)) {
            throw NumericError.BAD_OPTION.at("--steps", "give exactly one of --steps N or --epochs E");
        }
        long total = steps != null ? steps : epochs * new Batches(n, b, shuffle, seed).perEpoch();
        if (total < 0) {
            throw NumericError.BAD_OPTION.at(steps != null ? "--steps" : "--epochs", "the number of steps must be >= 0");
        }
        boolean bnTrain = switch (batchnorm.toLowerCase(Locale.ROOT)) {
            case "train" -> true;
            case "eval" -> false;
            default -> throw NumericError.BAD_OPTION.at("--batchnorm", "--batchnorm is train or eval, not " + batchnorm);
        };
        return new TrainConfig(Loss.parse(loss), oc, total, b, shuffle, seed, bnTrain, precision(), checkpoint, checkpointEvery, resume);
    }

    private void writeModel(Model trained) {
        if (weightsFile == null) {
            IrWriter.write(trained, out, IrWriter.Options.TRAINED);
            return;
        }
        Path dir = out.toAbsolutePath().getParent();
        String ref = dir.relativize(weightsFile.toAbsolutePath()).toString().replace('\\', '/');
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Model withRefs = Net.of(trained).toModel(ref, tensors);
        Safetensors.write(weightsFile, tensors, Map.of("format", "pt"), false);
        IrWriter.write(withRefs, out, new IrWriter.Options(IrWriter.DoubleStyle.SHORTEST, true));
    }

    private void writeLog(double[] rows) {
        if (log == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("step,epoch,loss\n");
        for (int i = 0; i + 2 < rows.length; i += 3) {
            sb.append((long) rows[i]).append(',').append((long) rows[i + 1]).append(',').append(rows[i + 2]).append('\n');
        }
        AtomicFiles.writeString(log, sb.toString());
    }

    private static XYChart chart(double[] rows) {
        int k = rows.length / 3;
        double[] s = new double[Math.max(k, 1)];
        double[] l = new double[Math.max(k, 1)];
        boolean positive = k > 0;
        for (int i = 0; i < k; i++) {
            s[i] = rows[3 * i];
            l[i] = rows[3 * i + 2];
            positive &= l[i] > 0;
        }
        XYChart c = new XYChartBuilder().width(800).height(500).title("training loss").xAxisTitle("step").yAxisTitle("loss").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisLogarithmic(positive);
        c.addSeries("loss", s, l).setMarker(SeriesMarkers.NONE);
        return c;
    }

    private void report(TrainConfig c, int n, double[] rows, long resumedFrom, double seconds, double after) {
        int k = rows.length / 3;
        Map<String, Object> o = JsonOut.object();
        o.put("engine", torch() ? "torch" : "java");
        o.put("device", device);
        o.put("dtype", dtype.toLowerCase(Locale.ROOT));
        o.put("steps", c.steps());
        o.put("epochs", k == 0 ? 0 : (long) rows[3 * k - 2]);
        o.put("examples", n);
        o.put("batch", c.batch() == 0 ? n : Math.min(c.batch(), n));
        o.put("resumedFrom", resumedFrom);
        o.put("initialLoss", k == 0 ? null : rows[2]);
        o.put("finalLoss", k == 0 ? null : rows[3 * k - 1]);
        o.put("trainedLoss", Double.isFinite(after) ? after : null);
        o.put("seconds", seconds);
        o.put("out", out.toString());
        o.put("weightsFile", weightsFile == null ? null : weightsFile.toString());
        o.put("checkpoint", checkpoint == null ? null : checkpoint.toString());
        o.put("log", log == null ? null : log.toString());
        o.put("plot", plot == null ? null : plot.toString());
        if (json) {
            printJson(o);
            return;
        }
        out().printf(Locale.ROOT, "trained %d step%s (%s, batch %s, %s) on %s in %.2f s%s%n", c.steps(),
                c.steps() == 1 ? "" : "s", c.loss().spelling, c.batch() == 0 ? "full" : Integer.toString(c.batch()),
                c.optimizer().name(), torch() ? "PyTorch " + device : "the Java engine", seconds,
                resumedFrom > 0 ? " (resumed from step " + resumedFrom + ")" : "");
        out().printf(Locale.ROOT, "batch loss %s at the first step, %s at the last; loss on all data after training %s%n",
                k == 0 ? "-" : fmt(rows[2]), k == 0 ? "-" : fmt(rows[3 * k - 1]), fmt(after));
        out().println("wrote " + out + (weightsFile != null ? " and " + weightsFile : ""));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
