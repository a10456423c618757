package dev.streamjob.operator.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamjob.operator.api.v1alpha1.AutoscalerSpec;
import dev.streamjob.operator.autoscaler.Autoscaler.Decision;
import dev.streamjob.operator.autoscaler.Autoscaler.Reason;
import dev.streamjob.operator.autoscaler.Autoscaler.Recommendation;
import dev.streamjob.operator.autoscaler.Autoscaler.Sample;
import dev.streamjob.operator.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler's decisions on synthetic samples, one every 15 s (the lag reading interval).
 * The spec: parallelism 1..8, lag drained within 10 s, 50 % target utilization, rates over 60 s,
 * scale-in stabilized over 120 s, 60 s cooldown. Figures are chosen so each decision's
 * arithmetic can be checked by hand.
 */
class AutoscalerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration EVERY = Duration.ofSeconds(15);

    private static AutoscalerSpec spec() {
        AutoscalerSpec spec = new AutoscalerSpec();
        spec.setMinParallelism(1);
        spec.setMaxParallelism(8);
        spec.setTargetLagSeconds(10);
        spec.setTargetUtilization(0.5);
        spec.setMetricWindow("60s");
        spec.setStabilizationWindow("120s");
        spec.setCooldown("60s");
        return spec;
    }

    /** The job's one vertex in these samples. */
    private static final String VERTEX = "cbc357ccb763df2852fee8c4fc7d55f2";

    /**
     * Samples every 15 s up to {@code until}: input and processing at {@code rate} records/s, the
     * given lag, and a vertex at {@code parallelism} busy {@code busy} of the time (its accumulated
     * busy time grows by that much; none reported when empty).
     */
    private static List<Sample> steady(Instant until, int parallelism, double rate, long lag, OptionalDouble busy) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            Instant t = until.minus(EVERY.multipliedBy(i));
            long offsets = (long) (rate * Duration.between(T0, t).toSeconds());
            samples.add(new Sample(t, lag, offsets + lag, offsets, busy.isPresent()
                    ? busyTime(Duration.between(T0, t).toMillis() * busy.getAsDouble() * parallelism, parallelism)
                    : Map.of()));
        }
        return samples;
    }

    /** The vertex's accumulated busy time: {@code ms} over its {@code parallelism} subtasks. */
    private static Map<String, Autoscaler.BusyTime> busyTime(double ms, int parallelism) {
        return Map.of(VERTEX, new Autoscaler.BusyTime(ms, parallelism));
    }

    private static Decision decide(int current, List<Sample> samples, List<Recommendation> history, Instant now) {
        return Autoscaler.decide(spec(), current, samples, history, Optional.empty(), now);
    }

    @Test
    void steadyLoadAtTheTargetUtilizationKeepsTheParallelism() {
        Instant now = T0.plusSeconds(600);
        // 100/s at parallelism 2, busy 0.5: capacity 200/s, 100/s per subtask; needed 100/s at 50 %: 2.
        Decision d = decide(2, steady(now, 2, 100, 0, OptionalDouble.of(0.5)), List.of(), now);

        assertThat(d.reason()).isEqualTo(Reason.WithinTarget);
        assertThat(d.recommended()).isEqualTo(2);
        assertThat(d.scaleTo()).isEmpty();
        assertThat(d.inputs().orElseThrow().inputRate()).isEqualTo(100.0);
        assertThat(d.inputs().orElseThrow().processingRate()).isEqualTo(100.0);
        assertThat(d.history()).containsExactly(new Recommendation(now, 2));
    }

    @Test
    void aBurstOfLagScalesOutAtOnceToDrainItWithinTheTarget() {
        Instant now = T0.plusSeconds(600);
        // Lag 3000 to drain in 10 s: needed 100 + 300 = 400/s; 50/s per subtask at 50 %: 8.
        Decision d = decide(2, steady(now, 2, 100, 3000, OptionalDouble.of(0.5)), List.of(), now);

        assertThat(d.reason()).isEqualTo(Reason.ScaleOut);
        assertThat(d.scaleTo()).hasValue(8);
        assertThat(d.inputs().orElseThrow().neededRate()).isEqualTo(400.0);
        assertThat(d.message()).contains("lag 3000 records", "needs 400.0/s", "recommended 8");
    }

    @Test
    void aScaleOutBeyondTheMaximumStopsThereAndAtTheMaximumItHolds() {
        Instant now = T0.plusSeconds(600);
        AutoscalerSpec spec = spec();
        spec.setMaxParallelism(4);

        Decision out = Autoscaler.decide(spec, 2, steady(now, 2, 100, 3000, OptionalDouble.of(0.5)), List.of(), Optional.empty(), now);
        Decision held = Autoscaler.decide(spec, 4, steady(now, 4, 100, 6000, OptionalDouble.of(1.0)), List.of(), Optional.empty(), now);

        assertThat(out.scaleTo()).hasValue(4);
        assertThat(out.message()).contains("recommended 4 (8 within [1, 4])");
        assertThat(held.reason()).isEqualTo(Reason.AtBound);
        assertThat(held.scaleTo()).isEmpty();
    }

    @Test
    void aParallelismOutsideTheBoundsIsBroughtBackToTheNearestBound() {
        Instant now = T0.plusSeconds(600);
        AutoscalerSpec spec = spec();
        spec.setMinParallelism(2);
        spec.setMaxParallelism(4);

        assertThat(Autoscaler.decide(spec, 6, List.of(), List.of(), Optional.empty(), now))
                .satisfies(d -> {
                    assertThat(d.reason()).isEqualTo(Reason.AtBound);
                    assertThat(d.scaleTo()).hasValue(4);
                });
        assertThat(Autoscaler.decide(spec, 1, List.of(), List.of(), Optional.empty(), now).scaleTo()).hasValue(2);
    }

    @Test
    void whileTheLagDrainsAScaleInWaitsForTheWholeStabilizationWindow() {
        // Parallelism 4 after a burst; 100/s, busy 0.125: capacity 800/s, 200/s per subtask;
        // needed 100/s at 50 %: 1.
        int current = 4;
        List<Recommendation> history = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i <= 8; i++) {
            Instant now = T0.plusSeconds(600).plus(EVERY.multipliedBy(i));
            Decision d = decide(current, steady(now, current, 100, 0, OptionalDouble.of(0.125)), history, now);
            decisions.add(d);
            history = d.history();
            if (d.scaleTo().isPresent()) {
                break;
            }
        }

        assertThat(decisions).extracting(Decision::recommended).containsOnly(1);
        // 0..105 s: the window is not covered yet; at 120 s the first recommendation is 120 s old.
        assertThat(decisions.subList(0, 8)).extracting(Decision::reason).containsOnly(Reason.ScaleInStabilizing);
        assertThat(decisions.get(8).reason()).isEqualTo(Reason.ScaleIn);
        assertThat(decisions.get(8).scaleTo()).hasValue(1);
    }

    @Test
    void aScaleInGoesOnlyDownToTheHighestRecommendationOfTheWindow() {
        Instant now = T0.plusSeconds(600);
        List<Recommendation> history = List.of(new Recommendation(now.minusSeconds(150), 1),
                new Recommendation(now.minusSeconds(60), 3), new Recommendation(now.minusSeconds(30), 1));

        Decision d = decide(4, steady(now, 4, 100, 0, OptionalDouble.of(0.125)), history, now);

        assertThat(d.reason()).isEqualTo(Reason.ScaleIn);
        assertThat(d.recommended()).isEqualTo(1);
        assertThat(d.scaleTo()).hasValue(3);
        // The entry older than the window is kept only as the proof that the window is covered.
        assertThat(d.history()).extracting(Recommendation::parallelism).containsExactly(1, 3, 1, 1);
    }

    /**
     * Decides at each sample in turn, at parallelism {@code current}, carrying the recommendations
     * from one decision to the next as status does (no decision is applied).
     */
    private static List<Decision> decideAtEach(int current, List<Sample> samples) {
        List<Recommendation> history = List.of();
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Decision d = Autoscaler.decide(spec(), current, samples.subList(0, i + 1), history, Optional.empty(),
                    samples.get(i).time());
            history = d.history();
            decisions.add(d);
        }
        return decisions;
    }

    @Test
    void aNoisyBusyRatioThatDipsNowAndThenDoesNotShrinkTheJob() {
        Random random = new Random(42);
        List<Sample> samples = new ArrayList<>();
        double busyMs = 0;
        for (int i = 0; i < 80; i++) { // 20 minutes at parallelism 2
            long offsets = 100L * 15 * i;
            // 100/s; busy between 0.15 and 0.5 of each 15 s at random. A window busy below 0.25
            // recommends 1 (capacity 100 / 0.25 = 400/s, 200/s per subtask, 100/s at 50 %), any
            // other 2: the recommendations flip, but never for a whole stabilization window.
            busyMs += (0.15 + 0.35 * random.nextDouble()) * EVERY.toMillis() * 2;
            samples.add(new Sample(T0.plus(EVERY.multipliedBy(i)), 0, offsets, offsets, busyTime(busyMs, 2)));
        }

        List<Decision> decisions = decideAtEach(2, samples);

        assertThat(decisions).extracting(Decision::recommended).as("the noise reaches the recommendations").contains(1, 2);
        assertThat(decisions).extracting(Decision::scaleTo).as("never applied").allMatch(OptionalInt::isEmpty);
        assertThat(decisions).extracting(Decision::reason).contains(Reason.ScaleInStabilizing, Reason.WithinTarget);
    }

    @Test
    void aNoisyInputRateAroundWhatTheParallelismCarriesDoesNotMakeItFlap() {
        Random random = new Random(7);
        List<Sample> samples = new ArrayList<>();
        long offsets = 0;
        double busyMs = 0;
        for (int i = 0; i < 80; i++) { // 20 minutes at parallelism 2
            // 60 to 160 orders/s (110 on average), kept up with; a subtask takes 5 ms per order
            // (200/s), so at 50 % utilization a window averaging more than 100/s needs 2 and one
            // averaging less needs 1: such dips come and go, never for a whole stabilization window.
            double rate = 60 + 100 * random.nextDouble();
            offsets += (long) (rate * EVERY.toSeconds());
            busyMs += rate * EVERY.toSeconds() * 5;
            samples.add(new Sample(T0.plus(EVERY.multipliedBy(i)), 0, offsets, offsets, busyTime(busyMs, 2)));
        }

        List<Decision> decisions = decideAtEach(2, samples);

        assertThat(decisions).extracting(Decision::recommended).as("the noise reaches the recommendations").contains(1, 2);
        assertThat(decisions).extracting(Decision::scaleTo).as("never applied").allMatch(OptionalInt::isEmpty);
    }

    @Test
    void noDecisionWithinTheCooldown() {
        Instant now = T0.plusSeconds(600);
        List<Recommendation> history = List.of(new Recommendation(now.minusSeconds(45), 2));

        Decision d = Autoscaler.decide(spec(), 2, steady(now, 2, 100, 3000, OptionalDouble.of(0.5)), history,
                Optional.of(now.minusSeconds(30)), now);

        assertThat(d.reason()).isEqualTo(Reason.CoolingDown);
        assertThat(d.scaleTo()).isEmpty();
        assertThat(d.history()).isEqualTo(history);
    }

    @Test
    void samplesFromTheCooldownAreLeftOutTheJobCatchingUpIsNotItsLoad() {
        Instant rescaled = T0.plusSeconds(600);
        Instant now = rescaled.plusSeconds(105); // cooldown over at +60 s
        List<Sample> samples = new ArrayList<>();
        double busyMs = 0;
        for (int s = 15; s <= 105; s += 15) {
            long offsets = 100L * s;
            // Fully busy while catching up in the cooldown, then 0.125 (100/s at 4: 1 is enough).
            busyMs += (s <= 60 ? 1.0 : 0.125) * 15_000 * 4;
            samples.add(new Sample(rescaled.plusSeconds(s), 0, offsets, offsets, busyTime(busyMs, 4)));
        }

        Decision d = Autoscaler.decide(spec(), 4, samples, List.of(), Optional.of(rescaled), now);

        assertThat(d.inputs().orElseThrow().busyRatio()).hasValue(0.125);
        assertThat(d.recommended()).isEqualTo(1);
        assertThat(d.reason()).isEqualTo(Reason.ScaleInStabilizing);
    }

    @Test
    void theBusyRatioIsTheBusiestVertexsGrowthInAccumulatedBusyTimeOverTheWindow() {
        Instant t0 = T0.plusSeconds(600);
        Instant t1 = t0.plusSeconds(30);
        Instant t2 = t0.plusSeconds(60);
        // Over 60 s: the source at parallelism 2 was busy 30 of its 120 subtask-seconds (0.25),
        // the window 84 of 120 (0.7); the sink's counter went back (its tasks restarted), and the
        // middle sample could not read the job: both are left out.
        List<Sample> window = List.of(
                new Sample(t0, 0, 0, 0, Map.of("source", new Autoscaler.BusyTime(10_000, 2),
                        "window", new Autoscaler.BusyTime(50_000, 2), "sink", new Autoscaler.BusyTime(90_000, 2))),
                new Sample(t1, 0, 0, 0, Map.of()),
                new Sample(t2, 0, 0, 0, Map.of("source", new Autoscaler.BusyTime(40_000, 2),
                        "window", new Autoscaler.BusyTime(134_000, 2), "sink", new Autoscaler.BusyTime(1_000, 2))));

        assertThat(Autoscaler.busyRatio(window).orElseThrow()).isCloseTo(0.7, within(1e-9));
        assertThat(Autoscaler.busyRatio(window.subList(0, 2))).isEmpty();
        // A vertex rescaled between the two ends cannot be compared: nothing measured.
        assertThat(Autoscaler.busyRatio(List.of(new Sample(t0, 0, 0, 0, busyTime(10_000, 2)),
                new Sample(t2, 0, 0, 0, busyTime(20_000, 4))))).isEmpty();
    }

    @Test
    void tooFewSamplesOrLagWithoutProcessingDecideNothing() {
        Instant now = T0.plusSeconds(600);
        List<Sample> one = List.of(new Sample(now, 500, 1500, 1000, busyTime(1000, 2)));
        List<Sample> stalled = List.of(new Sample(now.minusSeconds(45), 500, 1500, 1000, busyTime(1000, 2)),
                new Sample(now, 2000, 3000, 1000, busyTime(46_000, 2)));

        assertThat(decide(2, one, List.of(), now).reason()).isEqualTo(Reason.InsufficientMetrics);
        Decision d = decide(2, stalled, List.of(), now);
        assertThat(d.reason()).isEqualTo(Reason.InsufficientMetrics);
        assertThat(d.scaleTo()).isEmpty();
        assertThat(d.message()).contains("no processing observed");
    }

    @Test
    void withoutABusyRatioTheJobIsAssumedAtTheTargetUtilizationSoItScalesOutForLagButNeverIn() {
        Instant now = T0.plusSeconds(600);
        // 100/s at parallelism 2 read as 50 % busy: 100/s per subtask, 50/s at the target.
        Decision idle = decide(2, steady(now, 2, 100, 0, OptionalDouble.empty()), List.of(), now);
        Decision lagging = decide(2, steady(now, 2, 100, 1000, OptionalDouble.empty()), List.of(), now);

        assertThat(idle.reason()).isEqualTo(Reason.WithinTarget);
        assertThat(lagging.scaleTo()).hasValue(4); // (100 + 100) / 50
    }

    @Test
    void anIdleJobWithNoInputGoesToTheMinimum() {
        Instant now = T0.plusSeconds(600);
        List<Recommendation> covered = List.of(new Recommendation(now.minusSeconds(130), 1));

        Decision d = decide(3, steady(now, 3, 0, 0, OptionalDouble.of(0.0)), covered, now);

        assertThat(d.reason()).isEqualTo(Reason.ScaleIn);
        assertThat(d.scaleTo()).hasValue(1);
    }

    @Test
    void validationNamesEachWrongField() {
        AutoscalerSpec spec = spec();
        spec.setMinParallelism(5);
        spec.setMaxParallelism(3);
        spec.setTargetUtilization(1.5);
        spec.setCooldown("soon");
        spec.setStabilizationWindow("0s");

        assertThat(Autoscaler.validate(spec)).extracting(FieldError::path).containsExactly(
                "spec.autoscaler.maxParallelism", "spec.autoscaler.targetUtilization",
                "spec.autoscaler.stabilizationWindow", "spec.autoscaler.cooldown");
        assertThat(Autoscaler.validate(spec())).isEmpty();
    }
}
