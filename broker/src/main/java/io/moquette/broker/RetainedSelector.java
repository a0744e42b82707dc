package io.moquette.broker;

/**
 * Chooses which retained messages a new subscription receives. Called on a session loop thread while Moquette
 * delivers retained messages for a SUBSCRIBE; must be fast and must never throw (an exception there kills the loop
 * for every client on it in Moquette 0.17).
 */
@FunctionalInterface
public interface RetainedSelector {

    /**
     * @param clientId the subscriber
     * @param filter the filter it subscribed with
     * @param topic the retained message's topic
     * @param payload the retained payload
     * @return true to deliver it
     */
    boolean deliver(String clientId, String filter, String topic, byte[] payload);
}
