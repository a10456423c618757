package dev.streamjob.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class StreamJobTest {

    /**
     * java-operator-sdk adds its finalizer with a server-side apply of {@code new StreamJob()}
     * plus the finalizer, forced. A spec with defaults in it would take ownership of those fields
     * and write the defaults over the user's spec (it set parallelism 2 back to 1 on the e2e
     * cluster before this was fixed).
     */
    @Test
    void aNewStreamJobCarriesNoSpecAndNoStatus() {
        String json = Serialization.asJson(new StreamJob());

        assertThat(json).doesNotContain("\"spec\"").doesNotContain("\"status\"");
    }
}
