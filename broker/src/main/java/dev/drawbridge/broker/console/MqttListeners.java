package dev.drawbridge.broker.console;

import dev.drawbridge.broker.conf.ListenerConfig;
import java.util.List;

/**
 * What the devices page needs of the broker's MQTT listeners, handed in by the broker so that the console never
 * touches the listener layer: their configuration in force (certificate, CA and CRL files) and the reload a SIGHUP
 * makes, which loads those files again.
 */
public interface MqttListeners {

    /** The MQTT listeners as configured now (after any reload), in configuration order. */
    List<ListenerConfig> inForce();

    /**
     * Rereads the configuration and the files it names and applies them, as SIGHUP does; the next TLS handshake uses
     * the new certificate and CRL.
     *
     * @return whether it was applied (false: everything was kept, and why is logged)
     */
    boolean reload();

    /** For a console without a CA directory, which never reloads. */
    MqttListeners NONE = new MqttListeners() {
        @Override
        public List<ListenerConfig> inForce() {
            return List.of();
        }

        @Override
        public boolean reload() {
            return false;
        }
    };
}
