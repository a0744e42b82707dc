package dev.drawbridge.examples.garagehours;

import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.AclPlugin;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.Decision;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Only the user {@code garage-controller} may publish {@code garage/cmd}, and only between 07:00 and 23:00."
 *
 * <p>For a PUBLISH to the topic, this plugin decides: allow for the user inside the hours, deny for everyone else and
 * outside the hours. Every other request (other topics, subscriptions, deliveries, logins) it abstains on, so the
 * broker asks the next plugin and then the {@code acl_file}.
 *
 * <p>Options, each a {@code plugin_opt_NAME VALUE} line after the {@code plugin} line in {@code mosquitto.conf}:
 *
 * <ul>
 *   <li>{@code user}: the only user who may publish the topic (default {@code garage-controller})
 *   <li>{@code topic}: the topic name, no wildcards (default {@code garage/cmd})
 *   <li>{@code from}: opening time, {@code HH:mm} (default {@code 07:00})
 *   <li>{@code to}: closing time, {@code HH:mm}, exclusive (default {@code 23:00}); earlier than {@code from} means the
 *       window runs over midnight
 *   <li>{@code zone}: the time zone of {@code from} and {@code to}, for example {@code Europe/Berlin} (default: the
 *       broker's)
 *   <li>{@code now}: a fixed instant instead of the clock, for example {@code 2026-01-15T06:30:00Z}; for tests
 * </ul>
 *
 * <p>Threading: everything is parsed in {@link #init}; the authorizer only reads an immutable {@link Rule} and the
 * clock, so it is safe on many I/O threads at once and never blocks.
 */
public final class GarageHoursPlugin implements AclPlugin {

    private static final Set<String> OPTIONS = new TreeSet<>(Set.of("user", "topic", "from", "to", "zone", "now"));

    private Rule rule;

    @Override
    public String name() {
        return "garage-hours";
    }

    @Override
    public void init(Map<String, String> options) {
        for (String name : options.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException(
                        "plugin_opt_" + name + ": unknown option; expected one of " + OPTIONS);
            }
        }
        String user = options.getOrDefault("user", "garage-controller");
        String topic = options.getOrDefault("topic", "garage/cmd");
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException(
                    "plugin_opt_topic: expected a topic name without wildcards, found '" + topic + "'");
        }
        LocalTime from = time(options, "from", "07:00");
        LocalTime to = time(options, "to", "23:00");
        if (from.equals(to)) {
            throw new IllegalArgumentException(
                    "plugin_opt_from, plugin_opt_to: expected two different times, found " + from + " for both");
        }
        ZoneId zone = zone(options);
        Clock clock = options.containsKey("now") ? Clock.fixed(instant(options.get("now")), zone) : Clock.system(zone);
        rule = new Rule(user, topic, from, to, clock);
    }

    @Override
    public Authorizer authorizer() {
        Rule current = rule;
        if (current == null) {
            throw new IllegalStateException("init must be called first");
        }
        return current::decide;
    }

    /** The parsed options, with the answers prepared once. */
    record Rule(String user, String topic, LocalTime from, LocalTime to, Clock clock) {

        Decision decide(AccessRequest request) {
            if (request.access() != Access.PUBLISH || !request.topic().equals(topic)) {
                return Decision.abstain();
            }
            Optional<String> username = request.identity().effectiveUsername();
            if (username.isEmpty() || !username.get().equals(user)) {
                return Decision.deny("only " + user + " may publish " + topic);
            }
            return isOpen(LocalTime.now(clock))
                    ? Decision.allow(topic + " is open from " + from + " to " + to)
                    : Decision.deny(topic + " is closed outside " + from + " to " + to);
        }

        boolean isOpen(LocalTime now) {
            return from.isBefore(to)
                    ? !now.isBefore(from) && now.isBefore(to)
                    : !now.isBefore(from) || now.isBefore(to);
        }
    }

    private static LocalTime time(Map<String, String> options, String name, String fallback) {
        String value = options.getOrDefault(name, fallback);
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "plugin_opt_" + name + ": expected a time as HH:mm, found '" + value + "'", e);
        }
    }

    private static ZoneId zone(Map<String, String> options) {
        String value = options.get("zone");
        if (value == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "plugin_opt_zone: expected a time zone such as Europe/Berlin or UTC, found '" + value + "'", e);
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "plugin_opt_now: expected an instant such as 2026-01-15T06:30:00Z, found '" + value + "'", e);
        }
    }
}
