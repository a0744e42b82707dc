package dev.drawbridge.device.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.device.TestClock;
import dev.drawbridge.device.config.CommandConfig;
import dev.drawbridge.device.door.DoorState;
import dev.drawbridge.device.door.DoorStatus;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandGuardTest {

    private static final String TOPIC = "drawbridge/garage/cmd";

    private final TestClock clock = new TestClock();

    private CommandGuard settledGuard(CommandConfig config) {
        CommandGuard guard = new CommandGuard(config, clock);
        guard.connected();
        clock.advance(config.settle());
        return guard;
    }

    private static ReceivedCommand live(String payload) {
        return new ReceivedCommand(TOPIC, payload, false);
    }

    private static DoorStatus door(DoorState state) {
        return new DoorStatus(state, false, null, state == DoorState.STOPPED ? DoorState.OPENING : DoorState.UNKNOWN);
    }

    private static DoorStatus stopped(DoorState nextMove) {
        return new DoorStatus(DoorState.STOPPED, true, null, nextMove);
    }

    static Stream<Arguments> byState() {
        return Stream.of(
                Arguments.of("OPEN on closed presses", "OPEN", door(DoorState.CLOSED), Verdict.PULSED, Reason.ACCEPTED),
                Arguments.of(
                        "open is case-insensitive", " open ", door(DoorState.CLOSED), Verdict.PULSED, Reason.ACCEPTED),
                Arguments.of(
                        "OPEN on open is a no-op", "OPEN", door(DoorState.OPEN), Verdict.NOOP, Reason.ALREADY_OPEN),
                Arguments.of(
                        "OPEN while opening is a no-op",
                        "OPEN",
                        door(DoorState.OPENING),
                        Verdict.NOOP,
                        Reason.ALREADY_OPEN),
                Arguments.of(
                        "OPEN while closing is refused",
                        "OPEN",
                        door(DoorState.CLOSING),
                        Verdict.REJECTED,
                        Reason.MOVING),
                Arguments.of(
                        "OPEN on stopped that next opens",
                        "OPEN",
                        stopped(DoorState.OPENING),
                        Verdict.PULSED,
                        Reason.ACCEPTED),
                Arguments.of(
                        "OPEN on stopped that next closes",
                        "OPEN",
                        stopped(DoorState.CLOSING),
                        Verdict.REJECTED,
                        Reason.WRONG_DIRECTION),
                Arguments.of(
                        "OPEN on unknown is refused",
                        "OPEN",
                        door(DoorState.UNKNOWN),
                        Verdict.REJECTED,
                        Reason.UNKNOWN_STATE),
                Arguments.of("CLOSE on open presses", "close", door(DoorState.OPEN), Verdict.PULSED, Reason.ACCEPTED),
                Arguments.of(
                        "CLOSE on closed is a no-op",
                        "CLOSE",
                        door(DoorState.CLOSED),
                        Verdict.NOOP,
                        Reason.ALREADY_CLOSED),
                Arguments.of(
                        "CLOSE while opening is refused",
                        "CLOSE",
                        door(DoorState.OPENING),
                        Verdict.REJECTED,
                        Reason.MOVING),
                Arguments.of(
                        "CLOSE on unknown is refused",
                        "CLOSE",
                        door(DoorState.UNKNOWN),
                        Verdict.REJECTED,
                        Reason.UNKNOWN_STATE),
                Arguments.of(
                        "STOP while closing presses", "Stop", door(DoorState.CLOSING), Verdict.PULSED, Reason.ACCEPTED),
                Arguments.of(
                        "STOP on closed is a no-op", "STOP", door(DoorState.CLOSED), Verdict.NOOP, Reason.NOT_MOVING),
                Arguments.of(
                        "STOP on unknown is refused",
                        "STOP",
                        door(DoorState.UNKNOWN),
                        Verdict.REJECTED,
                        Reason.UNKNOWN_STATE),
                Arguments.of(
                        "TOGGLE on unknown presses",
                        "toggle",
                        door(DoorState.UNKNOWN),
                        Verdict.PULSED,
                        Reason.ACCEPTED),
                Arguments.of("TOGGLE on open presses", "TOGGLE", door(DoorState.OPEN), Verdict.PULSED, Reason.ACCEPTED),
                Arguments.of(
                        "an unknown word is refused",
                        "LOWER",
                        door(DoorState.CLOSED),
                        Verdict.REJECTED,
                        Reason.UNKNOWN_COMMAND),
                Arguments.of(
                        "an empty payload is refused",
                        "",
                        door(DoorState.CLOSED),
                        Verdict.REJECTED,
                        Reason.UNKNOWN_COMMAND));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void byState(String description, String payload, DoorStatus status, Verdict verdict, Reason reason) {
        Decision decision = settledGuard(CommandConfig.defaults()).decide(live(payload), status);

        assertThat(decision.verdict()).isEqualTo(verdict);
        assertThat(decision.reason()).isEqualTo(reason);
    }

    @Test
    void retainedCommandIsNeverActedOn() {
        CommandGuard guard = settledGuard(CommandConfig.defaults());

        Decision decision = guard.decide(new ReceivedCommand(TOPIC, "TOGGLE", true), door(DoorState.CLOSED));

        assertThat(decision.reason()).isEqualTo(Reason.RETAINED);
        assertThat(decision.pulse()).isFalse();
    }

    @Test
    void commandsInsideTheSettleWindowAreRefused() {
        CommandGuard guard = new CommandGuard(CommandConfig.defaults(), clock);
        guard.connected();
        clock.advance(Duration.ofMillis(4999));

        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.SETTLING);

        clock.advance(Duration.ofMillis(1));
        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void commandsBeforeConnectingOrAfterDisconnectingAreRefused() {
        CommandGuard guard = new CommandGuard(CommandConfig.defaults(), clock);
        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.SETTLING);

        guard.connected();
        clock.advance(Duration.ofSeconds(60));
        guard.disconnected();
        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.SETTLING);

        guard.connected();
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.SETTLING);
    }

    @Test
    void theSameCommandRepeatedQuicklyIsADuplicate() {
        CommandGuard guard = settledGuard(CommandConfig.defaults());
        assertThat(guard.decide(live("TOGGLE"), door(DoorState.CLOSED)).pulse()).isTrue();

        clock.advance(Duration.ofMillis(2999));
        assertThat(guard.decide(live("TOGGLE"), door(DoorState.OPENING)).reason())
                .isEqualTo(Reason.DUPLICATE);

        clock.advance(Duration.ofMillis(1));
        assertThat(guard.decide(live("TOGGLE"), door(DoorState.OPENING)).reason())
                .isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void anyPressInsideTheMinimumGapIsRefused() {
        CommandGuard guard = settledGuard(CommandConfig.defaults());
        assertThat(guard.decide(live("OPEN"), door(DoorState.CLOSED)).pulse()).isTrue();

        clock.advance(Duration.ofMillis(1499));
        assertThat(guard.decide(live("STOP"), door(DoorState.OPENING)).reason()).isEqualTo(Reason.TOO_SOON);

        clock.advance(Duration.ofMillis(1));
        assertThat(guard.decide(live("STOP"), door(DoorState.OPENING)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void refusedCommandsDoNotStartTheGap() {
        CommandGuard guard = settledGuard(CommandConfig.defaults());
        assertThat(guard.decide(live("OPEN"), door(DoorState.OPEN)).verdict()).isEqualTo(Verdict.NOOP);

        assertThat(guard.decide(live("CLOSE"), door(DoorState.OPEN)).pulse()).isTrue();
    }

    private static CommandConfig strict() {
        return new CommandConfig(
                Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(3), true, Duration.ofSeconds(10));
    }

    private String strictPayload(String command, Duration skew, String id) {
        long ts = clock.instant().plus(skew).toEpochMilli();
        return "{\"cmd\":\"" + command + "\",\"ts\":" + ts + ",\"id\":\"" + id + "\"}";
    }

    @Test
    void strictModeAcceptsAFreshUniqueCommand() {
        CommandGuard guard = settledGuard(strict());

        Decision decision =
                guard.decide(live(strictPayload("open", Duration.ofSeconds(-9), "a1")), door(DoorState.CLOSED));

        assertThat(decision.pulse()).isTrue();
        assertThat(decision.id()).contains("a1");
    }

    @Test
    void strictModeRefusesStaleAndFutureCommands() {
        CommandGuard guard = settledGuard(strict());

        assertThat(guard.decide(live(strictPayload("OPEN", Duration.ofSeconds(-11), "a1")), door(DoorState.CLOSED))
                        .reason())
                .isEqualTo(Reason.STALE);
        assertThat(guard.decide(live(strictPayload("OPEN", Duration.ofSeconds(11), "a2")), door(DoorState.CLOSED))
                        .reason())
                .isEqualTo(Reason.STALE);
    }

    @Test
    void strictModeRefusesAReplayedId() {
        CommandGuard guard = settledGuard(strict());
        String payload = strictPayload("TOGGLE", Duration.ZERO, "once");
        assertThat(guard.decide(live(payload), door(DoorState.CLOSED)).pulse()).isTrue();

        clock.advance(Duration.ofSeconds(5));
        Decision replay = guard.decide(live(payload), door(DoorState.OPEN));

        assertThat(replay.reason()).isEqualTo(Reason.REPLAY);
    }

    static Stream<Arguments> malformedStrict() {
        return Stream.of(
                Arguments.of("plain text", "OPEN"),
                Arguments.of("not an object", "[1,2]"),
                Arguments.of("no id", "{\"cmd\":\"OPEN\",\"ts\":1767225600000}"),
                Arguments.of("blank id", "{\"cmd\":\"OPEN\",\"ts\":1767225600000,\"id\":\" \"}"),
                Arguments.of("ts as text", "{\"cmd\":\"OPEN\",\"ts\":\"1767225600000\",\"id\":\"x\"}"),
                Arguments.of("an extra field", "{\"cmd\":\"OPEN\",\"ts\":1767225600000,\"id\":\"x\",\"by\":\"me\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void malformedStrict(String description, String payload) {
        CommandGuard guard = settledGuard(strict());

        assertThat(guard.decide(live(payload), door(DoorState.CLOSED)).reason()).isEqualTo(Reason.MALFORMED);
    }
}
