package dev.spindle.bench.io;

/**
 * Netty's settings for the benchmarks, set as system properties before any Netty class
 * initializes (Netty reads them once, in static initializers).
 *
 * <ul>
 *   <li>{@code io.netty.noUnsafe=true}: on JDK 24 and later, the first call of a
 *       {@code sun.misc.Unsafe} memory-access method prints a {@code WARNING:} to stderr
 *       (JEP 498), and the build fails on any such line. Netty then uses its safe paths
 *       (heap and {@code ByteBuffer} access) on every JDK, so JDK 17 and 25 measure the same code.</li>
 *   <li>{@code io.netty.transport.noNative=true}: the NIO transport only; no native library is
 *       looked for or loaded.</li>
 * </ul>
 * A value already given on the command line ({@code -Dio.netty.noUnsafe=false}) is kept.
 */
final class NettyQuiet {
    private NettyQuiet() {
    }

    static void configure() {
        setIfAbsent("io.netty.noUnsafe", "true");
        setIfAbsent("io.netty.transport.noNative", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
