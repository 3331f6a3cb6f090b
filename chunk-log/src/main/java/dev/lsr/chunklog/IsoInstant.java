package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, {@code 2026-03-14T17:24:20.011937Z}) written straight to
 * ASCII bytes, without the formatter machinery: seconds always, the fraction in groups of three digits
 * as many as needed. Years outside 0000–9999 go through {@link Instant#toString()}.
 */
final class IsoInstant {

    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01 (the civil-from-days algorithm counts eras from 0000-03-01). */
    private static final long DAYS_0000_TO_1970 = 719_468;

    private IsoInstant() {}

    static byte[] bytes(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // H. Hinnant's civil_from_days
        long z = days + DAYS_0000_TO_1970;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9_999) {
            return instant.toString().getBytes(US_ASCII);
        }
        int nano = instant.getNano();
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        byte[] out = new byte[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int end = 19;
        if (fractionDigits > 0) {
            out[end++] = '.';
            int fraction = fractionDigits == 3 ? nano / 1_000_000 : fractionDigits == 6 ? nano / 1_000 : nano;
            digits(out, end, fraction, fractionDigits);
            end += fractionDigits;
        }
        out[end] = 'Z';
        return out;
    }

    /** {@code value} as {@code width} decimal digits, zero-padded, at {@code offset}. */
    private static void digits(byte[] out, int offset, int value, int width) {
        for (int i = offset + width - 1; i >= offset; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
