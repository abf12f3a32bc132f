package org.netgeom.cli.commands;

import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.Main;
import org.netgeom.ir.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code netgeom notebook install}: registers the netgeom Jupyter kernel (kernel spec
 * {@value #KERNEL}) with the user's Jupyter through {@code jupyter kernelspec install --user} (or
 * {@code --prefix DIR}). The kernel spec runs {@code notebooks/kernel} of this checkout, which
 * starts the kernel jar that {@code mvn package} builds ({@code notebooks/target/netgeom-kernel.jar})
 * with {@code notebooks/} as the working directory. This command only writes {@code kernel.json}:
 * the command line does not depend on the notebooks module (the kernel depends on it).
 */
@Command(name = "notebook", description = "Jupyter notebooks: install the netgeom kernel.",
        subcommands = {NotebookCommand.Install.class})
public final class NotebookCommand implements Runnable {
    /** The kernel spec's name. */
    public static final String KERNEL = "netgeom";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code netgeom notebook install [--user | --prefix DIR] [--jupyter PATH] [--root DIR] [--json]}. */
    @Command(name = "install", description = "Register the netgeom kernel with Jupyter (jupyter kernelspec install --user).")
    public static final class Install extends BaseCommand {
        @Option(names = "--user", description = "Install for the current user (the default).")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/share/jupyter/kernels instead (a virtual environment, a test).")
        Path prefix;

        @Option(names = "--jupyter", paramLabel = "PATH", description = "The jupyter command (default: jupyter on the PATH).")
        Path jupyter;

        @Option(names = "--root", paramLabel = "DIR", description = "The netgeom checkout (default: the one this command runs from).")
        Path root;

        @Override
        public Integer call() {
            if (user && prefix != null) {
                throw CliError.USAGE.error("--user and --prefix exclude each other");
            }
            Path home = root != null ? root.toAbsolutePath().normalize() : checkout();
            Path launcher = home.resolve("notebooks").resolve("kernel");
            if (!Files.isRegularFile(launcher)) {
                throw CliError.NOTEBOOKS_NOT_FOUND.at("--root", "no notebooks/kernel in " + home
                        + "; run this command from a netgeom checkout (or name it with --root DIR)");
            }
            Path jar = home.resolve("notebooks").resolve("target").resolve("netgeom-kernel.jar");
            boolean built = Files.isRegularFile(jar);
            Path exe = jupyter != null ? jupyter : onPath("jupyter");
            if (exe == null || !Files.isExecutable(exe)) {
                throw CliError.JUPYTER_MISSING.error((exe == null ? "there is no jupyter command on the PATH" : exe + " is not an executable")
                        + "; install Jupyter (Debian: apt-get install jupyter-client python3-nbclient; or pip install jupyterlab)"
                        + " and run this again");
            }
            List<String> argv = List.of(launcher.toString(), "{connection_file}");
            Map<String, Object> kernelJson = JsonOut.object();
            kernelJson.put("argv", argv);
            kernelJson.put("display_name", "netgeom (Java " + Runtime.version().feature() + ")");
            kernelJson.put("language", "java");
            kernelJson.put("interrupt_mode", "message");
            Map<String, Object> env = JsonOut.object();
            env.put("NETGEOM_KERNEL_JAVA", javaCommand());
            kernelJson.put("env", env);
            kernelJson.put("metadata", Map.of("netgeom", Map.of("root", home.toString())));

            Path tmp = null;
            String installedIn;
            try {
                tmp = Files.createTempDirectory("netgeom-kernelspec");
                Path dir = tmp.resolve(KERNEL);
                Files.createDirectories(dir);
                AtomicFiles.writeString(dir.resolve("kernel.json"), JsonOut.write(kernelJson) + "\n");
                List<String> cmd = new ArrayList<>(List.of(exe.toString(), "kernelspec", "install", "--name", KERNEL));
                if (prefix != null) {
                    cmd.add("--prefix");
                    cmd.add(prefix.toAbsolutePath().toString());
                } else {
                    cmd.add("--user");
                }
                cmd.add(dir.toString());
                installedIn = runJupyter(cmd, prefix);
            } catch (IOException e) {
                throw CliError.KERNELSPEC_INSTALL_FAILED.error("cannot write the kernel spec: " + e.getMessage());
            } finally {
                deleteTree(tmp);
            }

            Map<String, Object> o = JsonOut.object();
            o.put("kernel", KERNEL);
            o.put("installedIn", installedIn);
            o.put("argv", argv);
            o.put("workingDirectory", home.resolve("notebooks").toString());
            o.put("jar", jar.toString());
            o.put("built", built);
            if (json) {
                printJson(o);
            } else {
                out().println("installed the Jupyter kernel '" + KERNEL + "' in " + installedIn);
                out().println("  it runs " + launcher + " (the kernel jar, with notebooks/ as the working directory)");
                out().println("open the notebooks:  jupyter lab " + home.resolve("notebooks") + "   (or jupyter notebook)");
            }
            if (!built) {
                err().println("warning: the kernel jar " + jar + " is not built yet; build it before opening a notebook: "
                        + "(cd " + home + " && mvn -B -DskipTests package)");
            }
            return 0;
        }

        /** Runs jupyter kernelspec install; returns the directory it installed into. */
        private static String runJupyter(List<String> cmd, Path prefix) throws IOException {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try {
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw CliError.KERNELSPEC_INSTALL_FAILED.error("jupyter kernelspec install did not finish within 120 s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw CliError.KERNELSPEC_INSTALL_FAILED.error("interrupted while jupyter kernelspec install ran");
            }
            String text = output.strip();
            if (p.exitValue() != 0) {
                if (text.contains("jupyter-kernelspec") && text.contains("not found")) {
                    throw CliError.JUPYTER_MISSING.error("this jupyter has no kernelspec command (" + text.lines().findFirst().orElse("")
                            + "); install jupyter_client (Debian: apt-get install jupyter-client)");
                }
                throw CliError.KERNELSPEC_INSTALL_FAILED.error("jupyter kernelspec install exited with status " + p.exitValue()
                        + (text.isEmpty() ? "" : ": " + text));
            }
            Matcher m = Pattern.compile("Installed kernelspec \\S+ in (.+)").matcher(text);
            if (m.find()) {
                return m.group(1).strip();
            }
            Path base = prefix != null ? prefix.toAbsolutePath().resolve("share/jupyter/kernels")
                    : Path.of(System.getProperty("user.home"), ".local/share/jupyter/kernels");
            return base.resolve(KERNEL).toString();
        }
    }

    /** The checkout this command runs from: the jar or classes lie in {@code ROOT/cli/target/}. */
    static Path checkout() {
        try {
            Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** The first executable named {@code name} on the PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The java command running this JVM (recorded in kernel.json so the kernel runs on the same JDK). */
    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
