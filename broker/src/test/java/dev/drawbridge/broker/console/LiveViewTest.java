package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.watch.WatchedMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A live view keeps the last messages for its page to poll, and counts what the page missed. */
class LiveViewTest {

    private static WatchedMessage message(int i) {
        return new WatchedMessage("home/t", 0, false, 1, new byte[] {(byte) i}, new byte[0]);
    }

    @Test
    void aPollReturnsWhatCameAfterItsNumberAndASlowPageLosesTheOldestCounted() {
        LiveView view = new LiveView("home/#", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        assertThat(view.poll(0).state()).isEqualTo("subscribing");
        view.subscribed(true);
        for (int i = 0; i < 5; i++) {
            view.message(message(i));
        }
        LiveView.Poll first = view.poll(0);
        assertThat(first.state()).isEqualTo("live");
        assertThat(first.messages()).extracting(LiveView.Seen::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(view.poll(5).messages()).isEmpty();

        for (int i = 0; i < LiveView.CAPACITY + 50; i++) {
            view.message(message(i));
        }
        LiveView.Poll behind = view.poll(5);
        assertThat(behind.messages()).hasSize(LiveView.CAPACITY);
        assertThat(behind.messages().get(0).seq()).isEqualTo(5 + 50 + 1);
        assertThat(behind.dropped())
                .as("the 50 that left before any poll fetched them; the 5 fetched ones are not counted")
                .isEqualTo(50);
    }

    @Test
    void aRefusedSubscriptionAndAnEndedOneAreTold() {
        LiveView view = new LiveView("secret/#", Clock.systemUTC());
        view.subscribed(false);
        assertThat(view.poll(0).state()).isEqualTo("refused");
        view.ended();
        assertThat(view.poll(0).state()).isEqualTo("ended");
    }

    @Test
    void invalidFiltersAreRefusedWithTheReason() {
        assertThat(LiveViews.filterError("home/#")).isNull();
        assertThat(LiveViews.filterError("+/temperature")).isNull();
        assertThat(LiveViews.filterError("home/#/x")).startsWith("not a valid topic filter: ");
        assertThat(LiveViews.filterError("home/te+")).startsWith("not a valid topic filter: ");
        assertThat(LiveViews.filterError("")).startsWith("the topic filter is empty");
        assertThat(LiveViews.filterError("$share/g/home/#")).startsWith("a live view cannot use a shared subscription");
    }
}
