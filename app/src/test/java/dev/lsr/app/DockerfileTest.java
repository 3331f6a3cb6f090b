package dev.lsr.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's build stage copies every module of the root pom: a module added without its COPY line
 * builds everywhere but in the image, and only the compose end-to-end check (last in CI) would notice
 * (it did: "Child module /src/viewer of /src/pom.xml does not exist").
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theImageBuildCopiesEveryModule() throws IOException {
        List<String> modules =
                all(Pattern.compile("<module>([^<]+)</module>"), Files.readString(ROOT.resolve("pom.xml"), UTF_8));
        List<String> copied =
                all(Pattern.compile("(?m)^COPY ([\\w-]+) \\1$"), Files.readString(ROOT.resolve("Dockerfile"), UTF_8));
        assertEquals(
                modules.stream().sorted().toList(), copied.stream().sorted().toList());
    }

    private static List<String> all(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.results().map(r -> r.group(1)).toList();
    }
}
