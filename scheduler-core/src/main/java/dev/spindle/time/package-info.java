/** Time as the runtime sees it: the {@link dev.spindle.time.Clock} it reads, and a manual clock for tests. */
package dev.spindle.time;
