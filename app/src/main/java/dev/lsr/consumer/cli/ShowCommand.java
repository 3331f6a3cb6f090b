package dev.lsr.consumer.cli;

import dev.lsr.consumer.projection.transcript.TranscriptFold;
import dev.lsr.consumer.projection.transcript.TranscriptText;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunFolds;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code consumer show RUN}: the run's transcript, rendered for a terminal. */
@Command(name = "show", description = "Print a run's transcript for reading in a terminal.")
final class ShowCommand extends LogCommand {

    @Parameters(paramLabel = "RUN", description = "The run id.")
    String runId;

    @Option(
            names = "--max-tool-return-chars",
            defaultValue = "" + TranscriptText.DEFAULT_MAX_TOOL_RETURN_CHARS,
            converter = ConsumerCli.NonNegativeIntConverter.class,
            description = "Cut tool returns longer than this (default: ${DEFAULT-VALUE}).")
    int maxToolReturnChars;

    @Option(
            names = "--input",
            arity = "1..*",
            paramLabel = "FILE.jsonl",
            description = "Read chunk files instead of Kafka.")
    List<Path> inputs;

    @Override
    public Integer call() {
        RunFolds<TranscriptFold> feed = new RunFolds<>(run -> new TranscriptFold(), TranscriptFold::apply);
        Replayed replayed = replay(RunFilter.run(runId), feed, inputs);
        TranscriptFold fold = feed.folds().get(runId);
        requireFound(fold != null, "run " + runId);
        out().print(new TranscriptText(maxToolReturnChars).render(fold.transcript()));
        out().flush();
        return replayed.exitCode();
    }
}
