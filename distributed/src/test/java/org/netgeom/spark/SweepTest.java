package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * netgeom sweep on local[2], through the command line: every job's result equals the same command
 * run directly (the reference: Main.run of that command line, no Spark); a job with a user error is
 * reported with its code and the others run; a torn journal resumes without running finished jobs
 * again; tasks that throw on their first attempt are retried and give the same results.
 */
class SweepTest {
    static final ObjectMapper M = new ObjectMapper();
    static SparkRuntime rt;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        rt = SparkRuntime.open(new SparkConf().setMaster("local[2,4]").setAppName("sweep-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return M.readTree(out);
        }
    }

    static Run cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    Path sweepFile() throws Exception {
        Files.copy(Path.of("../examples/tent2.json"), dir.resolve("tent2.json"));
        Files.copy(Path.of("../examples/square2d.json"), dir.resolve("square2d.json"));
        Path f = dir.resolve("s.json");
        Files.writeString(f, """
                {"name": "t", "output": "out", "jobs": [
                  {"command": "regions", "args": ["tent2.json", "--box=-1,1"]},
                  {"command": "check", "args": ["serra-bound", "--instances", "2", "--seed", "${s}"], "grid": {"s": [1, 2]}},
                  {"command": "regions", "model": {"random": {"inputs": 2, "widths": ["${w}", "${w}"], "seed": 3}},
                   "args": ["--box=-1,1"], "grid": {"w": [2, 3]}},
                  {"command": "regions", "args": ["missing.json", "--box=-1,1"]},
                  {"command": "regions", "name": "split", "args": ["square2d.json", "--box=-1,1"], "split": 4},
                  {"command": "eval", "args": ["tent2.json", "--at", "1/3"]}
                ]}""");
        return f;
    }

    static List<JsonNode> rows(Path out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("results.jsonl"))) {
            rows.add(M.readTree(l));
        }
        return rows;
    }

    @Test
    void resultsEqualDirectRunsAndErrorsAreReportedPerJob() throws Exception {
        Path f = sweepFile();
        Run r = cli("sweep", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = r.json();
        assertEquals(8, s.get("jobs").asInt());
        assertEquals(8, s.get("ran").asInt());
        assertEquals(1, s.get("errors").asInt());
        List<JsonNode> rows = rows(dir.resolve("out"));
        assertEquals(8, rows.size());
        // the reference: each command line run directly, without Spark
        String t = dir.resolve("tent2.json").toString();
        assertEquals(cli("regions", t, "--box=-1,1", "--json").json(), rows.get(0).get("result"));
        assertEquals(cli("check", "serra-bound", "--instances", "2", "--seed", "2", "--json").json(), rows.get(2).get("result"));
        assertEquals(cli("eval", t, "--at", "1/3", "--json").json(), rows.get(7).get("result"));
        JsonNode err = rows.get(5);
        assertEquals("error", err.get("status").asText());
        assertEquals("IR_IO", err.get("error").get("code").asText());
        assertEquals(2, err.get("exit").asInt());
        // split job: the unsplit enumeration's counts
        JsonNode single = cli("regions", dir.resolve("square2d.json").toString(), "--box=-1,1", "--json").json();
        assertEquals(single.get("activationRegions"), rows.get(6).get("result").get("activationRegions"));
        assertEquals(single.get("affinePieces"), rows.get(6).get("result").get("affinePieces"));
        // a plot of regions vs w, and the summary
        assertTrue(Files.size(dir.resolve("out/plot.svg")) > 1000);
        assertTrue(Files.readString(dir.resolve("out/summary.md")).contains("error[IR_IO]"));
    }

    @Test
    void anInterruptedSweepResumesWithoutRunningFinishedJobs() throws Exception {
        Path f = sweepFile();
        assertEquals(0, cli("sweep", f.toString(), "--json").code());
        List<JsonNode> first = rows(dir.resolve("out"));
        Path journal = dir.resolve("out/journal.jsonl");
        List<String> lines = Files.readAllLines(journal);
        // keep three finished jobs and a torn line, as a kill in mid-write leaves it
        Files.writeString(journal, String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 20));
        Files.delete(dir.resolve("out/results.jsonl"));
        JsonNode s = cli("sweep", f.toString(), "--json").json();
        assertEquals(3, s.get("resumed").asInt());
        assertEquals(5, s.get("ran").asInt());
        List<JsonNode> second = rows(dir.resolve("out"));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).get("id"), second.get(i).get("id"));
            assertEquals(first.get(i).get("result"), second.get(i).get("result"));
        }
        // a finished sweep runs nothing again
        JsonNode again = cli("sweep", f.toString(), "--json").json();
        assertEquals(0, again.get("ran").asInt());
        assertEquals(8, again.get("resumed").asInt());
    }

    @Test
    void failedTasksAreRetriedWithTheSameResults() throws Exception {
        Path f = sweepFile();
        assertEquals(0, cli("sweep", f.toString(), "--json").code());
        List<JsonNode> clean = rows(dir.resolve("out"));
        System.setProperty("netgeom.test.fail", "throw:" + dir.resolve("faults"));
        try {
            assertEquals(0, cli("sweep", f.toString(), "--json", "--fresh", "--out", dir.resolve("out2").toString()).code());
        } finally {
            System.clearProperty("netgeom.test.fail");
        }
        List<JsonNode> faulty = rows(dir.resolve("out2"));
        for (int i = 0; i < clean.size(); i++) {
            assertEquals(clean.get(i).get("result"), faulty.get(i).get("result"), "job " + i);
            if (clean.get(i).path("split").isMissingNode()) {
                assertEquals(1, faulty.get(i).get("attempt").asInt(), "job " + i + " ran on its second attempt");
            }
        }
        // every job task failed once, and so did each of the split job's 4 sub-box tasks
        try (var files = Files.list(dir.resolve("faults"))) {
            assertEquals(7 + 4, files.count());
        }
    }

    @Test
    void badSweepFilesAreCodedErrors() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"jobs\": [{\"command\": \"check\", \"args\": [\"${nope}\"]}]}");
        Run r = cli("sweep", f.toString(), "--json");
        assertEquals(2, r.code());
        assertEquals("BAD_INPUT", r.json().get("error").get("code").asText());
        Files.writeString(f, "{\"jobs\": [{\"command\": \"regions\", \"spilt\": 3}]}");
        r = cli("sweep", f.toString(), "--json");
        assertEquals(2, r.code());
        assertEquals("$.jobs[0].spilt", r.json().get("error").get("path").asText());
    }
}
