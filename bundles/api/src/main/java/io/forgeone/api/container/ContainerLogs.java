package io.forgeone.api.container;

/**
 * The kept tail of a container's output.
 *
 * @param stdout the latest bytes of stdout, decoded as UTF-8
 * @param stderr the latest bytes of stderr, decoded as UTF-8
 * @param droppedStdoutBytes how many older stdout bytes were dropped to stay within the limit
 * @param droppedStderrBytes how many older stderr bytes were dropped
 */
public record ContainerLogs(String stdout, String stderr, long droppedStdoutBytes, long droppedStderrBytes) {
}
