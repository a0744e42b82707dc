package dev.drawbridge.broker.engine;

import dev.drawbridge.broker.engine.session.QueueLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine's settings, resolved from {@code mosquitto.conf}.
 *
 * @param limits what one session may hold
 * @param sessionExpiry how long a persistent session outlives its client's last connection; empty for ever
 */
public record EngineSettings(QueueLimits limits, Optional<Duration> sessionExpiry) {}
