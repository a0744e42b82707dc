package dev.drawbridge.broker.it.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drawbridge.broker.EngineChoice;

/** Skips a test that proves a Moquette 0.17 defect while the broker runs on Moquette; Drawbridge's engine must pass. */
final class MoquetteDefect {

    private MoquetteDefect() {}

    static void skipOnMoquette(String defect) {
        assumeTrue(EngineChoice.current() == EngineChoice.Kind.DRAWBRIDGE, "Moquette 0.17: " + defect);
    }
}
