package dev.lsr.sim.internal.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Plausible text for generated runs, and its split into token-like deltas. */
final class TextBank {

    private static final String[] REASONING = ("The user wants to know about the history of the city tram network and"
                    + " how it changed over time. I should check a reliable source first, then summarize the key dates,"
                    + " the routes that survived, and why most lines closed. Let me also consider whether they need"
                    + " practical advice for riding today, such as tickets, the busiest hours and the scenic routes.")
            .split(" ");
    private static final String[] ANSWER = ("Here is what I found. The first horse-drawn trams ran in 1873 and"
                    + " electric service started in 1901. The network grew to more than twenty routes before buses"
                    + " replaced most of them between the 1960s and the 1990s. Today five routes remain, and route 28"
                    + " is the famous one: it climbs through the old quarters past the cathedral and the castle. Go early"
                    + " in the morning to avoid the queues, and keep an eye on your bag when the car is crowded.")
            .split(" ");
    private static final String[] QUERIES = {
        "lisbon tram history",
        "weather in porto today",
        "ecb interest rate decision",
        "rfc 9110 http semantics",
        "java virtual threads pinning",
        "kafka exactly once semantics"
    };

    private TextBank() {}

    /** About {@code tokens} deltas of reasoning text. */
    static List<String> reasoning(SplittableRandom random, int tokens) {
        return deltas(REASONING, random, tokens);
    }

    /** About {@code tokens} deltas of answer text. */
    static List<String> answer(SplittableRandom random, int tokens) {
        return deltas(ANSWER, random, tokens);
    }

    static String query(SplittableRandom random) {
        return QUERIES[random.nextInt(QUERIES.length)];
    }

    /** Cuts a string into fragments of 1..maxLength characters (tool-call argument streaming). */
    static List<String> fragments(String text, SplittableRandom random, int pieces) {
        List<String> result = new ArrayList<>();
        int size = Math.max(1, text.length() / Math.max(1, pieces));
        int at = 0;
        while (at < text.length()) {
            int length = Math.max(1, Math.min(text.length() - at, size + random.nextInt(-size / 2, size / 2 + 1)));
            result.add(text.substring(at, at + length));
            at += length;
        }
        return result;
    }

    private static List<String> deltas(String[] words, SplittableRandom random, int tokens) {
        List<String> result = new ArrayList<>(tokens);
        int start = random.nextInt(words.length);
        for (int i = 0; i < Math.max(1, tokens); i++) {
            String word = words[(start + i) % words.length];
            result.add(i == 0 ? capitalize(word) : " " + word);
        }
        String last = result.getLast();
        if (!last.endsWith(".")) {
            result.set(result.size() - 1, last.replaceAll("[,.]$", "") + ".");
        }
        return result;
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
