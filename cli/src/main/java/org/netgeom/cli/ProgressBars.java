package org.netgeom.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.netgeom.ir.Progress;

import java.io.PrintStream;

/**
 * The command line's {@link Progress}: a progress bar on stderr (me.tongfei progressbar), shown
 * only once the work has run for half a second so that quick commands print nothing extra.
 * {@code NETGEOM_NO_PROGRESS=1} turns bars off.
 */
public final class ProgressBars implements Progress {
    private static final long DELAY_MS = 500;

    private final PrintStream err;
    private String task;
    private long total;
    private long done;
    private long started;
    private String status = "";
    private ProgressBar bar;

    public ProgressBars(PrintStream err) {
        this.err = err;
    }

    /**
     * A progress reporter for stderr, or {@link Progress#NONE} when disabled ({@code NETGEOM_NO_PROGRESS}
     * set, or the system property {@code netgeom.progress=off}, as in a sweep's Spark tasks).
     */
    public static Progress forStderr() {
        return System.getenv("NETGEOM_NO_PROGRESS") != null || "off".equals(System.getProperty("netgeom.progress"))
                ? Progress.NONE : new ProgressBars(System.err);
    }

    @Override
    public synchronized void start(String task, long total) {
        done();
        this.task = task;
        this.total = total;
        this.done = 0;
        this.status = "";
        this.started = System.currentTimeMillis();
    }

    @Override
    public synchronized void step(long n) {
        set(done + n);
    }

    @Override
    public synchronized void set(long d) {
        done = d;
        refresh();
    }

    @Override
    public synchronized void status(String text) {
        status = text == null ? "" : text;
        refresh();
    }

    private void refresh() {
        if (task == null) {
            return;
        }
        if (bar == null && System.currentTimeMillis() - started >= DELAY_MS) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .continuousUpdate().build();
        }
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(status);
        }
    }

    @Override
    public synchronized void done() {
        if (bar != null) {
            bar.stepTo(total >= 0 ? Math.max(done, total) : done);
            bar.close();
            bar = null;
        }
        task = null;
    }
}
