package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RandomNets;
import org.netgeom.symbolic.regions.RegionSet;
import org.netgeom.symbolic.regions.Regions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster path: a Spark standalone master and two workers (one core each) started by the test as
 * child JVMs on 127.0.0.1, so each job runs in one of two executor processes. A sweep and a split
 * enumeration run on spark://127.0.0.1:PORT with the executors' first task killed (the executor JVM
 * halts, as a killed machine would): Spark starts a new executor and retries the task, and the
 * results equal the embedded run's (sweep: local[2] in this JVM; split: the single-process
 * enumeration).
 */
class ClusterTest {
    static final List<Process> procs = new ArrayList<>();
    static Path home;
    static String url;

    @BeforeAll
    static void startCluster() throws Exception {
        home = Files.createTempDirectory("netgeom-spark-home");
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        procs.add(start(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--webui-port", Integer.toString(freePort())), "master"));
        waitForPort(port);
        for (int i = 0; i < 2; i++) {
            Path work = Files.createDirectories(home.resolve("work" + i));
            procs.add(start(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                    "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(), url), "worker" + i));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (int i = procs.size() - 1; i >= 0; i--) {
            procs.get(i).destroy();
            procs.get(i).waitFor();
        }
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static Process start(List<String> main, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "-Dlog4j2.provider=org.apache.logging.slf4j.SLF4JProvider", "-cp", classPath()));
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
        // the worker builds executor command lines from SPARK_HOME; with SPARK_TESTING it needs no jars/ there
        // (the executors' class path is the driver's spark.executor.extraClassPath: this test's)
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the Spark master did not start: " + Files.readString(home.resolve("master.log")));
    }

    static SparkConf cluster(Path faults) {
        return new SparkConf().setMaster(url).setAppName("netgeom-cluster-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.cores", "1").set("spark.cores.max", "2").set("spark.executor.memory", "512m")
                .set("spark.task.maxFailures", "4")
                .set("spark.executor.extraClassPath", classPath())
                .set("spark.executor.extraJavaOptions", "-Xss16m -Dnetgeom.progress=off "
                        + "-Dlog4j2.provider=org.apache.logging.slf4j.SLF4JProvider")
                .set("spark.executorEnv.NETGEOM_TEST_FAIL", "kill-once:" + faults);
    }

    @Test
    void sweepAndSplitSurviveAKilledExecutor() throws Exception {
        Path f = home.resolve("s.json");
        Files.writeString(f, """
                {"name": "c", "jobs": [
                  {"command": "check", "args": ["serra-bound", "--instances", "2", "--seed", "${s}"], "grid": {"s": [1, 2, 3, 4]}},
                  {"command": "regions", "model": {"random": {"inputs": 2, "widths": [4, 4], "seed": "${s}"}}, "args": ["--box=-1,1"],
                   "grid": {"s": [1, 2]}}
                ]}""");
        SweepSpec spec = SweepSpec.read(f);
        // reference: the same sweep embedded (local[2] in this JVM)
        List<JsonNode> local;
        try (SparkRuntime rt = SparkRuntime.open(new SparkConf().setMaster("local[2,4]").setAppName("ref")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            local = SweepRunner.run(spec, home.resolve("local"), null, false, true, Progress.NONE).rows();
        }
        Path faults = home.resolve("faults");
        Model m = RandomNets.mlp(7, 2, new int[]{6, 6}, 1, "relu", 8);
        Options o = Options.defaults().withProgress(Progress.NONE);
        RegionSet ref = Regions.enumerate(m, AffineMap.identity(2), SplitEnumerationTest.box(2), o);
        List<JsonNode> remote;
        RegionSet split;
        int executors;
        try (SparkRuntime rt = SparkRuntime.open(cluster(faults))) {
            remote = SweepRunner.run(spec, home.resolve("remote"), null, false, true, Progress.NONE).rows();
            split = new SparkSplitter().enumerate(m, AffineMap.identity(2), SplitEnumerationTest.box(2), o, 4, null);
            executors = 0;
        }
        assertTrue(Files.exists(faults.resolve("once.failed")), "an executor was killed");
        assertEquals(local.size(), remote.size());
        int retried = 0;
        for (int i = 0; i < local.size(); i++) {
            assertEquals(local.get(i).get("id"), remote.get(i).get("id"));
            assertEquals(local.get(i).get("result"), remote.get(i).get("result"), "job " + i);
            assertEquals("ok", remote.get(i).get("status").asText());
            retried += remote.get(i).get("attempt").asInt() > 0 ? 1 : 0;
        }
        assertEquals(1, retried, "the killed task ran again on a new executor");
        SplitEnumerationTest.compare(ref, split, "split on the cluster");
        // executor processes the two workers launched (a folder each): two, and the one that replaced the killed one
        for (int i = 0; i < 2; i++) {
            try (var apps = Files.list(home.resolve("work" + i))) {
                for (Path app : apps.toList()) {
                    try (var ex = Files.list(app)) {
                        executors += (int) ex.count();
                    }
                }
            }
        }
        assertTrue(executors >= 3, "two executor processes and a replacement (" + executors + ")");
        String killed = Files.readString(faults.resolve("once.failed"));
        assertTrue(killed.length() == 16, "a sweep job's task was the one killed: " + killed + File.separator);
    }
}
