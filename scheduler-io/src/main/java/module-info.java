/**
 * Spindle's NIO reactor and sockets. The reactor plugs into the core's driver seam; the core
 * itself never touches {@code java.nio.channels}. (The sockets arrive with their issue.)
 */
module dev.spindle.io {
    requires dev.spindle.core;
}
