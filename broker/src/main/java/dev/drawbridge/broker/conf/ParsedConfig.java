package dev.drawbridge.broker.conf;

/** A configuration as read from its file, with where each of its settings was written. */
public record ParsedConfig(BrokerConfig config, ConfigOrigins origins) {}
