package dev.lsr.settings;

import java.nio.file.Path;

/**
 * The settings of the embedded Kafka broker that the recorder and the consumer share: the consumer
 * starts the same broker on the data directory the recorder wrote, so both declare them here, once.
 */
public final class BrokerSettings {

    /** The default data directory, as a constant for annotation-based command lines. */
    public static final String DEFAULT_DATA_DIR = "./data/kafka";

    public static final String DATA_DIR_DOC = "the embedded broker's data directory";

    /** The default port, as a constant for annotation-based command lines. */
    public static final String DEFAULT_EMBEDDED_PORT = "9092";

    public static final String EMBEDDED_PORT_DOC = "the embedded broker's port (0: any free port)";

    public static final Setting<Path> DATA_DIR = Setting.builder("kafka.embedded.data-dir", SettingType.PATH)
            .flag("--data-dir")
            .env("LSR_DATA_DIR")
            .defaultValue(DEFAULT_DATA_DIR)
            .doc(DATA_DIR_DOC)
            .build();

    public static final Setting<Integer> EMBEDDED_PORT = Setting.builder("kafka.embedded.port", SettingType.INT)
            .flag("--embedded-port")
            .env("LSR_EMBEDDED_PORT")
            .defaultValue(DEFAULT_EMBEDDED_PORT)
            .validator(Validator.between(0, 65535))
            .doc(EMBEDDED_PORT_DOC)
            .build();

    private BrokerSettings() {}
}
