package dev.lsr.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads a secret (an API key) from the file an option names, in words that never show a secret: not the file's
 * content, and not a value that names no file, since the natural slip is the key itself given where its file
 * belongs ({@code --api-key-file sk-let-…}). The path of a file that exists is shown.
 */
public final class SecretFiles {

    private SecretFiles() {}

    /** Why the secret could not be read; its message is safe to print. */
    public static final class UnreadableSecretFileException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableSecretFileException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The file's content, stripped of surrounding white space.
     *
     * @param option the option (or setting) that named the file, e.g. {@code --api-key-file}
     * @throws UnreadableSecretFileException when it names no file, cannot be read, or holds only white space
     */
    public static String read(String option, String value) throws UnreadableSecretFileException {
        Path file;
        try {
            file = Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw namesNoFile(option);
        }
        if (!Files.exists(file)) {
            throw namesNoFile(option);
        }
        String content;
        try {
            content = Files.readString(file, UTF_8).strip();
        } catch (IOException e) {
            throw new UnreadableSecretFileException(
                    "cannot read " + option + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (content.isEmpty()) {
            throw new UnreadableSecretFileException(option + " " + file + " is empty");
        }
        return content;
    }

    private static UnreadableSecretFileException namesNoFile(String option) {
        return new UnreadableSecretFileException(
                option + " names no file (the value is not shown: it may be the key itself)");
    }
}
