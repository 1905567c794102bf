package dev.spindle.io;

import java.io.IOException;

/**
 * A line longer than the limit given to {@link TcpStream#lines(int)}: the lines stream fails
 * with it and is then finished, while the socket stays open (to write an error and close, say).
 */
public final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    /**
     * An exception for a line longer than {@code limit} bytes.
     *
     * @param message the detail message, which should name the limit
     * @param limit the maximum line length, in bytes, that the line went over
     */
    public LineTooLongException(String message, int limit) {
        super(message);
        this.limit = limit;
    }

    /** The maximum line length, in bytes, that the line went over. */
    public int limit() {
        return limit;
    }
}
