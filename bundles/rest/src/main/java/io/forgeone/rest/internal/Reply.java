package io.forgeone.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a route answers: a status with a JSON body, raw bytes, or a stream written as it goes (chunked).
 *
 * @param status HTTP status
 * @param json the JSON body, or {@code null}
 * @param contentType the content type of {@code raw} or {@code stream}
 * @param raw a body that is not JSON, or {@code null}
 * @param stream writes the body as it goes, or {@code null}
 */
record Reply(int status, Object json, String contentType, byte[] raw, Streamer stream) {

    /** Writes a streamed body; returns when the stream is over or the client went away. */
    @FunctionalInterface
    interface Streamer {
        void write(OutputStream out) throws IOException;
    }

    static Reply ok(Object json) {
        return new Reply(200, json, "application/json; charset=utf-8", null, null);
    }

    static Reply created(Object json) {
        return new Reply(201, json, "application/json; charset=utf-8", null, null);
    }

    static Reply status(int status, Object json) {
        return new Reply(status, json, "application/json; charset=utf-8", null, null);
    }

    static Reply bytes(String contentType, byte[] raw) {
        return new Reply(200, null, contentType, raw, null);
    }

    static Reply stream(String contentType, Streamer stream) {
        return new Reply(200, null, contentType, null, stream);
    }

    /** The JSON body as a map, for tests. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        return (Map<String, Object>) json;
    }
}
