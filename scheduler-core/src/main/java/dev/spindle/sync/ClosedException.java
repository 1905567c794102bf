package dev.spindle.sync;

/**
 * Thrown when the other side of a channel closed: by a {@link Oneshot.Receiver}'s future whose
 * {@link Oneshot.Sender} was closed before sending a value, and by a {@link Channel}'s sends
 * once its {@link Channel.Receiver} was closed.
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
