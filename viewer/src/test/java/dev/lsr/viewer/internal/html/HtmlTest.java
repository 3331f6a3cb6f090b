package dev.lsr.viewer.internal.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void textFromTheLogIsEscaped() {
        assertEquals(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
                Html.text("<script>alert(\"x\")</script> & '"));
    }

    @Test
    void credentialsAreMaskedBeforeTheyReachAPage() {
        String masked = Html.mask("{\"api_key\": \"abc123secretvalue\", \"q\": \"Lisbon\"} "
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload sk-ant-api03-AAAAAAAAAAAAAAAAAAAA");

        assertFalse(masked.contains("abc123secretvalue"), masked);
        assertFalse(masked.contains("eyJhbGciOiJIUzI1NiJ9"), masked);
        assertFalse(masked.contains("AAAAAAAAAAAAAAAAAAAA"), masked);
        assertTrue(masked.contains("\"q\": \"Lisbon\""), masked);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertEquals("The token count was 42; sk-ip this", Html.mask("The token count was 42; sk-ip this"));
    }

    /**
     * The shapes a tool's output carries secrets in: environment variables ({@code env}), snake_case fields, a
     * quoted value with spaces, HTTP Basic credentials ({@code curl -v}).
     */
    @Test
    void credentialsInEnvironmentFieldsAndHeadersAreMasked() {
        String masked = Html.mask("GITHUB_TOKEN=ghp_abcdefghijklmnop1234\n"
                + "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY\n"
                + "{\"db_password\": \"correct horse battery staple\", \"client_secret\": \"s3cr3tvalue\"}\n"
                + "> Authorization: Basic dXNlcjpwYXNzd29yZA==\n"
                + "{\"prompt_tokens\": 1234, \"max_tokens\": 4096, \"token_count\": 7}");

        for (String secret : List.of(
                "ghp_abcdefghijklmnop1234", "wJalrXUtnFEMI", "horse", "staple", "s3cr3tvalue", "dXNlcjpwYXNzd29yZA")) {
            assertFalse(masked.contains(secret), secret + " in " + masked);
        }
        assertTrue(masked.contains("\"prompt_tokens\": 1234, \"max_tokens\": 4096, \"token_count\": 7"), masked);
    }

    /** The masking reads each character a bounded number of times: a long token costs linear time. */
    @Test
    void aLongTokenIsMaskedInLinearTime() {
        String blob = "a".repeat(2_000_000);
        long started = System.nanoTime();
        assertEquals(blob, Html.mask(blob));
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "seconds, not hours");
    }
}
