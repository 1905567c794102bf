/**
 * Spindle's NIO reactor and sockets. The reactor plugs into the core's driver seam
 * ({@code dev.spindle.spi}); the core itself never touches {@code java.nio.channels}.
 */
module dev.spindle.io {
    requires transitive dev.spindle.core;

    exports dev.spindle.io;
    exports dev.spindle.io.examples;
}
