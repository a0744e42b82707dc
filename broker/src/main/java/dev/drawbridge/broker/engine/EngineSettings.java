package dev.drawbridge.broker.engine;

import dev.drawbridge.broker.engine.session.QueueLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine's settings, resolved from {@code mosquitto.conf}.
 *
 * @param limits what one session may hold
 * @param sessionExpiry how long a persistent session outlives its client's last connection; empty for ever
 * @param upgradeOutgoingQos Mosquitto's {@code upgrade_outgoing_qos}: deliver at the subscription's QoS, not at the lower
 *     of it and the published QoS
 * @param checkRetainSource Mosquitto's {@code check_retain_source}: a retained message goes to a new subscriber only
 *     while its publisher may still write its topic
 */
public record EngineSettings(
        QueueLimits limits, Optional<Duration> sessionExpiry, boolean upgradeOutgoingQos, boolean checkRetainSource) {

    /** Mosquitto's defaults for the two delivery options. */
    public EngineSettings(QueueLimits limits, Optional<Duration> sessionExpiry) {
        this(limits, sessionExpiry, false, false);
    }
}
