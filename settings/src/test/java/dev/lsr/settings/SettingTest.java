package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting<Integer> PARTITIONS = Setting.builder("topic.partitions", SettingType.INT)
            .flag("--partitions")
            .env("LSR_PARTITIONS")
            .defaultValue("6")
            .validator(Validator.atLeast(1))
            .doc("partitions")
            .build();

    private static final Setting<String> PASSWORD = Setting.builder("db.password", SettingType.STRING)
            .flag("--password")
            .env("DB_PASSWORD")
            .validator(Validator.of("at least 8 characters", v -> v.length() >= 8))
            .secret()
            .doc("a password")
            .build();

    @Test
    void theDefaultIsParsedFromItsText() {
        assertEquals("6", PARTITIONS.defaultText());
        assertEquals(6, PARTITIONS.defaultValue());
        assertEquals(
                Duration.ofMillis(250),
                Setting.builder("d", SettingType.DURATION)
                        .defaultValue("250ms")
                        .doc("d")
                        .build()
                        .defaultValue());
    }

    @Test
    void noDefaultMeansAbsent() {
        assertNull(PASSWORD.defaultText());
        assertNull(PASSWORD.defaultValue());
        assertNull(PASSWORD.parse(null));
    }

    @Test
    void aDefaultBreakingItsOwnRuleFailsAtDeclaration() {
        SettingException e = assertThrows(
                SettingException.class,
                () -> Setting.builder("p", SettingType.INT)
                        .flag("--p")
                        .defaultValue("0")
                        .validator(Validator.atLeast(1))
                        .doc("p")
                        .build());
        assertEquals("--p (p): '0' is not a positive whole number", e.getMessage());
    }

    @Test
    void aDeclarationNeedsANameAndADoc() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Setting.builder(" ", SettingType.INT).doc("x").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> Setting.builder("x", SettingType.INT).build());
    }

    @Test
    void parsesAndValidates() {
        assertEquals(12, PARTITIONS.parse(" 12 "));
    }

    @Test
    void aValueOfTheWrongTypeNamesTheSettingTheValueAndTheType() {
        SettingException e = assertThrows(SettingException.class, () -> PARTITIONS.parse("many"));
        assertEquals("--partitions (LSR_PARTITIONS, topic.partitions): 'many' is not a whole number", e.getMessage());
        assertEquals("topic.partitions", e.setting());
    }

    @Test
    void aValueBreakingARuleNamesTheSettingTheValueAndTheRule() {
        SettingException e = assertThrows(SettingException.class, () -> PARTITIONS.parse("0"));
        assertEquals(
                "--partitions (LSR_PARTITIONS, topic.partitions): '0' is not a positive whole number", e.getMessage());
    }

    @Test
    void aSecretsValueIsNeverQuoted() {
        SettingException e = assertThrows(SettingException.class, () -> PASSWORD.parse("hunter2"));
        assertEquals(
                "--password (DB_PASSWORD, db.password): the value given is not at least 8 characters", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertFalse(assertThrows(SettingException.class, () -> PASSWORD.requireValid("hunter2"))
                .getMessage()
                .contains("hunter2"));
    }

    @Test
    void aRuleHidingTheValueKeepsItOutOfTheError() {
        Setting<String> url = Setting.builder("url", SettingType.STRING)
                .flag("--url")
                .validator(Validator.<String>of("a URL without credentials", v -> !v.contains("@"))
                        .hidingValue())
                .doc("url")
                .build();
        SettingException e = assertThrows(SettingException.class, () -> url.parse("http://me:pw@host"));
        assertEquals("--url (url): the value given is not a URL without credentials", e.getMessage());
    }

    @Test
    void valuesBuiltInCodeAreCheckedByTheSameRules() {
        assertEquals(3, PARTITIONS.requireValid(3));
        assertEquals(
                "--partitions (LSR_PARTITIONS, topic.partitions): '-1' is not a positive whole number",
                assertThrows(SettingException.class, () -> PARTITIONS.requireValid(-1))
                        .getMessage());
        assertEquals(
                "--partitions (LSR_PARTITIONS, topic.partitions): must be given",
                assertThrows(SettingException.class, () -> PARTITIONS.requireValid(null))
                        .getMessage());
    }

    @Test
    void describeNamesWhatIsDeclared() {
        assertEquals("--partitions (LSR_PARTITIONS, topic.partitions)", PARTITIONS.describe());
        assertEquals(
                "only.key",
                Setting.builder("only.key", SettingType.STRING).doc("d").build().describe());
        assertEquals(
                "--f (f.key)",
                Setting.builder("f.key", SettingType.STRING)
                        .flag("--f")
                        .doc("d")
                        .build()
                        .describe());
    }

    @Test
    void typesReadTheirText() {
        assertEquals("x", SettingType.STRING.parse(" x "));
        assertTrue(SettingType.BOOLEAN.parse("true"));
        assertFalse(SettingType.BOOLEAN.parse(" false "));
        assertThrows(IllegalArgumentException.class, () -> SettingType.BOOLEAN.parse("yes"));
        assertThrows(IllegalArgumentException.class, () -> SettingType.INT.parse("1.5"));
        assertEquals(Path.of("./data/kafka"), SettingType.PATH.parse("./data/kafka"));
        assertEquals(List.of("a", "b"), SettingType.LIST.parse(" a, ,b ,"));
        assertEquals(List.of(), SettingType.LIST.parse(""));
        assertTrue(SettingType.LIST.list());
        assertEquals(Duration.ofHours(3), SettingType.DURATION.parse("3h"));
    }

    @Test
    void aBooleanTypoIsNotFalse() {
        Setting<Boolean> watch = Setting.builder("watch", SettingType.BOOLEAN)
                .flag("--watch")
                .env("LSR_WATCH")
                .defaultValue("true")
                .doc("watch")
                .build();
        assertEquals(
                "--watch (LSR_WATCH, watch): 'yes' is not true or false",
                assertThrows(SettingException.class, () -> watch.parse("yes")).getMessage());
    }

    @Test
    void aBadDurationSaysWhatADurationLooksLike() {
        Setting<Duration> window = Setting.builder("commit-window", SettingType.DURATION)
                .flag("--commit-window")
                .env("LSR_COMMIT_WINDOW")
                .defaultValue("20ms")
                .validator(Validator.positive())
                .doc("w")
                .build();
        assertEquals(
                "--commit-window (LSR_COMMIT_WINDOW, commit-window): 'soon' is not a duration like"
                        + " 250ms, 10s, 30m, 3h, 1d, PT2S or 0",
                assertThrows(SettingException.class, () -> window.parse("soon")).getMessage());
        assertEquals(
                "--commit-window (LSR_COMMIT_WINDOW, commit-window): '0' is not a positive duration",
                assertThrows(SettingException.class, () -> window.parse("0")).getMessage());
    }
}
