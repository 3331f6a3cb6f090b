package dev.lsr.bench.system;

/**
 * A count a scenario verified after measuring (e.g. every chunk committed): what it expected and what
 * it found. The smoke test asserts these, never a timing.
 *
 * @param what     what was counted
 * @param expected the count that means the scenario did its work
 * @param actual   the count found
 */
public record CountCheck(String what, long expected, long actual) {

    public boolean passed() {
        return expected == actual;
    }

    @Override
    public String toString() {
        return what + ": " + actual + "/" + expected + (passed() ? "" : " MISMATCH");
    }
}
