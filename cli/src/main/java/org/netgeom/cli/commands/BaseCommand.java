package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.TensorPaths;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What every command shares: {@code --json} (one JSON value on stdout, nothing else there) or
 * human output, and reading models. Subclasses implement {@link #call()} and return the exit
 * status.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Machine output: one JSON value on stdout.")
    protected boolean json;

    @Option(names = "--allow-tensor-path", paramLabel = "DIR",
            description = "Also read tensor files a model refers to from DIR and below it (repeatable); by default only the "
                    + "model's own directory and below it, after resolving symlinks.")
    protected List<Path> allowTensorPaths = new ArrayList<>();

    /** Where the model's tensor references may point ({@code --allow-tensor-path}). */
    protected TensorPaths tensorPaths() {
        return TensorPaths.allowing(allowTensorPaths);
    }

    /** stdout. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** stderr (human notes, progress). */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a JSON value on stdout. */
    protected void printJson(Object value) {
        out().println(JsonOut.write(value));
        out().flush();
    }

    /** Reads a model file; warnings (unknown keys) go to stderr. */
    protected Model readModel(Path file) {
        if (file == null) {
            throw IrError.IR_IO.error("no model file given");
        }
        IrReader.Result r = IrReader.readWithWarnings(file, tensorPaths());
        for (String w : r.warnings()) {
            err().println("warning: " + w);
        }
        return r.model();
    }
}
