package org.netgeom.notebooks.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.spi.SPIResolutionException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell's execution engine for the kernel: cells run in this JVM (so that their values reach the
 * renderer as objects, not strings) on a worker thread (so that an interrupt request can cancel
 * them). The design follows jjava's {@code JJavaExecutionControl} (dflib/jjava, 1.0-a6): the
 * snippet's {@code do_it$} method is invoked directly, its value is kept under a key, and JShell
 * receives the key where it expects the value's text.
 *
 * <p>The exception a cell throws is kept too ({@link #takeThrown()}), so that the kernel can show a
 * netgeom error as {@code error[CODE]: message (at PATH)} instead of the bare class name JShell
 * passes on.
 */
final class LocalExecution extends DirectExecutionControl {
    /** The class name JShell reports for a cell stopped by an interrupt request. */
    static final String INTERRUPTED = "Cell interrupted";
    /** Stands for a null value (the map holds no nulls). */
    private static final Object NULL = new Object();
    /** What {@link #take} returns for a snippet without a value. */
    static final Object NO_VALUE = new Object();
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How long an interrupted cell's thread may take to notice before it is stopped. */
    static final long GRACE_MS = 2000;

    private final Loader loader;
    private final ExecutorService runner;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final Set<Future<?>> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();
    private final Map<Thread, Long> busy = new ConcurrentHashMap<>();
    private volatile Throwable thrown;
    /** A cell is being evaluated (compiled or run). */
    private volatile boolean evaluating;
    /**
     * The cell being evaluated was interrupted: every later run of its snippets stops at once, so an
     * interrupt that arrives while JShell compiles (nothing runs yet) is not lost. Cleared when the cell ends.
     */
    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();

    private LocalExecution(Loader loader) {
        super(loader);
        this.loader = loader;
        this.runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "netgeom-cell-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader.classLoader);
            return t;
        });
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (pending.get()) {
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        }
        long task = tasks.incrementAndGet();
        Future<Object> f = runner.submit(() -> {
            busy.put(Thread.currentThread(), task);
            try {
                return doit.invoke(null);
            } finally {
                busy.remove(Thread.currentThread());
            }
        });
        running.add(f);
        if (pending.get()) {
            f.cancel(true);                     // interrupted between the check above and the submission
        }
        try {
            Object v = f.get();
            String key = "v" + keys.incrementAndGet();
            values.put(key, v == null ? NULL : v);
            return key;
        } catch (CancellationException e) {
            if (runner.isShutdown()) {
                throw new StoppedException();
            }
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof SPIResolutionException r) {
                throw new ResolutionException(r.id(), r.getStackTrace());
            }
            thrown = cause;
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running.remove(f);
        }
    }

    /**
     * The value a snippet produced, by the text JShell reported for it; {@code NO_VALUE} when that
     * text is no key of ours (JShell reports void statements as "" without asking for their value).
     */
    Object take(String key) {
        Object v = values.remove(key);
        return v == null ? NO_VALUE : v == NULL ? null : v;
    }

    /** A cell's evaluation begins (before JShell compiles its first snippet); a stale interrupt is forgotten. */
    void begin() {
        pending.set(false);
        evaluating = true;
    }

    boolean evaluating() {
        return evaluating;
    }

    /** The cell's evaluation has ended, however it ended. */
    void end() {
        evaluating = false;
        pending.set(false);
    }

    /** Forgets values nobody took (called before each snippet; one snippet runs at a time). */
    void forgetValues() {
        values.clear();
    }

    /** The exception the last failed snippet threw (cleared by this call). */
    Throwable takeThrown() {
        Throwable t = thrown;
        thrown = null;
        return t;
    }

    /**
     * Cancels the running cell: the cell reports {@link #INTERRUPTED} at once and its thread is
     * interrupted; a thread still busy with the same cell after {@link #GRACE_MS} (a loop that
     * never looks at its interrupt flag) is stopped, as JShell's own local engine stops it.
     */
    void interrupt() {
        if (evaluating) {
            pending.set(true);
        }
        Map<Thread, Long> snapshot = Map.copyOf(busy);
        running.forEach(f -> f.cancel(true));
        if (snapshot.isEmpty()) {
            return;
        }
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            snapshot.forEach((t, task) -> {
                if (task.equals(busy.get(t))) {
                    stop(t);
                }
            });
        }, "netgeom-cell-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread t) {
        try {
            t.stop();                // JDK 17 still stops a thread; later JDKs refuse, and the loop runs on
        } catch (UnsupportedOperationException e) {
            // nothing more can be done from inside the JVM; restarting the kernel ends it
        }
    }

    ClassLoader classLoader() {
        return loader.classLoader;
    }

    @Override
    public void stop() {
        runner.shutdownNow();
    }

    /**
     * Loads the classes JShell compiles for snippets, in a class loader whose parent is the
     * application class loader, so that cells see every netgeom module on the kernel's class path.
     */
    static final class Loader implements LoaderDelegate {
        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
        private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
        final CellClassLoader classLoader = new CellClassLoader();

        @Override
        public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
            boolean[] installed = new boolean[cbcs.length];
            for (int i = 0; i < cbcs.length; i++) {
                declared.put(cbcs[i].name(), cbcs[i].bytecodes());
            }
            for (int i = 0; i < cbcs.length; i++) {
                try {
                    loaded.put(cbcs[i].name(), classLoader.findClass(cbcs[i].name()));
                    installed[i] = true;
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new ClassInstallException("cannot load class " + cbcs[i].name() + ": " + e, installed);
                }
            }
        }

        @Override
        public void classesRedefined(ClassBytecodes[] cbcs) {
            for (ClassBytecodes c : cbcs) {
                declared.put(c.name(), c.bytecodes());
            }
        }

        @Override
        public void addToClasspath(String path) throws InternalException {
            for (String p : path.split(java.io.File.pathSeparator)) {
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    classLoader.addURL(Path.of(p).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new InternalException("cannot add " + p + " to the class path: " + e.getMessage());
                }
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> c = loaded.get(name);
            if (c == null && declared.containsKey(name)) {
                c = classLoader.loadClass(name);
            }
            if (c == null) {
                throw new ClassNotFoundException(name);
            }
            return c;
        }

        final class CellClassLoader extends URLClassLoader {
            CellClassLoader() {
                super("netgeom-cells", new URL[0], ClassLoader.getSystemClassLoader());
            }

            @Override
            protected void addURL(URL url) {
                super.addURL(url);
            }

            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = declared.get(name);
                if (b == null) {
                    return super.findClass(name);
                }
                try {
                    return defineClass(name, b, 0, b.length, (CodeSource) null);
                } catch (LinkageError e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    /** Makes the one {@link LocalExecution} of a JShell and hands it to the evaluator. */
    static final class Provider implements ExecutionControlProvider {
        private volatile LocalExecution control;

        @Override
        public String name() {
            return "netgeom-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new LocalExecution(new Loader());
            return control;
        }

        LocalExecution control() {
            return control;
        }
    }
}
