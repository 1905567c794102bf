/**
 * The seam between the core runtime and event sources it does not know about: a
 * {@link dev.spindle.spi.Driver} is what an idle worker waits in (the {@code scheduler-io}
 * module's selector reactor is one). Library code implements it; application code only passes
 * one to {@code SpindleBuilder.driver}.
 */
package dev.spindle.spi;
