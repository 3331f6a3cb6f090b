package dev.lsr.consumer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.cli.internal.RunsSeen;
import dev.lsr.consumer.projection.RunStarts;
import dev.lsr.consumer.projection.lettacode.LettaCodeDrains;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.projection.transcript.Transcript;
import dev.lsr.consumer.projection.transcript.TranscriptFold;
import dev.lsr.consumer.projection.transcript.Transcripts;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunFolds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code consumer rebuild}: the Letta Code buffers (or the transcript) of a run, of a conversation's
 * runs in order, or of chunk files read as successive drains, as JSON on stdout.
 */
@Command(
        name = "rebuild",
        description = "Rebuild a run, a conversation or chunk files as JSON: Letta Code buffers or transcript.")
final class RebuildCommand extends LogCommand {

    enum Format {
        LETTA_CODE,
        TRANSCRIPT
    }

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run id.")
    String runId;

    @Option(names = "--conversation", paramLabel = "ID", description = "All runs of this conversation, by start time.")
    String conversation;

    @Option(
            names = "--input",
            arity = "1..*",
            paramLabel = "FILE.jsonl",
            description = "Chunk files (one chunk per line), read in order as successive drains; no Kafka.")
    List<Path> inputs;

    @Option(
            names = "--format",
            defaultValue = "letta-code",
            converter = FormatConverter.class,
            description = "letta-code (default) or transcript.")
    Format format;

    @Option(
            names = "--token-streaming",
            description = "Split long assistant text as Letta Code does with token streaming on.")
    boolean tokenStreaming;

    @Override
    public Integer call() {
        int sources = (runId != null ? 1 : 0) + (conversation != null ? 1 : 0) + (inputs != null ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(), "give exactly one of RUN, --conversation or --input");
        }
        if (format == Format.TRANSCRIPT) {
            return transcripts();
        }
        Options options = Options.defaults().withTokenStreaming(tokenStreaming);
        JsonNode json;
        int exitCode;
        if (inputs != null) {
            LettaCodeDrains drains = new LettaCodeDrains();
            // files asked for are no run in the log: one without a readable chunk is empty buffers (its lines
            // reported, exit 6), never 7
            exitCode = replay(RunFilter.all(), drains, inputs).exitCode();
            json = drains.buffers(options).toJson();
        } else {
            LettaCodeDrains runs = new LettaCodeDrains();
            RunsSeen seen = new RunsSeen(runs);
            RunFilter filter =
                    runId != null ? RunFilter.run(runId) : RunFilter.all().withConversation(conversation);
            exitCode = replay(filter, seen, null).exitCode();
            requireFound(
                    runId != null ? seen.contains(runId) : !runs.isEmpty(),
                    runId != null ? "run " + runId : "conversation " + conversation);
            json = runs.buffersByStart(options).toJson();
        }
        print(json);
        return exitCode;
    }

    /** One transcript (a run), or an array of them (a conversation, or files with several runs). */
    private int transcripts() {
        RunFolds<TranscriptFold> feed = new RunFolds<>(run -> new TranscriptFold(), TranscriptFold::apply);
        RunStarts starts = new RunStarts();
        RunFilter filter = runId != null
                ? RunFilter.run(runId)
                : conversation != null ? RunFilter.all().withConversation(conversation) : RunFilter.all();
        int exitCode = replay(
                        filter,
                        event -> {
                            starts.onEvent(event);
                            feed.onEvent(event);
                        },
                        inputs)
                .exitCode();
        Comparator<String> byStart = starts.order(feed.folds().keySet());
        List<Transcript> transcripts = feed.folds().values().stream()
                .map(TranscriptFold::transcript)
                .sorted((a, b) -> byStart.compare(a.runId(), b.runId()))
                .toList();
        if (inputs == null) {
            requireFound(!transcripts.isEmpty(), runId != null ? "run " + runId : "conversation " + conversation);
        }
        if (conversation == null && transcripts.size() == 1) {
            print(Transcripts.toJson(transcripts.getFirst()));
        } else {
            ArrayNode array = Json.MAPPER.createArrayNode();
            transcripts.forEach(t -> array.add(Transcripts.toJson(t)));
            print(array);
        }
        return exitCode;
    }

    private void print(JsonNode json) {
        try {
            out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts {@code letta-code} and {@code transcript}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "letta-code" -> Format.LETTA_CODE;
                case "transcript" -> Format.TRANSCRIPT;
                default ->
                    throw new picocli.CommandLine.TypeConversionException(
                            "expected letta-code or transcript, got '" + value + "'");
            };
        }
    }
}
