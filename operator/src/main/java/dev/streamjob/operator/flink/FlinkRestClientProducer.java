package dev.streamjob.operator.flink;

import dev.streamjob.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Provides the operator's {@link FlinkRestClient}: HTTP with the timeouts of {@code streamjob.flink.*}. */
@ApplicationScoped
public class FlinkRestClientProducer {

    /** The one REST client the operator uses for every JobManager. */
    @Produces
    @ApplicationScoped
    public FlinkRestClient flinkRestClient(OperatorConfig config) {
        return new HttpFlinkRestClient(config.flink().connectTimeout(), config.flink().requestTimeout());
    }
}
