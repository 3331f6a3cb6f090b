package dev.lsr.recorder.internal.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lsr.recorder.LettaCheckException;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaCallHealth;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.UnexpectedContentException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Letta server one question before anything else starts ({@link LettaApi#checkServer()}), so
 * a wrong URL or API key stops the recorder at once with one line, instead of a daemon that retries
 * forever with JSON-parse or connection noise. Once running, an unreachable Letta is an outage the
 * watcher and the runs ride out with backoff. The check is Letta's listing: its outcome is the {@code letta}
 * readiness check's first ({@link LettaCallHealth#checkServer}).
 */
final class LettaStartCheck {

    private static final Logger log = LoggerFactory.getLogger(LettaStartCheck.class);

    private LettaStartCheck() {}

    /**
     * @param health keeps the check's outcome
     * @throws LettaCheckException saying what answered instead of Letta
     */
    static void verify(LettaApi api, String baseUrl, LettaCallHealth health) {
        try {
            health.checkServer(api);
            log.info("Letta at {} answers", baseUrl);
        } catch (LettaHttpException e) {
            String what = e.refusesCredentials() ? "refused the API key" : "answered with an error";
            throw new LettaCheckException("Letta at " + baseUrl + " " + what + ": " + e.getMessage());
        } catch (UnexpectedContentException | JsonProcessingException e) {
            throw new LettaCheckException(baseUrl + " does not answer like a Letta server: " + oneLine(e));
        } catch (IOException e) {
            throw new LettaCheckException("Letta at " + baseUrl + " is not reachable: " + oneLine(e));
        }
    }

    private static String oneLine(Exception e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        String text = message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : e instanceof UnexpectedContentException
                        ? message
                        : e.getClass().getSimpleName() + ": " + message;
        return text.replaceAll("\\s+", " ").strip();
    }
}
