package dev.lsr.sim.internal;

import dev.lsr.sim.Workload;
import dev.lsr.sim.internal.gen.SeededIds;
import dev.lsr.sim.internal.store.RunRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workload's runs over time: run {@code i} arrives at {@code i / arrivalRate} seconds
 * and goes to conversation {@code i mod (agents × conversationsPerAgent)}; if that conversation
 * still has an active run, it waits for it (one active run per conversation, as Letta's lock
 * allows), so ids, content and placement depend only on the seed.
 */
public final class WorkloadDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadDriver.class);
    private static final long AGENT_SALT = 0xA6E27A6E27L;

    /** A conversation of the workload and its agent. */
    public record Conversation(String agentId, String conversationId) {}

    private final SimEngine engine;
    private final RunFactory factory;
    private final Workload workload;
    private final List<Conversation> conversations;
    private Thread thread;

    public WorkloadDriver(SimEngine engine, RunFactory factory, Workload workload) {
        this.engine = engine;
        this.factory = factory;
        this.workload = workload;
        this.conversations = layout(workload);
        conversations.forEach(c -> engine.registerConversation(c.conversationId(), c.agentId()));
    }

    /** The agents' conversations, in placement order. */
    public List<Conversation> conversations() {
        return conversations;
    }

    /** Starts the arrivals on a virtual thread (no-op when the workload has no runs). */
    public void start() {
        if (workload.runs() == 0) {
            return;
        }
        thread = Thread.ofVirtual().name("letta-sim-workload").start(this::arrive);
    }

    private void arrive() {
        long startNanos = System.nanoTime();
        Duration interval = workload.frameInterval() != null
                ? workload.frameInterval()
                : engine.config().pace();
        try {
            for (int i = 0; i < workload.runs(); i++) {
                if (workload.arrivalRate() > 0) {
                    long due = startNanos + (long) (i * 1_000_000_000L / workload.arrivalRate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
                Conversation conversation = conversations.get(i % conversations.size());
                RunFactory.Spec spec = new RunFactory.Spec(
                        conversation.agentId(),
                        conversation.conversationId(),
                        "conversation:" + conversation.conversationId(),
                        "send_conversation_message",
                        true,
                        true,
                        workload.streamTokens(),
                        true,
                        null,
                        0);
                while (factory.createForWorkload(spec, i, interval) instanceof RunRegistry.Creation.Busy) {
                    Thread.sleep(10);
                }
            }
            LOG.info("workload: all {} runs started", workload.runs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Conversation> layout(Workload workload) {
        SeededIds ids = new SeededIds(new SplittableRandom(workload.seed() ^ AGENT_SALT));
        List<Conversation> result = new ArrayList<>();
        List<String> agents = new ArrayList<>();
        for (int a = 0; a < workload.agents(); a++) {
            agents.add(ids.prefixed("agent"));
        }
        for (int c = 0; c < workload.conversationsPerAgent(); c++) {
            for (String agent : agents) {
                result.add(new Conversation(agent, ids.prefixed("conv")));
            }
        }
        return List.copyOf(result);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
