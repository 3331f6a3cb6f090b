package dev.lsr.consumer.cli;

import dev.lsr.chunklog.Json;
import dev.lsr.consumer.cli.internal.RunsSeen;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code consumer export RUN}: the run's chunks as JSONL, one chunk per line exactly as received,
 * in log order, duplicates dropped. {@code consumer rebuild --input} reads it back.
 */
@Command(name = "export", description = "Write a run's chunks as JSONL (one chunk per line, in order) to stdout.")
final class ExportCommand extends LogCommand {

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Override
    public Integer call() {
        PrintWriter out = out();
        ReplayListener writer = event -> {
            RunRecord record = event.delivered();
            if (record != null && record.isChunk()) {
                out.println(oneLine(record.valueText()));
            }
        };
        RunsSeen seen = new RunsSeen(writer);
        Replayed replayed = replay(RunFilter.run(runId), seen, null);
        requireFound(seen.contains(runId), "run " + runId);
        out.flush();
        return replayed.exitCode();
    }

    /** The chunk as received; only a payload spanning lines (joined SSE data lines) is compacted. */
    private static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            return json.replace("\r", "").replace("\n", "");
        }
    }
}
