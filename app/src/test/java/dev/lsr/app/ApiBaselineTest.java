package dev.lsr.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.kernel.Lifecycle;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.settings.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The libraries' public surface against the checked-in baseline, {@code MODULE/api/MODULE.api}, so that
 * an API change shows in review as a change of that file. After an intended change, regenerate every
 * baseline with one command (from the repository root):
 *
 * <pre>{@code
 * ./mvnw -B -ntp -o -pl app -am test -Dtest=ApiBaselineTest -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true
 * }</pre>
 */
class ApiBaselineTest {

    private static final String UPDATE = "api.update";
    private static final String REGENERATE = "./mvnw -B -ntp -o -pl app -am test -Dtest=ApiBaselineTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true";

    /** Each library with a class of its own, which locates its classes. */
    static Stream<Arguments> libraries() {
        return Stream.of(
                Arguments.of("recorder", RecorderDaemon.class),
                Arguments.of("consumer", ChunkLogReader.class),
                Arguments.of("chunk-log", TopicConventions.class),
                Arguments.of("kernel", Lifecycle.class),
                Arguments.of("settings", Durations.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void thePublicSurfaceMatchesTheBaseline(String module, Class<?> anchor) throws IOException {
        ApiSurface actual = ApiSurface.of(MainClasses.moduleOf(anchor));
        assertTrue(actual.types().containsKey(headerOf(actual, anchor)), "the anchor is part of " + module + "'s API");
        Path baseline = repositoryRoot().resolve(module).resolve("api").resolve(module + ".api");
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(baseline.getParent());
            Files.writeString(baseline, actual.render(), StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(baseline)) {
            fail("no API baseline " + baseline + "; create it with: " + REGENERATE);
        }
        String diff = actual.diffFrom(ApiSurface.parse(Files.readString(baseline, StandardCharsets.UTF_8)));
        if (!diff.isEmpty()) {
            fail(module + "'s public API changed (- in " + baseline + ", + in the code):\n" + diff
                    + "\nIf intended, regenerate the baselines and commit them: " + REGENERATE);
        }
    }

    private static String headerOf(ApiSurface surface, Class<?> type) {
        return surface.types().keySet().stream()
                .filter(h -> h.contains(" " + type.getName() + " ") || h.endsWith(" " + type.getName()))
                .findFirst()
                .orElse("");
    }

    /** The repository root: surefire runs in the module's folder (app/), so it is the parent with the parent pom. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null
                && !(Files.exists(dir.resolve("app").resolve("pom.xml")) && Files.exists(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
