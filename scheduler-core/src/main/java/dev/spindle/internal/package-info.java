/**
 * What the public packages ({@code time}, {@code sync}, {@code future}, the root) may ask of the
 * runtime a thread belongs to, without reaching into the worker machinery:
 * {@link dev.spindle.internal.RuntimeServices}, found through
 * {@link dev.spindle.internal.CurrentRuntime}. The threads a runtime starts extend
 * {@link dev.spindle.internal.RuntimeThread}, which is how the lookup finds their runtime.
 */
package dev.spindle.internal;
