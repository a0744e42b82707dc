package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.bridge.TopicMapping.Direction;
import dev.drawbridge.broker.engine.topic.ReferenceMatcher;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips through a {@code both} mapping with prefixes that end in {@code /}: a local topic under the local prefix
 * that the bridge sends out comes back, mapped in, as itself; and the same from the remote side.
 */
class TopicMappingPropertyTest {

    /** Starting on either side: {@code fromLocal} maps a local topic out and back in, else a remote one in and out. */
    @Property(tries = 1000)
    void aRoundTripThroughABothMappingIsTheIdentity(
            @ForAll boolean fromLocal,
            @ForAll("prefixes") String local,
            @ForAll("prefixes") String remote,
            @ForAll("patterns") String pattern,
            @ForAll("topics") String rest) {
        Assume.that(ReferenceMatcher.matches(pattern, rest));
        TopicMapping m =
                new TopicMapping(Optional.of(pattern), Direction.BOTH, 1, Optional.of(local), Optional.of(remote));
        Function<String, Optional<String>> across = fromLocal ? m::toRemote : m::toLocal;
        Function<String, Optional<String>> back = fromLocal ? m::toLocal : m::toRemote;
        String start = (fromLocal ? local : remote) + rest;

        Optional<String> crossed = across.apply(start);

        assertThat(crossed).contains((fromLocal ? remote : local) + rest);
        assertThat(back.apply(crossed.orElseThrow())).contains(start);
    }

    @Property(tries = 500)
    void theBridgeMatcherAgreesWithTheReference(@ForAll("patterns") String filter, @ForAll("topics") String topic) {
        assertThat(TopicMatch.matches(filter, topic)).isEqualTo(ReferenceMatcher.matches(filter, topic));
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("l/", "r/", "house/", "cloud/house/", "a/b/", "x/");
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> levels =
                Arbitraries.of("a", "b", "+").list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        return Arbitraries.oneOf(levels, levels.map(l -> l + "/#"), Arbitraries.just("#"), Arbitraries.just("+/#"));
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of("a", "b", "c", "")
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(List::copyOf)
                .map(l -> String.join("/", l))
                .filter(t -> !t.isEmpty());
    }
}
