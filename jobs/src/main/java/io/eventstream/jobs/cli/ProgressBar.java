package io.eventstream.jobs.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on a terminal. Redraws at most five times a
 * second, so callers may call {@link #update} for every item.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String unit;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    ProgressBar(PrintWriter err, String unit) {
        this.err = err;
        this.unit = unit;
    }

    /** {@code fraction} in [0, 1]; {@code detail} e.g. the simulated day. */
    void update(double fraction, long items, String detail) {
        long nowNanos = System.nanoTime();
        if (drawn && nowNanos - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = nowNanos;
        drawn = true;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
        err.print(String.format(
                Locale.ROOT,
                "\r[%s%s] %3d%%  %s  %,d %s  %,.0f %s/s ",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled),
                Math.round(fraction * 100),
                detail,
                items,
                unit,
                items / seconds,
                unit));
        err.flush();
    }

    /** Ends the line so later output starts on a fresh one. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
