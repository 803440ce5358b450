package io.forgeone.deploy.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the deploy folder made of one file.
 *
 * @param file the package file in the deploy folder (absolute, normalised)
 * @param packageId the id (SHA-256) of the package the file held when it was last deployed; {@code null} once the
 *        file was removed
 * @param containerId the container running that package, or {@code null} when none was started (the manifest does
 *        not ask for it, or starting failed)
 * @param retired containers of earlier versions of the file, stopped and kept for their logs; deleted when the file
 *        is deployed again, so there is at most one
 */
record Deployment(Path file, String packageId, String containerId, List<String> retired) {
    Deployment {
        Objects.requireNonNull(file, "file");
        retired = List.copyOf(retired);
    }

    /** Whether the file is still deployed (it was not removed since). */
    boolean present() {
        return packageId != null;
    }
}
