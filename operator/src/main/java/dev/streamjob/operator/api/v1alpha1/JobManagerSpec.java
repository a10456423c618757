package dev.streamjob.operator.api.v1alpha1;

/** Resources of the JobManager pod (Flink docs: deployment/memory/mem_setup_jobmanager). */
public class JobManagerSpec extends ProcessResources {
}
