package io.forgeone.benchmarks.report;

import java.util.Locale;

/** Figures for people: times in the unit that suits them, ratios, sizes. */
final class Format {

    private Format() {
    }

    static String nanos(double ns) {
        if (Double.isNaN(ns)) {
            return "n/a";
        }
        double abs = Math.abs(ns);
        if (abs < 1e3) {
            return String.format(Locale.ROOT, "%.1f ns", ns);
        }
        if (abs < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        if (abs < 1e9) {
            return String.format(Locale.ROOT, abs < 1e7 ? "%.2f ms" : "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /** A score and its error, both in the score's own unit. */
    static String withError(double ns, double errorNs) {
        if (Double.isNaN(errorNs) || errorNs == 0) {
            return nanos(ns);
        }
        return nanos(ns) + " ± " + nanos(errorNs);
    }

    static String ratio(double r) {
        if (Double.isNaN(r)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r);
    }

    static String bytes(double b) {
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }
}
