package io.forgeone.api.observe;

import io.forgeone.api.engine.HostFunction;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Records host calls, published by the observer bundle. The kernel opens one recording per container run when
 * this service is present; without it nothing is recorded and a call costs one null check more.
 */
@ProviderType
public interface HostCallRecorder {

    /**
     * Opens the recording of one container run. Allocates everything the recording needs on the call path
     * (its ring), so that {@link CallRecording#record} does not allocate.
     *
     * @param functions every host function the container can reach, indexed as in the recorded calls; kept to
     *     decode arguments when the trace is read, never called
     */
    CallRecording open(RecordingContext context, List<HostFunction> functions);
}
