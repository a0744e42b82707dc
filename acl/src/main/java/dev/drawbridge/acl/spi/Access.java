package dev.drawbridge.acl.spi;

/** What a client wants to do with a topic. */
public enum Access {
    /** The client publishes a message (or its will) to a concrete topic name. */
    PUBLISH,
    /**
     * The client subscribes to a topic filter. Mosquitto 2.0 only checks the filter's syntax here and grants it; what
     * the client may actually receive is decided by {@link #READ} for every message.
     */
    SUBSCRIBE,
    /** The broker is about to deliver a message (live or retained) on a concrete topic name to the client. */
    READ
}
