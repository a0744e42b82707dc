package dev.drawbridge.broker.engine.store;

import static dev.drawbridge.broker.engine.store.EngineStoreFileTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two stores the factory makes: nothing kept, or the file. */
class EngineStoresTest {

    @TempDir
    Path dir;

    @Test
    void inMemoryRecoversNothingKeepsNothingAndNeverWaits() {
        try (EngineStore store = EngineStores.inMemory()) {
            assertThat(store.recover()).isEqualTo(StoreSnapshot.empty());
            store.sessionOpened("garage", 0xFFFF_FFFFL);
            long first = store.owe("garage", "t", 1, false, text("1"), new byte[0], 0);
            long second = store.owe("garage", "t", 1, false, text("2"), new byte[0], 0);
            assertThat(second).isGreaterThan(first);
            assertThat(store.saved()).isCompleted();
            assertThat(store.recover()).isEqualTo(StoreSnapshot.empty());
        }
    }

    @Test
    void openCreatesTheEngineFileAndLeavesAnEarlierStoreAloneWithAWarning() throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("store")).resolve("drawbridge.mv");
        Files.writeString(earlier, "an earlier store");
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.engine.store");
                EngineStore store = EngineStores.open(dir.resolve("store"), true, Duration.ZERO)) {
            assertThat(store.recover()).isEqualTo(StoreSnapshot.empty());
            assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).startsWith(earlier + " is the store of an earlier Drawbridge"));
        }
        assertThat(dir.resolve("store/drawbridge-engine.mv")).isRegularFile();
        assertThat(earlier).hasContent("an earlier store");
    }

    @Test
    void aFileThatIsNotAStoreIsRefusedWithItsName() throws Exception {
        Files.writeString(dir.resolve("drawbridge-engine.mv"), "not an MVStore file, not at all ".repeat(200));
        assertThatThrownBy(() -> EngineStores.open(dir, true, Duration.ZERO))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("drawbridge-engine.mv");
    }

    @Test
    void aNegativeAutosaveIntervalIsRefused() {
        assertThatThrownBy(() -> EngineStores.open(dir, false, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an autosave interval of 0 or more expected, found PT-1S");
    }
}
