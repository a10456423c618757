package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** The restore point step of {@link Launcher}: listing failures and time limit. */
class LauncherTest {

    private static final String DIR = "s3://bucket/checkpoints/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

    @Test
    void listingResultIsReturned() throws Exception {
        CheckpointListing listing = new CheckpointListing(DIR, true, List.of(new CheckpointListing.Subdirectory("chk-1", true)));

        assertThat(Launcher.listWithin(Duration.ofSeconds(5), DIR, () -> listing)).isEqualTo(listing);
    }

    @Test
    void listingFailureFailsWithItsCause() {
        IOException failure = new IOException("listStatus on " + DIR,
                new AccessDeniedException(DIR, null, "403 SignatureDoesNotMatch"));

        assertThatThrownBy(() -> Launcher.listWithin(Duration.ofSeconds(5), DIR, () -> {
            throw failure;
        }))
                .isInstanceOf(RestorePointException.class)
                .hasCause(failure)
                .hasMessage("cannot choose the restore point: listing the checkpoint directory " + DIR
                        + " failed: java.io.IOException: listStatus on " + DIR
                        + "; caused by java.nio.file.AccessDeniedException: " + DIR + ": 403 SignatureDoesNotMatch"
                        + ". Not starting the job, which could otherwise resume from empty or older state.");
    }

    @Test
    void listingThatDoesNotFinishInTimeFails() {
        CountDownLatch never = new CountDownLatch(1);

        assertThatThrownBy(() -> Launcher.listWithin(Duration.ofMillis(200), DIR, () -> {
            never.await();
            return CheckpointListing.missing(DIR);
        }))
                .isInstanceOf(RestorePointException.class)
                .hasMessage("cannot choose the restore point: listing the checkpoint directory " + DIR
                        + " did not finish within 200 ms. Not starting the job, which could otherwise resume from empty"
                        + " or older state.");
    }
}
