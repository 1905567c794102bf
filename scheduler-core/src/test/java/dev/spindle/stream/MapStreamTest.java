package dev.spindle.stream;

/** {@code map} over a source answers to the finite stream contract. */
class MapStreamTest extends FiniteStreamContract {
    @Override
    AsyncStream<Integer> streamOf(int n) {
        return new ScriptedStream(n).map(i -> i + 1).map(i -> i - 1);
    }
}
