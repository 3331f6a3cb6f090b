package dev.lsr.bench.system.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a recorder child's log (its stderr) for the line that says why it died. */
final class ChildLog {

    private ChildLog() {}

    /**
     * The last line that names an error (an {@code ERROR} log line, an exception or its cause), else the
     * last line that is not a stack frame; "(empty log)" when there is none.
     */
    static String lastError(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
        String lastLine = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("at ") || line.startsWith("...")) {
                continue;
            }
            if (line.contains("ERROR") || line.contains("Exception") || line.contains("Error")) {
                return line;
            }
            if (lastLine == null) {
                lastLine = line;
            }
        }
        return lastLine != null ? lastLine : "(empty log)";
    }
}
