package dev.drawbridge.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.door.DebouncedSwitch;
import dev.drawbridge.device.door.DoorHardware;
import dev.drawbridge.device.door.DoorStatus;
import dev.drawbridge.device.door.DoorTracker;
import dev.drawbridge.device.guard.CommandGuard;
import dev.drawbridge.device.guard.Decision;
import dev.drawbridge.device.guard.ReceivedCommand;
import dev.drawbridge.device.mqtt.BrokerRefusal;
import dev.drawbridge.device.mqtt.Discovery;
import dev.drawbridge.device.mqtt.MqttLink;
import dev.drawbridge.device.mqtt.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garage opener: reads the door, reports it, and presses the button for the commands the {@link CommandGuard}
 * lets through. Everything runs on one door thread (the executor given), so no state here is shared.
 */
public final class Opener implements MqttLink.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Opener.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 25;

    private final DeviceConfig config;
    private final DoorHardware hardware;
    private final Clock clock;
    private final ScheduledExecutorService door;
    private final Topics topics;
    private final Discovery discovery;
    private final DoorTracker tracker;
    private final CommandGuard guard;
    private final Optional<DebouncedSwitch> closedSwitch;
    private final Optional<DebouncedSwitch> openSwitch;
    private @Nullable MqttLink link;
    private boolean connected;
    private @Nullable DoorStatus published;
    private @Nullable DoorStatus logged;

    public Opener(DeviceConfig config, DoorHardware hardware, Clock clock, ScheduledExecutorService door) {
        this.config = config;
        this.hardware = hardware;
        this.clock = clock;
        this.door = door;
        this.topics = new Topics(config.door().topicBase());
        this.discovery = new Discovery(
                config.homeAssistant().prefix(),
                config.door().nodeId(),
                config.door().name(),
                topics,
                Version.get());
        this.tracker = new DoorTracker(config.door().travelTime(), config.door().initialState());
        this.guard = new CommandGuard(config.commands(), clock);
        this.closedSwitch = hardware.closedSwitch()
                .map(s -> new DebouncedSwitch(s, config.sensors().debounce()));
        this.openSwitch = hardware.openSwitch()
                .map(s -> new DebouncedSwitch(s, config.sensors().debounce()));
    }

    public Topics topics() {
        return topics;
    }

    /** Reads the switches once, then starts polling them and connecting through {@code mqtt}. */
    public void start(MqttLink mqtt) {
        this.link = mqtt;
        door.execute(this::poll);
        LOG.info("Door on {}: {}", hardware.description(), tracker.status());
        door.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        door.execute(mqtt::start);
    }

    @Override
    public void connected() {
        connected = true;
        guard.connected();
        published = null;
        poll(); // the true state goes out before anything else
        if (config.homeAssistant().discovery()) {
            publish(discovery.topic(), discovery.payload(), true);
            mqtt().subscribe(config.homeAssistant().birthTopic());
        }
        mqtt().subscribe(topics.command()).whenCompleteAsync((ack, failure) -> online(failure), door);
    }

    /**
     * Announces {@code online} once the command subscription is acknowledged, so no command goes unheard. A broker that
     * refuses the subscription (SUBACK 0x87 not authorized at MQTT 5, 0x80 at 3.1.1) leaves the door deaf to commands:
     * that is an ERROR, and the device does not claim to be online.
     */
    private void online(@Nullable Throwable subscribeFailure) {
        if (subscribeFailure != null) {
            Throwable cause = unwrap(subscribeFailure);
            if (cause instanceof BrokerRefusal refusal) {
                LOG.error(
                        "The broker refused the subscription to {}: {}. No command can reach this door, so it does"
                                + " not announce online; the broker's ACL must let this client read {}",
                        topics.command(),
                        refusal.getMessage(),
                        topics.command());
            } else {
                LOG.warn("Subscribing to {} failed: {}", topics.command(), cause.toString());
            }
            return;
        }
        if (!connected) {
            return;
        }
        publish(topics.availability(), "online", true);
        LOG.info(
                "Online on {}; state {}; commands on {} accepted after the {} ms settle window",
                topics.base(),
                tracker.status().state().payload(),
                topics.command(),
                config.commands().settle().toMillis());
    }

    @Override
    public void disconnected() {
        connected = false;
        guard.disconnected();
    }

    @Override
    public void message(String topic, String payload, boolean retained) {
        if (topic.equals(topics.command())) {
            command(new ReceivedCommand(topic, payload, retained));
        } else if (topic.equals(config.homeAssistant().birthTopic())
                && payload.strip().equals("online")) {
            LOG.info("Home Assistant is online: publishing discovery on {} again", discovery.topic());
            publish(discovery.topic(), discovery.payload(), true);
        }
    }

    private void command(ReceivedCommand message) {
        poll();
        DoorStatus before = tracker.status();
        Decision decision = guard.decide(message, before);
        Instant now = clock.instant();
        if (decision.pulse()) {
            if (hardware.relay().pulse(config.relay().pulse())) {
                tracker.pulsed(now);
            } else {
                LOG.warn("Relay still busy with the previous pulse");
            }
        }
        String shown = abbreviate(message.payload());
        LOG.info(
                "Command '{}' on {}{}: {} ({}; door was {})",
                shown,
                message.topic(),
                message.retained() ? " (retained)" : "",
                decision.pulse() ? "acted on" : "not acted on",
                decision.reason().code(),
                before.state().payload());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("topic", message.topic());
        event.put("payload", shown);
        event.put("command", decision.command().map(Enum::name).orElse(null));
        event.put("id", decision.id().orElse(null));
        event.put("acted", decision.pulse());
        event.put("result", decision.verdict().code());
        event.put("reason", decision.reason().code());
        event.put("detail", decision.reason().description());
        event.put("retained", message.retained());
        event.put("state_before", before.state().payload());
        event.put("time", now.toString());
        publish(topics.event(), json(event), false, config.mqtt().eventExpiry());
        report(tracker.status());
    }

    private void poll() {
        Instant now = clock.instant();
        Boolean closed = closedSwitch.map(s -> s.sample(now)).orElse(null);
        Boolean open = openSwitch.map(s -> s.sample(now)).orElse(null);
        tracker.update(now, closed, open);
        report(tracker.status());
    }

    private void report(DoorStatus status) {
        if (!status.equals(logged)) {
            logged = status;
            LOG.info(
                    "Door {}{}{}",
                    status.state().payload(),
                    status.estimated() ? " (estimated)" : "",
                    status.problem() == null ? "" : "; problem: " + status.problem());
        }
        if (!connected || status.equals(published)) {
            return;
        }
        published = status;
        publish(topics.state(), status.state().payload(), true);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("state", status.state().payload());
        attributes.put("estimated", status.estimated());
        attributes.put("problem", status.problem());
        attributes.put("pulses", hardware.relay().pulses());
        attributes.put("hardware", hardware.description());
        attributes.put("version", Version.get());
        publish(topics.attributes(), json(attributes), true);
    }

    private void publish(String topic, String payload, boolean retain) {
        publish(topic, payload, retain, Duration.ZERO);
    }

    /** Publishes if connected; {@code expiry} is the MQTT 5 message expiry (zero: none). */
    private void publish(String topic, String payload, boolean retain, Duration expiry) {
        if (connected) {
            mqtt().publish(topic, payload, retain, expiry).whenComplete((ok, failure) -> {
                if (failure != null && unwrap(failure) instanceof BrokerRefusal refusal) {
                    LOG.warn("The broker refused the message on {}: {}", topic, refusal.getMessage());
                } else if (failure != null) {
                    LOG.debug("Publishing on {} failed: {}", topic, failure.toString());
                }
            });
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private MqttLink mqtt() {
        MqttLink current = link;
        if (current == null) {
            throw new IllegalStateException("opener not started");
        }
        return current;
    }

    private static String abbreviate(String payload) {
        return payload.length() <= 200 ? payload : payload.substring(0, 200) + "...";
    }

    private static String json(Map<String, Object> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }
}
