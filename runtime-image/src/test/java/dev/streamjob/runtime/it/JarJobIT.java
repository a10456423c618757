package dev.streamjob.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.runtime.it.jobs.NumbersJob;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A jar job on the assembled runtime: the job's jar lies outside the runtime (as in usrlib/ of an
 * image built on this one) and is given as {@code --jar-uri local:///...} with {@code --entry-class}
 * and job arguments after {@code --}.
 */
class JarJobIT {

    private static final String JOB_ID = "0000000000000000000000000000beef";

    @Test
    void jarJobRunsWithItsArguments() throws Exception {
        try (LocalFlinkCluster cluster = LocalFlinkCluster.create("jar-job")) {
            Path jar = packageJob(cluster.confDir().getParent().resolve("numbers-job.jar"));

            LauncherProcess jobManager = cluster.startJobManager(List.of(
                    "--job-id", JOB_ID,
                    "--jar-uri", "local://" + jar,
                    "--entry-class", NumbersJob.class.getName(),
                    "--", "--name", "numbers from a jar"));
            LauncherProcess taskManager = cluster.startTaskManager();

            FlinkRest rest = cluster.rest();
            rest.awaitAllVerticesRunning(JOB_ID, jobManager, taskManager);
            System.out.printf("JarJobIT: JobManager start to all vertices RUNNING: %.1f s%n",
                    Duration.between(jobManager.started(), Instant.now()).toMillis() / 1000.0);

            JsonNode job = rest.get("/jobs/" + JOB_ID);
            assertThat(job.path("name").asText()).isEqualTo("numbers from a jar");
        }
    }

    /** Writes a jar holding only the job's class: the runtime's lib/ does not have it. */
    private static Path packageJob(Path jar) throws IOException, URISyntaxException {
        String entry = NumbersJob.class.getName().replace('.', '/') + ".class";
        Path classFile = Path.of(NumbersJob.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(entry);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(classFile));
            jarOut.closeEntry();
        }
        return jar;
    }
}
