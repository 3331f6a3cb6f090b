package dev.lsr.sim.internal.fault;

import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.FrameFault;
import dev.lsr.sim.RandomFaults;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Decides, from the {@link FaultPlan}, which fault (if any) a connection or a generated run gets. */
public final class FaultDecider {

    /** The error frames random faults draw from (the scripted-only shapes left out, so seeded draws stay put). */
    private static final ConnectionFault.ErrorShape[] RANDOM_ERROR_SHAPES = {
        ConnectionFault.ErrorShape.CLOUD_INTERRUPTED,
        ConnectionFault.ErrorShape.CLOUD_INTERRUPTED_NO_SEQ,
        ConnectionFault.ErrorShape.LEGACY_WRITER
    };

    private static final long FRAMES_SALT = 0x5DEECE66DL;
    private final FaultPlan plan;
    private final AtomicInteger sends = new AtomicInteger();

    public FaultDecider(FaultPlan plan) {
        this.plan = plan;
    }

    /** True when this send (counted here, in arrival order) is to be refused with Cloud's 503. */
    public boolean refuseSend() {
        return sends.incrementAndGet() <= plan.refusedSends();
    }

    /** The {@code Retry-After} of a refused send. */
    public Duration refusalRetryAfter() {
        return plan.refusalRetryAfter();
    }

    /**
     * The status to reject a request with, or 0: a scripted {@code Reject} for this attempt, a
     * scripted rejected resume, or a random one (resumes only).
     */
    public int rejectStatus(String runId, int attempt, int resume) {
        Optional<RunFaults> scripted = plan.scripted(runId);
        if (scripted.isPresent()) {
            if (scripted.get().forAttempt(attempt) instanceof ConnectionFault.Reject reject) {
                return reject.status();
            }
            int status = resume > 0 ? scripted.get().rejectStatusForResume(resume) : 0;
            if (status != 0 || scripted.get().forAttempt(attempt) != null) {
                return status;
            }
        }
        if (resume > 0 && plan.random().isPresent()) {
            RandomFaults random = plan.random().get();
            SplittableRandom rng = rng(random, runId, attempt, 1);
            if (rng.nextDouble() < random.rejectProbability()) {
                return random.rejectStatus();
            }
        }
        return 0;
    }

    /**
     * The streaming fault of a connection attempt that reads after {@code startingAfter} (drop, clean
     * EOF, stall or error frame), or null.
     */
    public ConnectionFault streamFault(String runId, int attempt, long startingAfter) {
        Optional<RunFaults> scripted = plan.scripted(runId);
        if (scripted.isPresent() && scripted.get().forConnection(attempt, startingAfter) != null) {
            ConnectionFault fault = scripted.get().forConnection(attempt, startingAfter);
            return fault instanceof ConnectionFault.Reject ? null : fault;
        }
        if (plan.random().isEmpty()) {
            return null;
        }
        RandomFaults random = plan.random().get();
        SplittableRandom rng = rng(random, runId, attempt, 2);
        double draw = rng.nextDouble();
        int frames = 1 + rng.nextInt(random.maxFramesBeforeFault());
        if (draw < random.dropProbability()) {
            return ConnectionFault.dropAfter(frames);
        }
        draw -= random.dropProbability();
        if (draw < random.cleanEofProbability()) {
            return ConnectionFault.endAfter(frames);
        }
        draw -= random.cleanEofProbability();
        if (draw < random.stallProbability()) {
            return ConnectionFault.stallAfter(frames, random.stallDuration());
        }
        draw -= random.stallProbability();
        if (draw < random.errorFrameProbability()) {
            ConnectionFault.ErrorShape[] shapes = RANDOM_ERROR_SHAPES;
            return ConnectionFault.errorAfter(frames, shapes[rng.nextInt(shapes.length)]);
        }
        return null;
    }

    /** The bad frames to store in a generated run. */
    public List<FrameFault> frameFaults(String runId) {
        Optional<RunFaults> scripted = plan.scripted(runId);
        if (scripted.isPresent() && !scripted.get().frameFaults().isEmpty()) {
            return scripted.get().frameFaults();
        }
        if (plan.random().isEmpty()) {
            return List.of();
        }
        RandomFaults random = plan.random().get();
        SplittableRandom rng = rng(random, runId, 0, FRAMES_SALT);
        List<FrameFault> faults = new ArrayList<>();
        if (rng.nextDouble() < random.malformedProbability()) {
            faults.add(new FrameFault.Malformed(2 + rng.nextInt(random.maxFramesBeforeFault())));
        }
        if (rng.nextDouble() < random.oversizedProbability()) {
            faults.add(
                    new FrameFault.Oversized(2 + rng.nextInt(random.maxFramesBeforeFault()), random.oversizedBytes()));
        }
        if (rng.nextDouble() < random.invalidUtf8Probability()) {
            faults.add(new FrameFault.InvalidUtf8(2 + rng.nextInt(random.maxFramesBeforeFault())));
        }
        return faults;
    }

    /** Stored-frame faults scripted for this very run id (recorded runs reject them; every-run scripts skip them). */
    public List<FrameFault> ownFrameFaults(String runId) {
        return plan.ownScript(runId).map(RunFaults::frameFaults).orElse(List.of());
    }

    private static SplittableRandom rng(RandomFaults random, String runId, int attempt, long salt) {
        long seed = random.seed() * 0x9E3779B97F4A7C15L + runId.hashCode() * 31L + attempt * 0xBF58476D1CE4E5B9L + salt;
        return new SplittableRandom(seed);
    }
}
