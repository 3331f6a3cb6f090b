package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The server's API key, kept only as its SHA-256: a request's {@code Authorization: Bearer <key>} is
 * hashed and compared with {@link MessageDigest#isEqual} (constant time, and over equal lengths, so
 * neither the key's content nor its length leaks through timing). Never printed: {@link #toString()}
 * says so.
 */
public final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    public static BearerToken of(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        return new BearerToken(sha256(key.strip()));
    }

    /** True when the header value is {@code Bearer <the key>}. */
    public boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return MessageDigest.isEqual(
                digest, sha256(authorization.substring(PREFIX.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
