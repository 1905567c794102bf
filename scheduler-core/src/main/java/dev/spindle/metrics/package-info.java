/** Read-only views of what a runtime is doing: metrics snapshots and stall reports. */
package dev.spindle.metrics;
