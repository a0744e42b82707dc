package dev.drawbridge.broker.engine.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelTableTest {

    record Child(String level) implements LevelTable.Keyed {}

    @Test
    void findsChildrenByARegionOfATopic() {
        LevelTable<Child> table = new LevelTable<>();
        Child kitchen = new Child("kitchen");
        Child empty = new Child("");
        table.put(kitchen);
        table.put(empty);

        assertThat(table.get("home/kitchen/lamp", 5, 12)).isSameAs(kitchen);
        assertThat(table.get("home//lamp", 5, 5)).isSameAs(empty);
        assertThat(table.get("home/kitche/lamp", 5, 11)).isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void growsShrinksAndKeepsEveryLiveChildThroughChurn() {
        LevelTable<Child> table = new LevelTable<>();
        List<Child> live = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 500; i++) {
                Child child = new Child("d" + round + "-" + i);
                table.put(child);
                live.add(child);
            }
            // remove all but every tenth: leaves markers, makes the table shrink
            for (int i = live.size() - 1; i >= 0; i--) {
                if (i % 10 != 0) {
                    assertThat(table.remove(live.remove(i))).isTrue();
                }
            }
            for (Child child : live) {
                assertThat(table.get(child.level())).isSameAs(child);
            }
            assertThat(table.size()).isEqualTo(live.size());
        }
        List<Child> seen = new ArrayList<>();
        table.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(live);
        for (Child child : List.copyOf(live)) {
            assertThat(table.remove(child)).isTrue();
            assertThat(table.remove(child)).isFalse();
        }
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.get("d0-0")).isNull();
    }
}
