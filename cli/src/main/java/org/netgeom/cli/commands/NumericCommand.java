package org.netgeom.cli.commands;

import org.netgeom.cli.Args;
import org.netgeom.ir.Binder;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.DataReader;
import org.netgeom.numeric.NumericError;
import org.netgeom.numeric.engine.Net;
import org.netgeom.numeric.engine.Precision;
import org.netgeom.numeric.linalg.Parallel;
import org.netgeom.numeric.torch.TorchEngine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What the numeric commands (train, jacobian, ntk, hessian) share: the model and data, the
 * engine ({@code --engine java|torch}, {@code --device cpu|cuda}), the number format and the
 * Java engine's threads.
 */
public abstract class NumericCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file (JSON).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "The data set: CSV (x1,..,xn,y1,..,yk), JSON or safetensors.")
    Path data;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values for free symbols, e.g. w1=1/2,w2=3.")
    String bind;

    @Option(names = "--engine", defaultValue = "java", paramLabel = "java|torch",
            description = "Java engine (default) or PyTorch through the bridge (needs python3 with torch).")
    String engine;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda", description = "Where PyTorch runs (--engine torch). Default cpu.")
    String device;

    @Option(names = "--dtype", defaultValue = "float64", paramLabel = "float64|float32", description = "Number format. Default float64.")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the Java engine's kernels (and torch's intra-op threads). Default: all cores.")
    Integer threads;

    /** What every numeric command starts from: the model, its data, the inputs as doubles. */
    protected record Inputs(Model model, DataSet data, double[] x, int n) {
    }

    /** Applies the engine options, checks a --plot name early, and reads the model and data. */
    protected Inputs inputs(Path plot) {
        configure();
        if (plot != null) {
            org.netgeom.cli.plot.PlotFiles.format(plot);
        }
        Model m = loadModel();
        DataSet d = loadData(m);
        return new Inputs(m, d, d.x().nearestDoubles(), d.size());
    }

    /** The model (symbols bound). */
    protected Model loadModel() {
        return Binder.bind(readModel(model), Args.bindings(bind));
    }

    /** The data set, checked against the model. */
    protected DataSet loadData(Model m) {
        DataSet d = DataReader.read(data);
        d.requireInputsFit(m);
        return d;
    }

    protected Precision precision() {
        return Precision.parse(dtype);
    }

    protected boolean torch() {
        return switch (engine.toLowerCase(Locale.ROOT)) {
            case "java" -> false;
            case "torch", "pytorch" -> true;
            default -> throw NumericError.BAD_OPTION.at("--engine", "--engine is java or torch, not " + engine);
        };
    }

    /** Applies --threads and checks --device for the Java engine. */
    protected void configure() {
        boolean t = torch();
        if (threads != null) {
            if (threads < 1) {
                throw NumericError.BAD_OPTION.at("--threads", "--threads must be at least 1");
            }
            Parallel.setThreads(threads);
        }
        if (!t && !device.equals("cpu")) {
            throw NumericError.BAD_OPTION.at("--device", "the Java engine runs on the CPU; use --engine torch for --device " + device);
        }
    }

    protected TorchEngine torchEngine(int nproc) {
        return new TorchEngine(new TorchEngine.Options(device, precision(), threads == null ? 0 : threads, nproc));
    }

    protected Net compile(Model m) {
        return Net.of(m, precision());
    }

    /**
     * Refuses with {@code DATA_TOO_LARGE}, before the work starts, a result of {@code values}
     * numbers taking about {@code bytesPerValue} each (the array, its JSON text and boxed
     * copies) that would not fit the memory budget or a Java array.
     */
    protected static void requireMemory(double values, double bytesPerValue, String what) {
        if (values > Integer.MAX_VALUE - 8) {
            throw org.netgeom.ir.IrError.DATA_TOO_LARGE.at("--data", what + " has " + String.format(Locale.ROOT, "%.3g", values)
                    + " values, more than one Java array holds (2^31); use fewer rows (a sample of the data set)");
        }
        org.netgeom.ir.io.MemoryBudget.require(values * bytesPerValue, what, "--data", "or fewer rows");
    }

    /** The y columns as doubles, or a coded error when the data has none. */
    protected static double[] targets(DataSet d) {
        if (d.y() == null) {
            throw NumericError.BAD_TARGETS.error("the data has no y columns (name them y1, y2, ... in CSV, or give \"y\")");
        }
        return d.y().nearestDoubles();
    }
}
