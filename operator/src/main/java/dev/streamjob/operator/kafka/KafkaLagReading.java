package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag;
import java.time.Instant;

/**
 * One background reading of a StreamJob's {@code spec.kafkaSources}: the lag of every source, or
 * why it could not be read. It is the secondary resource of {@link KafkaLagObserver}'s polling
 * event source, so a new reading triggers a reconcile.
 */
public sealed interface KafkaLagReading {

    /** When the reading finished. */
    Instant at();

    /**
     * The lag of every source.
     *
     * @param lag the lags, summed and per topic
     * @param at when the reading finished
     */
    record Read(KafkaLag lag, Instant at) implements KafkaLagReading {
    }

    /**
     * A source could not be read.
     *
     * @param message which source and why, without credentials (for the condition)
     * @param at when the reading gave up
     */
    record Failed(String message, Instant at) implements KafkaLagReading {
    }
}
