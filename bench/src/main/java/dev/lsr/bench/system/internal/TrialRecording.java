package dev.lsr.bench.system.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of one trial only (JFR's "profile" settings), when {@code -Dbench.jfr.dir=DIR} is set:
 * {@code DIR/<name>.jfr}, for {@code jfr view hot-methods} or {@code jfr view allocation-by-site}
 * without the other side's trials or the set-up in the samples. Does nothing otherwise.
 */
final class TrialRecording {

    private final Recording recording;
    private final Path file;

    private TrialRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static TrialRecording start(String name) {
        String dir = System.getProperty("bench.jfr.dir", "").strip();
        if (dir.isEmpty()) {
            return new TrialRecording(null, null);
        }
        try {
            Path file = Files.createDirectories(Path.of(dir)).resolve(name + ".jfr");
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName(name);
            recording.start();
            return new TrialRecording(recording, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JFR recording in " + dir, e);
        } catch (ParseException e) {
            throw new IllegalStateException("JFR's profile settings do not parse", e);
        }
    }

    /** Stops and writes the recording (the first call only). */
    void stop() {
        if (recording == null || recording.getState() == jdk.jfr.RecordingState.CLOSED) {
            return;
        }
        try {
            recording.stop();
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            recording.close();
        }
    }
}
