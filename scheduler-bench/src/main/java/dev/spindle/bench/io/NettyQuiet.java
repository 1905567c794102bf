package dev.spindle.bench.io;

/**
 * Netty's settings for the benchmarks, set as system properties before any Netty class
 * initializes (Netty reads them once, in static initializers).
 *
 * <ul>
 *   <li>{@code io.netty.noUnsafe=true} on JDK 24 and later only: there the first call of a
 *       {@code sun.misc.Unsafe} memory-access method prints a {@code WARNING:} to stderr
 *       (JEP 498; Netty 4.2.20 calls {@code allocateMemory}), and the build fails on any such
 *       line. Netty then takes its safe paths ({@code ByteBuffer} access, no
 *       {@code Unsafe}-backed buffers). On older JDKs Netty keeps its default (Unsafe on), so
 *       there it is measured at its best; the two JDKs' Netty figures come from different code.</li>
 *   <li>{@code io.netty.transport.noNative=true}: the NIO transport only; no native library is
 *       looked for or loaded.</li>
 * </ul>
 * A value already given on the command line ({@code -Dio.netty.noUnsafe=false}) is kept.
 */
final class NettyQuiet {
    private NettyQuiet() {
    }

    static void configure() {
        if (java.lang.Runtime.version().feature() >= 24) {
            setIfAbsent("io.netty.noUnsafe", "true");
        }
        setIfAbsent("io.netty.transport.noNative", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
