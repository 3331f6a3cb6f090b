package dev.lsr.recorder.internal.letta;

import okhttp3.HttpUrl;

/** The one rule for showing Letta's base URL (logs, errors, the records' {@code ce_source}). */
public final class LettaUrls {

    private LettaUrls() {}

    /**
     * The URL without what may hold a credential (user info, a query such as {@code ?access_token=}, a fragment),
     * without a trailing slash; {@code (not a URL)} when it cannot be parsed.
     */
    public static String shown(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
        return parsed == null ? "(not a URL)" : shown(parsed);
    }

    public static String shown(HttpUrl url) {
        String shown = url.newBuilder()
                .username("")
                .password("")
                .query(null)
                .fragment(null)
                .build()
                .toString();
        return shown.endsWith("/") ? shown.substring(0, shown.length() - 1) : shown;
    }
}
