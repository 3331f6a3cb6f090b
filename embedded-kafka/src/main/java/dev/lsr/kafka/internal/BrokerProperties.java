package dev.lsr.kafka.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server configuration of a single-node combined (broker + controller) KRaft broker: tuned to
 * start in seconds on a small machine, with transactions and consumer groups working on one node.
 */
public final class BrokerProperties {

    /** The node id written to {@code meta.properties}; fixed, so a restarted broker accepts its dir. */
    public static final int NODE_ID = 1;
    /** Name of the listener the controller quorum talks on. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {}

    /**
     * The properties for a broker serving PLAINTEXT on {@code host:port}, its controller on
     * {@code host:controllerPort}, storing everything in {@code logDir}; {@code overrides} win.
     */
    public static Map<String, String> of(
            String host, int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());

        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");

        // A small machine: few threads, a small cleaner buffer, fast registration with the controller.
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("controller.quorum.fetch.timeout.ms", "2000");
        // A controller event slower than this is logged at ERROR (default 2 s). On a busy developer machine a
        // single-node broker's events take that long without anything being wrong (the consumer CLI printed
        // "Exceptionally slow controller event handleCommit ... took 3931 ms" above its table); a real hang
        // still shows.
        props.put("controller.performance.always.log.threshold.ms", "30000");

        props.putAll(overrides);
        return props;
    }
}
