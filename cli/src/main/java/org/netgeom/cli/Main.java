package org.netgeom.cli;

import org.netgeom.cli.commands.BoundsCommand;
import org.netgeom.cli.commands.CheckCommand;
import org.netgeom.cli.commands.DemoCommand;
import org.netgeom.cli.commands.EvalCommand;
import org.netgeom.cli.commands.FormulaCommand;
import org.netgeom.cli.commands.HessianCommand;
import org.netgeom.cli.commands.ImportCommand;
import org.netgeom.cli.commands.JacobianCommand;
import org.netgeom.cli.commands.KernelCommand;
import org.netgeom.cli.commands.LossSurfaceCommand;
import org.netgeom.cli.commands.NotebookCommand;
import org.netgeom.cli.commands.NtkCommand;
import org.netgeom.cli.commands.PerturbCommand;
import org.netgeom.cli.commands.RegionsCommand;
import org.netgeom.cli.commands.CertifyCommand;
import org.netgeom.cli.commands.TrainCommand;
import org.netgeom.cli.commands.ValidateCommand;
import org.netgeom.cli.commands.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code netgeom} command. Exit status: 0 success, 2 user error
 * ({@code error[CODE]: message (at PATH)} on stderr, or {@code {"error": {...}}} on stdout with
 * {@code --json}), 1 internal error; {@code check} adds 3 (violated) and 4 (inconclusive), and so does {@code verify} (3 sat, 4 unknown); a rejected certificate is 5
 * ({@code CERT_REJECTED}).
 */
@Command(name = "netgeom", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exact geometry of neural networks, checked against numbers.",
        subcommands = {
                DemoCommand.class,
                ValidateCommand.class,
                EvalCommand.class,
                RegionsCommand.class,
                CertifyCommand.class,
                BoundsCommand.class,
                FormulaCommand.class,
                LossSurfaceCommand.class,
                PerturbCommand.class,
                org.netgeom.cli.commands.RangeCommand.class,
                org.netgeom.cli.commands.VerifyCommand.class,
                KernelCommand.class,
                TrainCommand.class,
                JacobianCommand.class,
                NtkCommand.class,
                HessianCommand.class,
                ImportCommand.class,
                CheckCommand.class,
                NotebookCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command and exits the JVM (so that engines' worker threads never keep it alive). */
    public static void main(String[] args) {
        boolean json = Errors.wantsJson(args);
        // a worker thread's OutOfMemoryError (or any failure there) is reported as a coded error, never a stack trace
        Thread.setDefaultUncaughtExceptionHandler((t, ex) -> {
            if (Errors.outOfMemory(ex)) {
                reportFatal(Errors.outOfMemoryError(), json);
                Runtime.getRuntime().halt(1);
            }
            if (System.getenv("NETGEOM_DEBUG") != null) {
                ex.printStackTrace();
            }
            System.err.println("netgeom: thread " + t.getName() + " failed (" + ex.getClass().getSimpleName() + "); "
                    + "set NETGEOM_DEBUG=1 for the stack trace");
        });
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli passes Errors through; report them as coded errors, without a stack trace
            if (System.getenv("NETGEOM_DEBUG") != null) {
                e.printStackTrace(err);
            }
            org.netgeom.ir.NetgeomException ne = e instanceof OutOfMemoryError ? Errors.outOfMemoryError()
                    : CliError.INTERNAL.error("netgeom failed unexpectedly (StackOverflowError: an input nested too deeply for "
                    + "the thread stack; NETGEOM_JAVA_OPTS=-Xss64m gives it more); please report it with the command line");
            Errors.report(ne, Errors.wantsJson(args), cl);
            return ne.code().exitStatus();
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    /** Prints an error from outside picocli (a worker thread's failure), as {@link Errors#report} would. */
    private static void reportFatal(org.netgeom.ir.NetgeomException e, boolean json) {
        if (json) {
            Map<String, Object> err = JsonOut.object();
            err.put("code", e.code().name());
            err.put("message", e.getMessage());
            err.put("path", e.path());
            Map<String, Object> root = JsonOut.object();
            root.put("error", err);
            System.out.println(JsonOut.write(root));
            System.out.flush();
        }
        System.err.println(e.render());
        System.err.flush();
    }

    /** The configured command line (also used by tests and the notebook kernel). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        for (Extension x : java.util.ServiceLoader.load(Extension.class)) {
            x.register(cl);
        }
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        Errors handler = new Errors();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        addHelpOptions(cl);
        return cl;
    }

    /** Every command and subcommand answers {@code -h}/{@code --help} with its usage (the errors point there). */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec s = sub.getCommandSpec();
            if (s.findOption("--help") == null && s.findOption("-h") == null) {
                s.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            addHelpOptions(sub);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"netgeom " + (v == null ? "(development build)" : v)};
        }
    }
}
