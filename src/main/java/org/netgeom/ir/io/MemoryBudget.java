package org.netgeom.ir.io;

import org.netgeom.ir.IrError;
import org.netgeom.ir.NetgeomException;

import java.util.Locale;

/**
 * The memory a command may plan to use for a data set and what it derives from it, checked
 * before anything is loaded so that an input that is merely big is a coded
 * {@link IrError#DATA_TOO_LARGE} (with the estimate and the way out), never an
 * {@code OutOfMemoryError}.
 *
 * <p>The budget is half of the JVM's maximum heap ({@link Runtime#maxMemory()}, set by
 * {@code -Xmx}, through {@code NETGEOM_JAVA_OPTS} for the {@code ./netgeom} launcher), or the
 * size given by the environment variable {@code NETGEOM_DATA_BUDGET} (or the system property
 * {@code netgeom.dataBudget}): bytes, or a number with suffix k, m, g (powers of 1024).
 */
public final class MemoryBudget {
    /** The environment variable that sets the budget. */
    public static final String ENV = "NETGEOM_DATA_BUDGET";

    private MemoryBudget() {
    }

    /** The budget in bytes. */
    public static long bytes() {
        String s = System.getProperty("netgeom.dataBudget");
        if (s == null || s.isBlank()) {
            s = System.getenv(ENV);
        }
        if (s != null && !s.isBlank()) {
            return parse(s.trim());
        }
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** {@code 123}, {@code 512k}, {@code 64m}, {@code 2g} (powers of 1024). */
    static long parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
            mult = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L << 40;
            };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0 || v > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return v * mult;
        } catch (NumberFormatException e) {
            throw IrError.IR_BAD_VALUE.at(ENV, ENV + " is a size such as 2g or 512m, not '" + s + "'");
        }
    }

    /**
     * Throws {@link IrError#DATA_TOO_LARGE} when {@code need} bytes (an estimate of what
     * {@code what} takes in memory) exceed the budget.
     *
     * @param advice what else may help (may be empty), added to the standard way out
     */
    public static void require(double need, String what, String path, String advice) {
        long budget = bytes();
        if (need <= budget) {
            return;
        }
        long max = Runtime.getRuntime().maxMemory();
        boolean set = System.getenv(ENV) != null || System.getProperty("netgeom.dataBudget") != null;
        boolean practical = need < (double) (4L << 40);       // a heap of a few TB at most
        NetgeomException e = IrError.DATA_TOO_LARGE.at(path, what + " needs about " + human(need) + " of memory, more than "
                + "netgeom's budget of " + human(budget) + " (" + (set ? "set by " + ENV : "half of the JVM's maximum heap, "
                + human(max)) + "). Use a smaller data set" + (advice == null || advice.isEmpty() ? "" : ", " + advice)
                + (practical ? ", or give the JVM more memory: NETGEOM_JAVA_OPTS=\"-Xmx" + suggestXmx(need) + "\" ./netgeom ... "
                + "(the budget is half the heap; " + ENV + "=SIZE sets it directly)" : "; no practical heap holds that much"));
        throw e.with("estimateBytes", (long) Math.min(need, Long.MAX_VALUE)).with("budgetBytes", budget);
    }

    private static String suggestXmx(double need) {
        double g = Math.ceil(2 * need / (1L << 30) + 1);
        return (g > 1e9 ? ">1000000" : String.valueOf((long) g)) + "g";
    }

    /** 1.5 GB, 320 MB, 12 kB (powers of 1024, as -Xmx counts). */
    public static String human(double bytes) {
        String[] u = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        int i = 0;
        double v = bytes;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        if (i >= u.length - 1 && v >= 1024) {
            return String.format(Locale.ROOT, "%.3g EB", v);
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f bytes", v) : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, u[i]);
    }
}
