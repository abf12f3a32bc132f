package org.netgeom.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Progress;
import org.netgeom.ir.io.AtomicFiles;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a sweep on Spark: one task per job ({@link JobRunner}), results handed to the driver as each
 * task ends and appended to {@code OUT/journal.jsonl} (flushed to disk line by line); jobs whose id
 * is already in the journal are not run again, so an interrupted sweep resumes where it stopped.
 * Split enumerations ({@code "split"} jobs) run from the driver, their sub-boxes as Spark tasks.
 * At the end {@code OUT/results.jsonl} (one row per job, in sweep order), {@code OUT/summary.md}
 * and, for a numeric axis, {@code OUT/plot.svg} are written atomically (temporary file, then rename).
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /** What a sweep did. */
    public record Outcome(SweepSpec spec, Path output, List<JsonNode> rows, int ran, int resumed, String master,
                          double seconds, Path plot) {
        public long count(String status) {
            return rows.stream().filter(r -> r.path("status").asText().equals(status)).count();
        }
    }

    /** Runs (or resumes) the sweep into {@code out} on {@code master} (null: the default). */
    public static Outcome run(SweepSpec spec, Path out, String master, boolean ui, boolean fresh, Progress progress) {
        long t0 = System.nanoTime();
        Path journal = out.resolve("journal.jsonl");
        Map<String, JsonNode> done = new LinkedHashMap<>();
        try {
            Files.createDirectories(out);
            if (fresh) {
                Files.deleteIfExists(journal);
            }
            if (Files.exists(journal)) {
                cutTornLine(journal);
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode r = JobRunner.MAPPER.readTree(line);
                        if (r != null && r.hasNonNull("id")) {
                            done.put(r.get("id").asText(), r);
                        }
                    } catch (IOException torn) {
                        // the line being written when the sweep was stopped: that job runs again
                    }
                }
            }
        } catch (IOException e) {
            throw IrError.IR_IO.at(out.toString(), "cannot use the output folder: " + e.getMessage());
        }
        List<SweepSpec.Job> todo = new ArrayList<>();
        List<SweepSpec.Job> splits = new ArrayList<>();
        int resumed = 0;
        for (SweepSpec.Job j : spec.jobs) {
            if (done.containsKey(j.id())) {
                resumed++;
            } else if (j.split() != null) {
                splits.add(j);
            } else {
                todo.add(j);
            }
        }
        String used = SparkRuntime.master(master);
        progress.start("sweep", spec.jobs.size());
        progress.set(resumed);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Journal j = new Journal(ch, done, progress);
            if (!todo.isEmpty() || !splits.isEmpty()) {
                try (SparkRuntime rt = SparkRuntime.open(master, ui)) {
                    used = rt.masterUrl();
                    if (!todo.isEmpty()) {
                        JavaRDD<SweepSpec.Job> rdd = rt.context().parallelize(todo, todo.size());
                        rt.context().sc().runJob(rdd.rdd(), task(), handler(j), scala.reflect.ClassTag$.MODULE$.apply(String[].class));
                    }
                    for (SweepSpec.Job s : splits) {
                        j.add(JobRunner.run(s, -1));
                    }
                }
            }
        } catch (IOException e) {
            throw IrError.IR_IO.at(journal.toString(), "cannot write the journal: " + e.getMessage());
        } finally {
            progress.done();
        }
        List<JsonNode> rows = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (SweepSpec.Job job : spec.jobs) {
            JsonNode r = done.get(job.id());
            if (r == null) {
                throw new IllegalStateException("sweep job " + job.id() + " has no result");
            }
            rows.add(r);
            lines.append(r.toString()).append('\n');
        }
        AtomicFiles.writeString(out.resolve("results.jsonl"), lines.toString());
        AtomicFiles.writeString(out.resolve("summary.md"), Summary.markdown(spec, rows));
        Path plot = Summary.plot(spec, rows, out.resolve("plot.svg"));
        return new Outcome(spec, out, rows, todo.size() + splits.size(), resumed, used, (System.nanoTime() - t0) / 1e9, plot);
    }

    /** A journal whose writer was killed mid-line ends without a newline: that fragment is cut off before appending. */
    private static void cutTornLine(Path journal) throws IOException {
        byte[] b = Files.readAllBytes(journal);
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') {
            end--;
        }
        if (end < b.length) {
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
    }

    /** The task: run the partition's jobs (one) with the task's attempt number. */
    private static scala.Function2<TaskContext, scala.collection.Iterator<SweepSpec.Job>, String[]> task() {
        return (scala.Function2<TaskContext, scala.collection.Iterator<SweepSpec.Job>, String[]> & Serializable) (ctx, it) -> {
            List<String> rows = new ArrayList<>();
            while (it.hasNext()) {
                rows.add(JobRunner.run(it.next(), ctx.attemptNumber()));
            }
            return rows.toArray(new String[0]);
        };
    }

    private static scala.Function2<Object, String[], scala.runtime.BoxedUnit> handler(Journal j) {
        return (i, rows) -> {
            for (String r : rows) {
                j.add(r);
            }
            return scala.runtime.BoxedUnit.UNIT;
        };
    }

    /** The append-only journal: one row a line, forced to disk before the job counts as done. */
    private record Journal(FileChannel ch, Map<String, JsonNode> done, Progress progress) {
        synchronized void add(String row) {
            try {
                JsonNode r = JobRunner.MAPPER.readTree(row);
                ch.write(java.nio.ByteBuffer.wrap((row + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
                done.put(r.get("id").asText(), r);
                progress.step(1);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the journal: " + e.getMessage(), e);
            }
        }
    }
}
