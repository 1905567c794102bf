/** Spindle's core: the work-stealing task runtime. Only the public API packages are exported. */
module dev.spindle.core {
    requires org.jctools.core;
    requires org.agrona;

    exports dev.spindle;
    exports dev.spindle.future;
    exports dev.spindle.metrics;
    exports dev.spindle.spi;
    exports dev.spindle.stream;
    exports dev.spindle.sync;
    exports dev.spindle.time;
}
