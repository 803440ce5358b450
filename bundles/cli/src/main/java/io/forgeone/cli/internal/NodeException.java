package io.forgeone.cli.internal;

/**
 * A request to a node that did not succeed: the node's own JSON error (a stable {@code code}, its message and the
 * field to blame), or a transport failure (the node cannot be reached, TLS failed, the answer is not the node's).
 */
final class NodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Codes of failures on this side of the wire; the node's own codes are in docs/rest.md. */
    static final String UNREACHABLE = "unreachable";
    static final String TLS = "tls";
    static final String BAD_ANSWER = "bad_answer";

    private final int status;
    private final String code;
    private final String field;

    NodeException(int status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    NodeException(int status, String code, String message, String field, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The request field the node blamed, or {@code null}. */
    String field() {
        return field;
    }

    /**
     * One line for standard error: the message, then (for the node's own errors) its code, the field it blamed
     * and the HTTP status in brackets. Failures on this side (no answer, a local file) are the message alone.
     */
    String line() {
        StringBuilder out = new StringBuilder(Outcome.PREFIX).append(Outcome.oneLine(String.valueOf(getMessage())));
        if (status == 0 || code == null) {
            return out.toString();
        }
        out.append(" [").append(code);
        if (field != null && !field.isEmpty()) {
            out.append(", field ").append(field);
        }
        return out.append(", HTTP ").append(status).append(']').toString();
    }
}
