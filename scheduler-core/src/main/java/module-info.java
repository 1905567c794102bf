/** Spindle's core: the work-stealing task runtime. Only the public API packages are exported. */
module dev.spindle.core {
    requires org.jctools.core;
    requires org.agrona;
    // JMX: each runtime registers a bean in the platform MBean server (java.se has it).
    requires java.management;
    // JFR events: optional. An image without jdk.jfr runs the runtime with the events off
    // (dev.spindle.internal.jfr.Jfr checks the boot layer once).
    requires static jdk.jfr;

    exports dev.spindle;
    exports dev.spindle.future;
    exports dev.spindle.metrics;
    exports dev.spindle.spi;
    exports dev.spindle.stream;
    exports dev.spindle.sync;
    exports dev.spindle.time;
}
