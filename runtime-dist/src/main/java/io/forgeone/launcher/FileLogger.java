package io.forgeone.launcher;

import org.apache.felix.framework.Logger;

/**
 * The framework's own log ({@code felix.log.logger}): resolution failures, bundle exceptions and the like go to the
 * log file, never to the terminal. The framework filters by {@code felix.log.level} before calling this.
 */
final class FileLogger extends Logger {
    private final LogFile log;

    FileLogger(LogFile log) {
        this.log = log;
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        log.write(levelName(level), "felix", msg, throwable);
    }

    private static String levelName(int level) {
        switch (level) {
            case LOG_ERROR:
                return "ERROR";
            case LOG_WARNING:
                return "WARN";
            case LOG_INFO:
                return "INFO";
            default:
                return "DEBUG";
        }
    }
}
