package dev.lsr.viewer.internal.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
