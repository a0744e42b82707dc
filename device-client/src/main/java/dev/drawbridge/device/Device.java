package dev.drawbridge.device;

import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.RelayConfig;
import dev.drawbridge.device.door.DoorHardware;
import dev.drawbridge.device.door.SimulatedDoor;
import dev.drawbridge.device.gpio.DiozeroLines;
import dev.drawbridge.device.gpio.GpioDoor;
import dev.drawbridge.device.mdns.BrokerLocator;
import dev.drawbridge.device.mdns.BrokerNotFoundException;
import dev.drawbridge.device.mqtt.Backoff;
import dev.drawbridge.device.mqtt.MqttLink;
import dev.drawbridge.device.mqtt.TlsMaterial;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running garage opener: the door thread, the MQTT link and the hardware, closed in the safe order (offline
 * published, relay forced inactive, lines released).
 */
public final class Device implements AutoCloseable {

    private final ScheduledExecutorService door;
    private final ScheduledExecutorService relayTimer;
    private final DoorHardware hardware;
    private final MqttLink link;
    private final Opener opener;

    private Device(
            ScheduledExecutorService door,
            ScheduledExecutorService relayTimer,
            DoorHardware hardware,
            MqttLink link,
            Opener opener) {
        this.door = door;
        this.relayTimer = relayTimer;
        this.hardware = hardware;
        this.link = link;
        this.opener = opener;
    }

    /**
     * Starts the opener on the hardware {@code config} names: the simulated door or GPIO lines.
     *
     * @throws BrokerNotFoundException with {@code mqtt.discover: true} when no broker answered by mDNS
     */
    public static Device start(DeviceConfig config, TlsMaterial tls, Clock clock) {
        InetSocketAddress server = BrokerLocator.onLan().locate(config.mqtt());
        ScheduledExecutorService relayTimer = Executors.newSingleThreadScheduledExecutor(named("drawbridge-relay"));
        DoorHardware hardware;
        if (config.relay().backend() == RelayConfig.Backend.GPIO) {
            hardware = GpioDoor.open(config, new DiozeroLines(), relayTimer);
        } else {
            SimulatedDoor simulated = new SimulatedDoor(
                    clock, config.simulation().travelTime(), config.simulation().startState());
            hardware = simulated.hardware(config.simulation().reedSwitches());
        }
        return start(config, server, tls, hardware, relayTimer, clock);
    }

    /** Starts the opener on {@code hardware}; {@code relayTimer} is shut down on close. */
    public static Device start(
            DeviceConfig config,
            TlsMaterial tls,
            DoorHardware hardware,
            ScheduledExecutorService relayTimer,
            Clock clock) {
        return start(config, BrokerLocator.onLan().locate(config.mqtt()), tls, hardware, relayTimer, clock);
    }

    /**
     * Starts the opener on {@code hardware} against {@code server} (see {@link BrokerLocator}); {@code relayTimer} is
     * shut down on close.
     */
    public static Device start(
            DeviceConfig config,
            InetSocketAddress server,
            TlsMaterial tls,
            DoorHardware hardware,
            ScheduledExecutorService relayTimer,
            Clock clock) {
        ScheduledExecutorService door = Executors.newSingleThreadScheduledExecutor(named("drawbridge-door"));
        Opener opener = new Opener(config, hardware, clock, door);
        SecureRandom random = new SecureRandom();
        Backoff backoff =
                new Backoff(config.mqtt().reconnectInitial(), config.mqtt().reconnectMax(), random::nextDouble);
        MqttLink link = new MqttLink(config, server, tls, opener.topics(), backoff, opener, door);
        opener.start(link);
        return new Device(door, relayTimer, hardware, link, opener);
    }

    public Opener opener() {
        return opener;
    }

    public boolean isConnected() {
        return link.isConnected();
    }

    @Override
    public void close() {
        try {
            link.close();
        } finally {
            door.shutdownNow();
            awaitQuietly(door);
            hardware.close();
            relayTimer.shutdownNow();
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(false);
            return thread;
        };
    }
}
