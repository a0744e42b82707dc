package dev.drawbridge.broker.engine.store;

import static dev.drawbridge.broker.engine.store.EngineStoreFileTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A write that cannot be made never throws into the engine: it is logged, and no acknowledgement leaves for it. */
class EngineStoreFailureTest {

    private static final String SECRET = "the-payload-must-not-be-logged";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "durable {0}")
    @ValueSource(booleans = {true, false})
    void aWriteToAClosedFileIsLoggedWithoutItsPayloadAndSavedFails(boolean durable) throws Exception {
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.engine.store");
                EngineStoreFile store = EngineStoreFile.open(dir, durable, Duration.ZERO)) {
            store.sessionOpened("garage", 0xFFFF_FFFFL);
            store.mvStore().closeImmediately();

            store.owe("garage", "door/cmd", 1, false, text(SECRET), new byte[0], 0);
            store.subscribed("garage", "door/#", SubscriptionOptions.qos(1));

            assertThat(store.saved()).isCompletedExceptionally();
            assertThat(store.saved()).as("still failing: the file is gone").isCompletedExceptionally();
            assertThat(log.messages())
                    .anyMatch(m -> m.startsWith("Storing a message owed for garage failed: "))
                    .anyMatch(m -> m.startsWith("Storing a subscription for garage failed: "))
                    .noneMatch(m -> m.contains(SECRET));
        }
    }

    @ParameterizedTest(name = "durable {0}")
    @ValueSource(booleans = {true, false})
    void aWriteThatFailsAloneHoldsSavedFailedUntilTheNextCommit(boolean durable) throws Exception {
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.engine.store");
                EngineStoreFile store = EngineStoreFile.open(dir, durable, Duration.ZERO)) {
            store.sessionOpened("garage", 0xFFFF_FFFFL);
            store.owe("garage", "door/cmd", 3, false, text(SECRET), new byte[0], 0);

            assertThat(store.saved()).isCompletedExceptionally();
            assertThat(log.messages())
                    .contains("Storing a message owed for garage failed: "
                            + "java.lang.IllegalArgumentException: a QoS of 0, 1 or 2 expected, found 3");
            // The committer tries again every second, in autosave mode too (here an interval of 0: only at close).
            Awaitility.await("a commit after the failure")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> succeeds(store.saved()));
            log.await(m -> m.equals("The message store is saved again."), Duration.ofSeconds(1));
        }
    }

    @Test
    void aCommitThatFailsFailsTheAcknowledgementsWaitingForIt() throws Exception {
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.engine.store");
                EngineStoreFile store = EngineStoreFile.open(dir, true, Duration.ZERO)) {
            store.sessionOpened("garage", 0xFFFF_FFFFL);
            store.mvStore().closeImmediately();

            CompletableFuture<Void> saved = store.saved();

            Awaitility.await("the failed commit").atMost(Duration.ofSeconds(10)).until(saved::isDone);
            assertThat(saved).isCompletedExceptionally();
            assertThat(store.saved()).isCompletedExceptionally();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("Saving the message store failed: "));
        }
    }

    @Test
    void closingABrokenStoreNeitherThrowsNorHangs() throws Exception {
        EngineStoreFile store = EngineStoreFile.open(dir, true, Duration.ZERO);
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        store.mvStore().closeImmediately();
        store.close();
        store.close();
    }

    private static boolean succeeds(CompletableFuture<Void> saved) {
        try {
            saved.get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
