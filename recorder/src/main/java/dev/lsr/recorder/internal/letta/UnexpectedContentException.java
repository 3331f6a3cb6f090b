package dev.lsr.recorder.internal.letta;

import java.io.IOException;

/**
 * A response of the wrong kind where Letta answers JSON or an SSE stream: e.g. a proxy's or a web
 * server's HTML page with status 200. Its message quotes the Content-Type and the first bytes.
 */
public final class UnexpectedContentException extends IOException {

    private static final long serialVersionUID = 1L;

    UnexpectedContentException(String message) {
        super(message);
    }
}
