package dev.drawbridge.broker.engine.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Where the engine's {@link EngineStore} comes from: {@code persistence false} or {@code true}. */
public final class EngineStores {

    private EngineStores() {}

    /** {@code persistence false}: recovers nothing, keeps nothing, {@link EngineStore#saved()} is always complete. */
    public static EngineStore inMemory() {
        return new DiscardingEngineStore();
    }

    /**
     * {@code persistence true}: opens (or creates) {@code drawbridge-engine.mv} in this directory and reads what a
     * previous run left, for {@link EngineStore#recover()}.
     *
     * @param durable {@code persistence_mode durable}: {@link EngineStore#saved()} completes once a commit and sync
     *     include every change made before it; otherwise ({@code autosave}) at once
     * @param autosaveInterval how often the {@code autosave} mode commits; zero: only when the store is closed
     * @throws IOException if the directory or the file cannot be opened or the file cannot be read
     */
    public static EngineStore open(Path directory, boolean durable, Duration autosaveInterval) throws IOException {
        if (autosaveInterval.isNegative()) {
            throw new IllegalArgumentException("an autosave interval of 0 or more expected, found " + autosaveInterval);
        }
        return EngineStoreFile.open(directory, durable, autosaveInterval);
    }
}
