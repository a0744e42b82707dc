package dev.drawbridge.acl.spi;

import java.util.Map;

/**
 * A user's own authentication and authorization rules, found with {@link java.util.ServiceLoader} in a jar in the
 * broker's plugins folder (list the implementation in {@code META-INF/services/dev.drawbridge.acl.spi.AclPlugin}).
 *
 * <p>Life cycle: the broker creates the plugin with its public no-argument constructor, calls {@link #init} once with
 * the plugin's {@code plugin_opt_*} options, then asks {@link #authenticator()} and {@link #authorizer()} once and calls
 * them for every request. On reload it calls {@link #close()} and starts again with a new instance. Plugins run in the
 * configured order; the first decision that is not {@link Decision.Verdict#ABSTAIN} wins; if all abstain, the broker
 * denies.
 *
 * <p>Threading: {@link #init} and {@link #close} are called on one thread; the authenticator and authorizer are called
 * concurrently on broker plugin threads, each call with a deadline, and must not block. Do all file and network work
 * in {@link #init}.
 *
 * <p>Errors: an exception from {@link #init} stops the broker from starting (or keeps the old rules on reload); an
 * exception from the authenticator or authorizer means deny.
 */
public interface AclPlugin extends AutoCloseable {

    /**
     * A short name for logs, for example {@code garage-rules}.
     *
     * @return the plugin's name
     */
    String name();

    /**
     * Reads configuration and prepares everything the checks need.
     *
     * @param options the plugin's {@code plugin_opt_*} options without the prefix, immutable
     * @throws IllegalArgumentException if an option is unknown or invalid; say which and what is allowed
     */
    void init(Map<String, String> options);

    /**
     * The plugin's authenticator; by default it always abstains.
     *
     * @return the authenticator, never null
     */
    default Authenticator authenticator() {
        return request -> Decision.abstain();
    }

    /**
     * The plugin's authorizer; by default it always abstains.
     *
     * @return the authorizer, never null
     */
    default Authorizer authorizer() {
        return request -> Decision.abstain();
    }

    /** Releases what {@link #init} acquired; by default nothing. Must not throw checked exceptions. */
    @Override
    default void close() {}
}
