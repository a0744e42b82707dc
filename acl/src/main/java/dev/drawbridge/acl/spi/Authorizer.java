package dev.drawbridge.acl.spi;

/**
 * Decides whether a client may publish to a topic, subscribe to a filter, or receive a message.
 *
 * <p>Threading: called for every publish, subscribe and delivered message, possibly from several threads at once, each
 * call on a broker plugin thread with a deadline (1 s by default) after which it counts as deny. While a publish or
 * subscribe check runs, that client's later packets wait; a delivery's check (cached per client, username and topic)
 * holds up the I/O thread sending it. Implementations must be thread-safe, must not block, and should be cheap: read
 * and precompute everything when the plugin is initialised.
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
