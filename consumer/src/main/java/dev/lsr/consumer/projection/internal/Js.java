package dev.lsr.consumer.projection.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The few JavaScript value semantics that Letta Code's TypeScript relies on, applied to Jackson trees:
 * truthiness, {@code typeof x === "string"}, {@code JSON.stringify}, {@code Number#toString},
 * {@code String#trim} and {@code Buffer.byteLength(s, "utf8")}. A field that is absent is JavaScript's
 * {@code undefined}; a JSON {@code null} is {@code null}.
 */
public final class Js {

    private Js() {}

    /** JavaScript truthiness of a field value (absent, null, false, 0, NaN and "" are falsy). */
    public static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        return true;
    }

    /** JavaScript truthiness of a string that may be null. */
    public static boolean truthy(String value) {
        return value != null && !value.isEmpty();
    }

    /** {@code typeof obj[field] === "string" ? obj[field] : undefined}. */
    public static String string(JsonNode obj, String field) {
        JsonNode value = obj == null ? null : obj.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The string value of a field when it is a non-empty string, else null. */
    public static String truthyString(JsonNode obj, String field) {
        String value = string(obj, field);
        return truthy(value) ? value : null;
    }

    /** A plain object (not an array, not null). */
    public static boolean isRecord(JsonNode value) {
        return value != null && value.isObject();
    }

    /** A field that is present and not null (JavaScript {@code x !== undefined && x !== null}). */
    public static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /** {@code typeof x === "number" && Number.isFinite(x)}. */
    public static boolean finiteNumber(JsonNode value) {
        return value != null && value.isNumber() && Double.isFinite(value.doubleValue());
    }

    /** UTF-8 length as Node's {@code Buffer.byteLength} counts it (a lone surrogate is 3 bytes, U+FFFD). */
    public static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** {@code String.prototype.trim}: strips JavaScript white space and line terminators. */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isJsWhitespace(char c) {
        return switch (c) {
            case '\t',
                    '\n',
                    '\u000B',
                    '\f',
                    '\r',
                    ' ',
                    '\u00A0',
                    '\u1680',
                    '\u2028',
                    '\u2029',
                    '\u202F',
                    '\u205F',
                    '\u3000',
                    '\uFEFF' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    /** {@code JSON.stringify(value)} (compact, keys in document order). */
    public static String stringify(JsonNode value) {
        StringBuilder out = new StringBuilder();
        writeJson(value, out);
        return out.toString();
    }

    private static void writeJson(JsonNode value, StringBuilder out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isTextual()) {
            quote(value.textValue(), out);
        } else if (value.isBoolean()) {
            out.append(value.booleanValue());
        } else if (value.isNumber()) {
            out.append(numberToString(value));
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeJson(value.get(i), out);
            }
            out.append(']');
        } else if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(field.getKey(), out);
                out.append(':');
                writeJson(field.getValue(), out);
            }
            out.append('}');
        } else {
            quote(value.asText(), out);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !pairedSurrogate(s, i);
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** A JSON number as JavaScript prints it: JSON.parse makes every number a double. */
    public static String numberToString(JsonNode number) {
        return numberToString(number.doubleValue());
    }

    /** {@code Number.prototype.toString()} for a double (ECMAScript Number::toString). */
    public static String numberToString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        if (d < 0) {
            return "-" + numberToString(-d);
        }
        // Java's Double.toString gives the shortest repr digits (JDK 19+), as ECMAScript requires.
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int k = digits.length();
        int n = k - exact.scale();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int exponent = n - 1;
        String sign = exponent < 0 ? "-" : "+";
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + sign + Math.abs(exponent);
    }
}
