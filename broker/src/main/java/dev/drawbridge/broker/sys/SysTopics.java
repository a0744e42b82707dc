package dev.drawbridge.broker.sys;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Mosquitto's core {@code $SYS/broker/...} tree, computed from {@link BrokerStats}. Published retained every
 * {@code sys_interval}; the static {@code version} once at start.
 */
public final class SysTopics {

    private final BrokerStats stats;
    private final String version;
    private final Instant started;
    private final LongSupplier subscriptions;
    private final LongSupplier retainedMessages;
    private final LongSupplier totalClients;
    private final LongSupplier dropped;

    public SysTopics(
            BrokerStats stats,
            String version,
            Instant started,
            LongSupplier subscriptions,
            LongSupplier retainedMessages,
            LongSupplier totalClients,
            LongSupplier dropped) {
        this.dropped = dropped;
        this.stats = stats;
        this.version = version;
        this.started = started;
        this.subscriptions = subscriptions;
        this.retainedMessages = retainedMessages;
        this.totalClients = totalClients;
    }

    /** Every topic with its current value, in a stable order. */
    public Map<String, String> snapshot(Instant now) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("$SYS/broker/version", "drawbridge version " + version);
        topics.put("$SYS/broker/uptime", Duration.between(started, now).toSeconds() + " seconds");
        topics.put("$SYS/broker/clients/connected", Long.toString(stats.connected()));
        topics.put("$SYS/broker/clients/total", Long.toString(Math.max(totalClients.getAsLong(), stats.connected())));
        topics.put("$SYS/broker/clients/maximum", Long.toString(stats.maximumConnected()));
        topics.put("$SYS/broker/messages/received", Long.toString(stats.messagesReceived()));
        topics.put("$SYS/broker/messages/sent", Long.toString(stats.messagesSent()));
        topics.put("$SYS/broker/publish/messages/received", Long.toString(stats.publishReceived()));
        topics.put("$SYS/broker/publish/messages/sent", Long.toString(stats.publishSent()));
        topics.put("$SYS/broker/publish/messages/dropped", Long.toString(dropped.getAsLong()));
        topics.put("$SYS/broker/subscriptions/count", Long.toString(subscriptions.getAsLong()));
        topics.put("$SYS/broker/retained messages/count", Long.toString(retainedMessages.getAsLong()));
        topics.put("$SYS/broker/load/bytes/received", Long.toString(stats.bytesReceived()));
        topics.put("$SYS/broker/load/bytes/sent", Long.toString(stats.bytesSent()));
        return topics;
    }

    /** Publishes the snapshot through {@code publish(topic, value)}. */
    public void publish(Instant now, BiConsumer<String, String> publish) {
        snapshot(now).forEach(publish);
    }
}
