package org.netgeom.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A test hook for fault tolerance: with the system property {@code netgeom.test.fail} or the
 * environment variable {@code NETGEOM_TEST_FAIL} set to {@code throw:DIR} or {@code kill:DIR}, the
 * first attempt of every task (one marker file per task key in DIR) throws, or halts its JVM (a
 * killed executor); the retry finds the marker and runs normally. {@code throw-once:DIR} and
 * {@code kill-once:DIR} fail only the first task that gets there (one marker for all). Unset in
 * normal use.
 */
final class FaultHook {
    private FaultHook() {
    }

    static void maybeFail(String key) {
        String spec = System.getProperty("netgeom.test.fail");
        if (spec == null) {
            spec = System.getenv("NETGEOM_TEST_FAIL");
        }
        if (spec == null || spec.isBlank()) {
            return;
        }
        int c = spec.indexOf(':');
        String how = spec.substring(0, c);
        boolean once = how.endsWith("-once");
        Path marker = Path.of(spec.substring(c + 1)).resolve(once ? "once.failed" : key + ".failed");
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, key, StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;                    // failed once already: this is the retry
        } catch (IOException e) {
            throw new IllegalStateException("fault hook: " + e.getMessage(), e);
        }
        if (how.startsWith("kill")) {
            Runtime.getRuntime().halt(137);
        }
        throw new IllegalStateException("netgeom test hook: first attempt of " + key + " fails");
    }
}
