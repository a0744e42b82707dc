package dev.drawbridge.acl.spi;

/**
 * Decides whether a client may connect.
 *
 * <p>Threading: called on broker plugin threads, never on an I/O thread, possibly from several at once, each call with a
 * deadline (1 s by default) after which it counts as deny; only the connecting client waits for it. Implementations
 * must be thread-safe and must not block (no network or file access per call): read and precompute everything when
 * the plugin is initialised. Password hashing is fine.
 *
 * <p>Errors: an exception thrown from {@link #authenticate} is treated as {@link Decision#deny}; it is never passed on
 * to the client.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Decides on one connection attempt.
     *
     * @param request who is connecting and with what password
     * @return allow, deny, or abstain to let the next plugin decide; never null
     */
    Decision authenticate(ConnectRequest request);
}
