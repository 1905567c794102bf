package dev.spindle.internal;

import dev.spindle.internal.time.TimeDriver;

/**
 * The small face of a runtime that the public packages use: its timers and the public object
 * that owns it. Implemented by the scheduler; found with {@link CurrentRuntime#get()}.
 */
public interface RuntimeServices {

    /** The runtime's timers. */
    TimeDriver time();

    /** The public object (a {@code dev.spindle.Spindle}) this runtime serves. */
    Object owner();
}
