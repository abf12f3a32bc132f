package org.netgeom.notebooks.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the netgeom kernel: {@code java -jar netgeom-kernel.jar CONNECTION_FILE}, as Jupyter
 * does through {@code notebooks/kernel} (the kernel spec that {@code netgeom notebook install}
 * writes). Binds the five Jupyter sockets, answers at once, warms the compiler up in the
 * background, and exits when Jupyter asks it to shut down (also ending any cell threads, and
 * Symja's if a cell started it).
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -jar netgeom-kernel.jar CONNECTION_FILE   (Jupyter starts this; see docs/notebooks.md)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            System.err.println("netgeom kernel: cannot read the connection file " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            NetgeomKernel kernel = NetgeomKernel.create();
            JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
            kernel.onStartup();
            kernel.becomeHandlerForConnection(connection);
            connection.connect();
            if (!"false".equals(System.getProperty("netgeom.kernel.warmup"))) {
                kernel.warmUp();     // -Dnetgeom.kernel.warmup=false turns it off (notebooks/bench-startup.py compares)
            }
            connection.waitUntilClose();
        } catch (Exception e) {
            System.err.println("netgeom kernel: " + e);
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
