package dev.lsr.consumer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Approval files: a test renders what the code produces today as text and compares it with a checked-in
 * file under {@code src/test/resources/approved/}; a difference fails with a line diff. When a change of
 * output is intended, regenerate the files and review their diff in the commit:
 *
 * <pre>./mvnw -B -ntp -o -pl consumer -am test -Dtest='FixtureApprovalsTest' -Dsurefire.failIfNoSpecifiedTests=false -Dapproval.update=true</pre>
 */
public final class Approvals {

    /** The folder of the approved files, relative to the module (surefire runs tests in the module's folder). */
    public static final Path FOLDER = Path.of("src/test/resources/approved");

    private static final int CONTEXT = 3;

    private Approvals() {}

    public static boolean updating() {
        return Boolean.getBoolean("approval.update");
    }

    /** Compares {@code actual} with the approved file {@code name}, or writes it with {@code -Dapproval.update=true}. */
    public static void verify(String name, String actual) {
        Path file = FOLDER.resolve(name);
        try {
            if (updating()) {
                Files.createDirectories(FOLDER);
                Files.writeString(file, actual, UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                fail("no approved file " + file + "; create it with -Dapproval.update=true and review it. Actual:\n"
                        + actual);
            }
            String approved = Files.readString(file, UTF_8);
            if (!approved.equals(actual)) {
                fail(name + " differs from the approved file (- approved, + actual; regenerate with"
                        + " -Dapproval.update=true if intended):\n" + diff(approved, actual));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A unified-style line diff (longest common subsequence), with {@value #CONTEXT} lines of context. */
    static String diff(String approved, String actual) {
        List<String> a = approved.lines().toList();
        List<String> b = actual.lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                lines.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add("- " + a.get(i++));
            } else {
                lines.add("+ " + b.get(j++));
            }
        }
        StringBuilder out = new StringBuilder();
        int lastShown = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (!changedNear(lines, k)) {
                continue;
            }
            if (lastShown >= 0 && k > lastShown + 1) {
                out.append("@@ line ").append(k + 1).append('\n');
            }
            out.append(lines.get(k)).append('\n');
            lastShown = k;
        }
        if (approved.endsWith("\n") != actual.endsWith("\n")) {
            out.append("(the files differ in the final newline)\n");
        }
        return out.toString();
    }

    private static boolean changedNear(List<String> lines, int k) {
        for (int n = Math.max(0, k - CONTEXT); n <= Math.min(lines.size() - 1, k + CONTEXT); n++) {
            if (!lines.get(n).startsWith("  ")) {
                return true;
            }
        }
        return false;
    }
}
