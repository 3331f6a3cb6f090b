package dev.lsr.recorder.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutListenerTest {

    @Test
    void everyListenerHearsEveryHookEvenAfterOneThrows() {
        List<String> heard = new ArrayList<>();
        RecorderListener throwing = new RecorderListener() {
            @Override
            public void chunkAppended(String runId, int sizeBytes) {
                throw new IllegalStateException("broken metrics");
            }
        };
        RecorderListener recording = new RecorderListener() {
            @Override
            public void chunkAppended(String runId, int sizeBytes) {
                heard.add("chunk " + runId + " " + sizeBytes);
            }

            @Override
            public void runEnded(String runId, RunState state) {
                heard.add("ended " + runId + " " + state);
            }
        };
        RecorderListener fanOut = FanOutListener.of(throwing, RecorderListener.NONE, recording);

        fanOut.chunkAppended("run-1", 7);
        fanOut.chunkAppended("run-1", 8);
        fanOut.runEnded("run-1", RunState.FINISHED);

        assertEquals(List.of("chunk run-1 7", "chunk run-1 8", "ended run-1 FINISHED"), heard);
    }

    @Test
    void noListenersIsNone() {
        assertSame(RecorderListener.NONE, FanOutListener.of(RecorderListener.NONE));
        assertSame(RunLogListener.NONE, FanOutRunLogListener.of(RunLogListener.NONE, RunLogListener.NONE));
    }

    @Test
    void runLogListenersAreAllCalledAndTheFirstFailureIsRethrownForTheLogToLog() {
        List<String> heard = new ArrayList<>();
        RunLogListener throwing = new RunLogListener() {
            @Override
            public void failed(RunLogFailure failure) {
                throw new IllegalStateException("broken metrics");
            }
        };
        RunLogListener recording = new RunLogListener() {
            @Override
            public void failed(RunLogFailure failure) {
                heard.add(failure.kind() + " " + failure.partition());
            }
        };
        RunLogListener fanOut = FanOutRunLogListener.of(throwing, recording);

        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> fanOut.failed(new RunLogFailure(RunLogFailure.Kind.FATAL, 3, "fatal", null)));

        assertEquals("broken metrics", thrown.getMessage());
        assertEquals(List.of("FATAL 3"), heard);
    }
}
