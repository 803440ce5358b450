package io.forgeone.observer.internal;

import io.forgeone.api.engine.FunctionSignature;
import java.util.List;
import java.util.Map;

/**
 * What every trace file starts with: whose run it is, what it ran, and the functions its calls name by index
 * (enough to decode the calls and to replay them without the host that made them).
 *
 * @param part the file's number in its run, from 1
 * @param firstSequence the sequence number of the first call in this file
 */
record TraceHeader(String containerId, String containerName, String moduleSha256, String module, String engine,
        int maxMemoryPages, Map<String, String> labels, long createdMillis, int part, long firstSequence,
        List<Function> functions) {

    TraceHeader {
        labels = Map.copyOf(labels);
        functions = List.copyOf(functions);
    }

    TraceHeader withPart(int newPart, long first) {
        return new TraceHeader(containerId, containerName, moduleSha256, module, engine, maxMemoryPages, labels,
                createdMillis, newPart, first, functions);
    }

    /** A host function as the trace names it. */
    record Function(String module, String name, FunctionSignature signature) {
        String qualified() {
            return module + "." + name;
        }
    }
}
