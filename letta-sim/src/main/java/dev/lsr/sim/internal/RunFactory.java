package dev.lsr.sim.internal;

import dev.lsr.sim.Workload;
import dev.lsr.sim.internal.gen.RunGenerator;
import dev.lsr.sim.internal.gen.RunPlan;
import dev.lsr.sim.internal.gen.SeededIds;
import dev.lsr.sim.internal.gen.Shape;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunInfo;
import dev.lsr.sim.internal.store.RunRegistry;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Creates generated runs (for sends and for the workload) under the conversation/agent lock and
 * starts storing them. Each run draws from its own seeded generator: workload run {@code i} from
 * {@code (seed, i)}, sends from one seeded sequence in arrival order, so ids and content repeat
 * for the same seed.
 */
public final class RunFactory {

    private static final long SEND_SALT = 0x5E4D5E4D5E4DL;
    private static final int DEFAULT_SEND_CHUNKS = 20;
    private static final Shape[] WEIGHTED_SHAPES = weighted();

    private final SimEngine engine;
    private final Workload workload;
    private final SplittableRandom sends;

    public RunFactory(SimEngine engine, Workload workload) {
        this.engine = engine;
        this.workload = workload;
        this.sends = new SplittableRandom((workload == null ? 0 : workload.seed()) ^ SEND_SALT);
    }

    /**
     * What a new run needs besides its content.
     *
     * @param agentId the agent
     * @param conversationId the conversation, or null for agent-direct
     * @param lockKey the lock the run takes
     * @param runType metadata.run_type
     * @param background background mode
     * @param includePings initial ping
     * @param streamTokens token mode
     * @param compactionEvents event/summary compaction messages (else the legacy user_message)
     * @param shape the requested shape, or null to draw one
     * @param chunks the requested chunk count, or 0 for the default
     * @param retries Letta Cloud {@code retry_message} chunks to start the run with
     */
    public record Spec(
            String agentId,
            String conversationId,
            String lockKey,
            String runType,
            boolean background,
            boolean includePings,
            boolean streamTokens,
            boolean compactionEvents,
            Shape shape,
            int chunks,
            int retries) {

        /** A spec without provider retries. */
        public Spec(
                String agentId,
                String conversationId,
                String lockKey,
                String runType,
                boolean background,
                boolean includePings,
                boolean streamTokens,
                boolean compactionEvents,
                Shape shape,
                int chunks) {
            this(
                    agentId,
                    conversationId,
                    lockKey,
                    runType,
                    background,
                    includePings,
                    streamTokens,
                    compactionEvents,
                    shape,
                    chunks,
                    0);
        }
    }

    /** Creates and starts a run for a send, or reports the lock holder. */
    public RunRegistry.Creation createForSend(Spec spec) {
        SplittableRandom random;
        synchronized (sends) {
            random = sends.split();
        }
        Shape shape = spec.shape() != null ? spec.shape() : workload == null ? Shape.REPLY : draw(random);
        int chunks =
                spec.chunks() > 0 ? spec.chunks() : workload == null ? DEFAULT_SEND_CHUNKS : workload.chunksPerRun();
        return create(spec, random, shape, chunks, engine.config().pace());
    }

    /** Creates and starts workload run {@code index}, or reports the lock holder. */
    public RunRegistry.Creation createForWorkload(Spec spec, int index, Duration frameInterval) {
        SplittableRandom random = new SplittableRandom(workload.seed() * 0x9E3779B97F4A7C15L + index);
        return create(spec, random, draw(random), workload.chunksPerRun(), frameInterval);
    }

    private RunRegistry.Creation create(Spec spec, SplittableRandom random, Shape shape, int chunks, Duration pace) {
        String runId = new SeededIds(random).prefixed("run");
        boolean anthropic = random.nextInt(10) < 7;
        RunRegistry.Creation creation = engine.registry()
                .createLocked(
                        spec.lockKey(),
                        ordinal -> new Run(
                                new RunInfo(
                                        runId,
                                        spec.agentId(),
                                        spec.conversationId(),
                                        spec.background(),
                                        engine.config().clock().instant(),
                                        spec.runType(),
                                        spec.lockKey(),
                                        ordinal),
                                engine.config().clock(),
                                1,
                                engine.config().maxStreamEntries()));
        if (creation instanceof RunRegistry.Creation.Created created) {
            Run run = created.run();
            RunPlan plan = new RunPlan(
                    runId,
                    run.info().createdAt(),
                    spec.background(),
                    spec.includePings(),
                    spec.streamTokens(),
                    spec.compactionEvents(),
                    chunks,
                    pace,
                    shape,
                    anthropic,
                    spec.retries());
            engine.startGenerated(run, RunGenerator.generate(plan, random), pace);
        }
        return creation;
    }

    private static Shape draw(SplittableRandom random) {
        return WEIGHTED_SHAPES[random.nextInt(WEIGHTED_SHAPES.length)];
    }

    private static Shape[] weighted() {
        int[] weights = {30, 25, 10, 8, 3, 7, 10, 7};
        Shape[] shapes = Shape.values();
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        Shape[] table = new Shape[total];
        int at = 0;
        for (int i = 0; i < shapes.length; i++) {
            for (int j = 0; j < weights[i]; j++) {
                table[at++] = shapes[i];
            }
        }
        return table;
    }
}
