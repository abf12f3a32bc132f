package org.netgeom.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark context netgeom runs on: embedded {@code local[*]} by default (the driver's JVM runs the
 * tasks; nothing to install), or a cluster ({@code spark://HOST:7077}). Local masters are given a
 * retry count ({@code local[N]} becomes {@code local[N,F]}: Spark's local mode otherwise never
 * retries a failed task), clusters {@code spark.task.maxFailures = F}. One context is active at a
 * time; a split enumeration inside a sweep reuses the sweep's.
 */
public final class SparkRuntime implements AutoCloseable {
    /** Retries of a failed task (Spark's spark.task.maxFailures). */
    public static final int MAX_FAILURES = 4;
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");
    private static volatile JavaSparkContext active;

    private final JavaSparkContext sc;
    private final boolean owner;

    private SparkRuntime(JavaSparkContext sc, boolean owner) {
        this.sc = sc;
        this.owner = owner;
    }

    /** The master to use: the given one, else NETGEOM_SPARK_MASTER, else local[*]. */
    public static String master(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String env = System.getenv("NETGEOM_SPARK_MASTER");
        return env == null || env.isBlank() ? "local[*]" : env;
    }

    /** local, local[N], local[*] with the retry count added; other masters as they are. */
    static String withRetries(String master) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            return master;
        }
        if (m.group(2) != null) {
            return master;
        }
        String n = m.group(1) == null ? "1" : m.group(1);
        return "local[" + n + "," + MAX_FAILURES + "]";
    }

    /** Joins the active context, or starts one on {@code master} (stopped again by {@link #close()}). */
    public static synchronized SparkRuntime open(String master, boolean ui) {
        if (active != null && !active.sc().isStopped()) {
            return new SparkRuntime(active, false);
        }
        String mst = withRetries(master(master));
        SparkConf conf = new SparkConf().setAppName("netgeom").setMaster(mst)
                .set("spark.ui.enabled", Boolean.toString(ui))
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.task.maxFailures", Integer.toString(MAX_FAILURES))
                .set("spark.executor.extraJavaOptions", "-Xss16m -Dnetgeom.progress=off -Djava.awt.headless=true "
                        + "-Dlog4j2.provider=org.apache.logging.slf4j.SLF4JProvider");
        if (mst.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else {
            String jars = System.getProperty("netgeom.spark.jars");
            if (jars != null && !jars.isBlank()) {
                conf.setJars(Arrays.stream(jars.split(File.pathSeparator)).filter(s -> !s.isBlank()).toArray(String[]::new));
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("spark.")) {
                conf.set(key, System.getProperty(key));     // -Dspark.x=y on the launcher's command line
            }
        }
        return open(conf);
    }

    /** Starts a context with a configuration of the caller's (tests: a cluster's class path). */
    public static synchronized SparkRuntime open(SparkConf conf) {
        if (active != null && !active.sc().isStopped()) {
            return new SparkRuntime(active, false);
        }
        active = new JavaSparkContext(conf);
        return new SparkRuntime(active, true);
    }

    public JavaSparkContext context() {
        return sc;
    }

    /** The master URL in use. */
    public String masterUrl() {
        return sc.master();
    }

    /** The default number of tasks run at once (local[N]: N; a cluster: its cores). */
    public int parallelism() {
        return sc.defaultParallelism();
    }

    @Override
    public void close() {
        if (owner) {
            synchronized (SparkRuntime.class) {
                sc.stop();
                active = null;
            }
        }
    }
}
