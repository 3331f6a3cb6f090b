package dev.lsr.recorder.testing;

import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.letta.SseStream;
import java.io.IOException;
import java.util.List;

/** A Letta that has only its start check's listing ({@code GET /v1/runs/?limit=1}): every other call is refused. */
public final class ListingOnlyLetta {

    /** What the listing does: returns (Letta answered), or throws how it failed. */
    @FunctionalInterface
    public interface Listing {
        void call() throws IOException, InterruptedException;
    }

    private ListingOnlyLetta() {}

    /** A Letta whose {@link LettaApi#checkServer} does {@code listing}; an interrupt while it waits is kept set. */
    public static LettaApi of(Listing listing) {
        return new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                try {
                    listing.call();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public Run getRun(String runId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Run> listRuns(RunQuery query) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream send(SendMessage message) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
