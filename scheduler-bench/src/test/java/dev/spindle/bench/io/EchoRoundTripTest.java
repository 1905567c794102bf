package dev.spindle.bench.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The echo round-trip benchmark's body, outside JMH, on each implementation it is measured on:
 * a few operations over loopback must all finish, every echo must match what was sent, and the
 * trial must tear down (sockets closed, threads stopped). Speed is not looked at here.
 */
class EchoRoundTripTest {
    /** The one timeout every wait here derives from; raise it on a slow machine. */
    private static final long TIMEOUT_SECONDS = Long.getLong("spindle.bench.testTimeoutSeconds", 5);
    private static final int OPERATIONS = 3;

    @Test
    void measuresSpindleAgainstNetty() throws NoSuchFieldException {
        Param p = EchoRoundTrip.class.getDeclaredField("impl").getAnnotation(Param.class);
        assertEquals(List.of(EchoRoundTrip.SPINDLE, EchoRoundTrip.NETTY), List.of(p.value()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {EchoRoundTrip.SPINDLE, EchoRoundTrip.NETTY})
    void everyEchoComesBackIntact(String impl) throws Exception {
        EchoRoundTrip b = new EchoRoundTrip();
        b.impl = impl;
        b.workers = 2;
        b.opTimeoutNanos = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        b.start();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                b.roundTrip();
            }
            b.checkResult(OPERATIONS);
        } finally {
            b.stop();
        }
    }
}
