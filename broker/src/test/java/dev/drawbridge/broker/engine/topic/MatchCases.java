package dev.drawbridge.broker.engine.topic;

import java.util.List;

/**
 * The matching table shared by the tests of Mosquitto's matcher (the ACL's {@code TopicMatcher}), the subscription
 * index and the retained tree: one row per (filter, topic) pair with whether it matches and why. A {@code $share/g/}
 * prefix marks a shared subscription (the index reports it as a group; the others take the filter after the group).
 */
public final class MatchCases {

    /** One row: does {@code filter} match {@code topic}? */
    public record Case(String filter, String topic, boolean matches, String why) {

        /** The filter without a {@code $share/GROUP/} prefix. */
        public String plainFilter() {
            SharedFilter shared = SharedFilter.parse(filter);
            return shared == null ? filter : shared.filter();
        }

        @Override
        public String toString() {
            return "\"" + filter + "\" " + (matches ? "matches" : "does not match") + " \"" + topic + "\": " + why;
        }
    }

    private MatchCases() {}

    private static Case yes(String filter, String topic, String why) {
        return new Case(filter, topic, true, why);
    }

    private static Case no(String filter, String topic, String why) {
        return new Case(filter, topic, false, why);
    }

    public static List<Case> all() {
        return List.of(
                // MQTT 3.1.1 section 4.7.1.2, the multi-level wildcard
                yes("sport/tennis/player1/#", "sport/tennis/player1", "4.7.1.2: # includes the parent level"),
                yes("sport/tennis/player1/#", "sport/tennis/player1/ranking", "4.7.1.2: one level below"),
                yes("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", "4.7.1.2: two levels below"),
                yes("sport/#", "sport", "4.7.1.2: sport/# also matches the singular sport"),
                yes("#", "sport/tennis/player1", "4.7.1.2: # alone matches every topic"),
                yes("#", "/", "# matches two empty levels"),
                no("sport/tennis/player1/#", "sport/tennis/player2", "a sibling is not below the filter"),
                no("sport/tennis/player1/#", "sport/tennis", "# does not reach above its parent"),
                // 4.7.1.3, the single-level wildcard
                yes("sport/tennis/+", "sport/tennis/player1", "4.7.1.3: + matches one level"),
                yes("sport/tennis/+", "sport/tennis/player2", "4.7.1.3: any one level"),
                no("sport/tennis/+", "sport/tennis/player1/ranking", "4.7.1.3: + does not match two levels"),
                no("sport/+", "sport", "4.7.1.3: sport/+ does not match sport"),
                yes("sport/+", "sport/", "4.7.1.3: sport/+ matches sport/ (an empty level)"),
                yes("+/+", "/finance", "4.7.1.3: +/+ matches /finance"),
                yes("/+", "/finance", "4.7.1.3: /+ matches /finance"),
                no("+", "/finance", "4.7.1.3: + does not match /finance (two levels)"),
                yes("+", "finance", "+ alone matches a one-level topic"),
                yes("+/tennis/#", "sport/tennis/player1", "+ and # together"),
                yes("+/tennis/#", "sport/tennis", "+ and # at the parent"),
                no("+/tennis/#", "sport/golf", "+ then a literal that differs"),
                // 4.7.2, topics beginning with $
                no("#", "$SYS/broker/clients", "4.7.2: # does not match a $ topic"),
                no("+/monitor/Clients", "$SYS/monitor/Clients", "4.7.2: + first does not match a $ topic"),
                yes("$SYS/#", "$SYS/monitor/Clients", "4.7.2: $SYS/# matches"),
                yes("$SYS/monitor/+", "$SYS/monitor/Clients", "4.7.2: + after $SYS matches"),
                yes("$SYS/#", "$SYS", "$SYS/# at the parent"),
                no("+/#", "$SYS/x", "the $ rule with + then #"),
                yes("a/+", "a/$b", "the $ rule is about the first level only"),
                yes("a/#", "a/$b/c", "$ beyond the first level is an ordinary character"),
                yes("$", "$", "a lone $ level matches itself"),
                no("+", "$", "+ does not match the $ topic"),
                yes("$share", "$share", "$share without a slash is a plain filter"),
                // 4.7.3, topic semantics: case, spaces, empty levels
                no("ACCOUNTS", "Accounts", "4.7.3: matching is case-sensitive"),
                yes("Accounts payable", "Accounts payable", "4.7.3: spaces are ordinary characters"),
                yes("/finance", "/finance", "4.7.3: a leading / makes an empty first level"),
                no("finance", "/finance", "4.7.3: /finance is not finance"),
                yes("a//b", "a//b", "empty levels are real levels"),
                yes("a/+/b", "a//b", "+ matches an empty level"),
                no("a/b", "a//b", "a//b has three levels"),
                no("a//b", "a/b", "a/b has two levels"),
                yes("/", "/", "two empty levels"),
                yes("+/+", "/", "+ twice matches two empty levels"),
                no("+", "/", "+ is one level, / is two"),
                no("a/", "a", "a/ has an empty second level"),
                yes("a/#", "a/", "# below a with an empty level"),
                yes("a/+/#", "a/", "+ takes the empty level, # the parent"),
                no("a/b/c", "a/b", "a filter longer than the topic"),
                no("a/b", "a/b/c", "a topic longer than the filter"),
                // Unicode: levels are split at '/' only, compared char by char
                yes("häuser/küche/+", "häuser/küche/licht", "umlauts"),
                no("häuser/kuche/+", "häuser/küche/licht", "u is not ü"),
                yes("温度/#", "温度", "CJK with # at the parent"),
                yes("🏠/+/state", "🏠/lamp/state", "a character outside the BMP (surrogate pair)"),
                no("🏠/+/state", "🏡/lamp/state", "a different supplementary character"),
                // Shared subscriptions, MQTT 5 section 4.8.2: the filter after the group decides
                yes("$share/g/sport/+", "sport/tennis", "a shared group on sport/+"),
                no("$share/g/sport/+", "sport", "a shared filter follows the + rule"),
                yes("$share/g/#", "sport/tennis", "a shared group on #"),
                no("$share/g/#", "$SYS/x", "the $ rule applies to the filter after the group"),
                yes("$share/g/$SYS/#", "$SYS/x", "a shared group on $SYS/#"),
                yes("$share/g/a/#", "a", "# at the parent in a shared filter"));
    }
}
