package dev.lsr.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A command-line error in words that never repeat a secret given. Picocli quotes what it could not use: an unknown
 * option with its value ({@code --api-key=KEY}, the natural guess where only {@code --api-key-file} exists), an
 * unmatched argument (the value of a mistyped option), and the value an option could not convert (a URL with a
 * password). Option names stay; a value after {@code =}, an unmatched argument, the value of an option whose name
 * suggests a secret, and the user part of a URL are not shown.
 */
public final class CommandLineErrors {

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    /** A URL's user part, up to its last {@code @}: a password may hold an {@code @} of its own. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/']*@");

    private static final String[] SECRET_WORDS = {"key", "token", "secret", "password", "header", "property", "jaas"};

    private CommandLineErrors() {}

    /** {@code e}'s message with nothing it was given that could be a secret. */
    public static String describe(CommandLine.ParameterException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            return quotedParts(message);
        }
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option && looksSecret(option.longestName())) {
            return "Invalid value for option '" + option.longestName() + "' (the value given is not shown)";
        }
        return USER_INFO.matcher(message).replaceAll("(hidden)@");
    }

    /** Keeps quoted option names (cut at {@code =}); other quoted parts (arguments) are hidden. */
    private static String quotedParts(String message) {
        Matcher quoted = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            String text = quoted.group(1);
            String shown;
            if (text.startsWith("-")) {
                int eq = text.indexOf('=');
                shown = eq < 0 ? text : text.substring(0, eq) + "=(not shown)";
            } else {
                shown = "(an argument, not shown)";
            }
            quoted.appendReplacement(out, Matcher.quoteReplacement("'" + shown + "'"));
        }
        quoted.appendTail(out);
        return USER_INFO.matcher(out).replaceAll("(hidden)@");
    }

    private static boolean looksSecret(String option) {
        String lower = option.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
