package dev.streamjob.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Operator-wide settings ({@code streamjob.*} in application.properties, or the matching
 * {@code STREAMJOB_*} environment variables): the default runtime image, default storage and
 * resources a StreamJob inherits when it leaves them empty, and the Flink REST client's timeouts.
 */
@ConfigMapping(prefix = "streamjob")
public interface OperatorConfig {

    /** Runtime image used when {@code spec.image} is empty. */
    @WithDefault("streamjob-runtime:0.1.0")
    String defaultImage();

    /** Pull policy of the Flink containers. */
    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** Default object store for checkpoints and savepoints. */
    Storage storage();

    /** Default JobManager resources. */
    Resources jobManager();

    /** Default TaskManager resources. */
    Resources taskManager();

    /** How the operator talks to Flink's REST API. */
    Flink flink();

    /** How the operator reads the consumer lag of {@code spec.kafkaSources}. */
    Kafka kafka();

    /** Default S3/MinIO settings; each can be overridden by {@code spec.storage}. */
    interface Storage {
        /** S3 endpoint URL, e.g. {@code http://minio.minio.svc:9000}. */
        Optional<String> endpoint();

        /** Bucket of checkpoints and savepoints. */
        Optional<String> bucket();

        /** Name of the Secret (in each StreamJob's namespace) with the S3 credentials. */
        Optional<String> credentialsSecret();

        /** Path-style access (MinIO needs it). */
        @WithDefault("true")
        boolean pathStyleAccess();
    }

    /** CPU and memory of a Flink pod, as Kubernetes quantities. */
    interface Resources {
        /** CPU request, e.g. {@code 500m}. */
        @WithDefault("500m")
        String cpu();

        /** Memory request and limit = Flink process size, e.g. {@code 1Gi}. */
        @WithDefault("1Gi")
        String memory();
    }

    /** Flink REST client settings. */
    interface Flink {
        /**
         * URL of a JobManager's REST endpoint; {@code {service}}, {@code {namespace}} and
         * {@code {port}} are replaced. Tests that run Flink as local processes point it at 127.0.0.1.
         */
        @WithDefault("http://{service}.{namespace}.svc:{port}")
        String restUrlTemplate();

        /** Timeout of establishing a connection to the REST endpoint. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Timeout of one REST request, from sending to the full response. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Reconcile interval while a job is starting or changing. */
        @WithDefault("3s")
        Duration progressPollInterval();

        /** Reconcile interval of a steady job (refreshes checkpoint status). */
        @WithDefault("15s")
        Duration steadyPollInterval();
    }

    /** Consumer lag reading (kafka-clients' Admin API). */
    interface Kafka {
        /** How often the lag of a StreamJob's sources is read; reconciles in between keep the last reading. */
        @WithDefault("15s")
        Duration lagInterval();

        /** Timeout of one Admin API call (Kafka's {@code default.api.timeout.ms}). */
        @WithDefault("5s")
        Duration requestTimeout();
    }
}
