package dev.spindle.stream;

/** {@code take(n)} over an endless source answers to the finite stream contract. */
class TakeStreamTest extends FiniteStreamContract {
    @Override
    AsyncStream<Integer> streamOf(int n) {
        return new ScriptedStream(ScriptedStream.ENDLESS).take(n);
    }
}
