package dev.spindle.io.internal;

import java.io.EOFException;
import java.io.IOException;

/** Exceptions that name what failed and where. */
public final class IoErrors {
    private IoErrors() {
    }

    /** {@code "<what> failed: <cause's message>"}, keeping the cause (and an EOF stays an EOF). */
    public static IOException named(String what, IOException cause) {
        String msg = what + " failed: " + cause.getMessage();
        IOException e = cause instanceof EOFException ? new EOFException(msg) : new IOException(msg);
        e.initCause(cause);
        return e;
    }

    /** Throws a checked exception through {@code PollFuture.poll}, which declares none. */
    public static RuntimeException sneaky(Throwable t) {
        throw IoErrors.<RuntimeException>rethrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
