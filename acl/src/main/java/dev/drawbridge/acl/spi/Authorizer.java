package dev.drawbridge.acl.spi;

/**
 * Decides whether a client may publish to a topic, subscribe to a filter, or receive a message.
 *
 * <p>Threading: called on the broker's I/O threads for every publish and every delivered message, possibly from several
 * threads at once. Implementations must be thread-safe, must not block, and should be cheap: read and precompute
 * everything when the plugin is initialised.
 *
 * <p>Errors: an exception thrown from {@link #authorize} is treated as {@link Decision#deny}.
 */
@FunctionalInterface
public interface Authorizer {

    /**
     * Decides on one access.
     *
     * @param request who wants to do what with which topic
     * @return allow, deny, or abstain to let the next plugin decide; never null
     */
    Decision authorize(AccessRequest request);
}
