package dev.spindle.sync;

/**
 * Thrown by a receiving future when the other side closed without sending: for example a
 * {@link Oneshot.Receiver} whose {@link Oneshot.Sender} was closed before sending a value.
 */
public final class ClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what was closed, and by whom
     */
    public ClosedException(String message) {
        super(message);
    }
}
