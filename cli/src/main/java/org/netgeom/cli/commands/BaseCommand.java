package org.netgeom.cli.commands;

import org.netgeom.cli.JsonOut;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.io.IrReader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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
        IrReader.Result r = IrReader.readWithWarnings(file);
        for (String w : r.warnings()) {
            err().println("warning: " + w);
        }
        return r.model();
    }
}
