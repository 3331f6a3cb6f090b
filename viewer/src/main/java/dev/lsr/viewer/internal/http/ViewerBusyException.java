package dev.lsr.viewer.internal.http;

import java.io.Serial;

/**
 * A {@link RunSource} is reading too many other runs for this request's run to get a turn in time; the page answers
 * 503 with {@code Retry-After}.
 */
public final class ViewerBusyException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public ViewerBusyException(String message) {
        super(message);
    }
}
