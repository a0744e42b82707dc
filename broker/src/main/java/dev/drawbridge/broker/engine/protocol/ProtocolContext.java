package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.retained.RetainedMessages;
import dev.drawbridge.broker.engine.routing.Router;
import dev.drawbridge.broker.engine.session.SessionRegistry;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.security.DeliveryPolicy;

/** What every connection's packet handlers share. */
public record ProtocolContext(
        SessionRegistry sessions, Router router, RetainedMessages retained, EngineStore store, DeliveryPolicy policy) {}
