package dev.spindle.stream;

/** {@code filter} over a source answers to the finite stream contract. */
class FilterStreamTest extends FiniteStreamContract {
    @Override
    AsyncStream<Integer> streamOf(int n) {
        return new ScriptedStream(n).filter(i -> true);
    }
}
