/**
 * JMX: each runtime's {@link dev.spindle.metrics.SpindleMXBean}, registered in the platform MBean
 * server under {@code dev.spindle:type=Runtime,name=<name>} from build until termination (the
 * last worker thread to exit unregisters it, before the termination latch opens, so {@code
 * close()} returns with the bean gone). The bean reads the public runtime only: metrics snapshots
 * and the task dump.
 */
package dev.spindle.internal.jmx;
