package dev.drawbridge.broker.engine.retained;

import dev.drawbridge.broker.engine.topic.LevelTable;
import org.jspecify.annotations.Nullable;

/** One level of the retained tree, with the message of the topic that ends here, if any. */
final class RetainedNode<M> implements LevelTable.Keyed {

    private final String level;
    private final String topic;
    private final @Nullable RetainedNode<M> parent;
    final LevelTable<RetainedNode<M>> children = new LevelTable<>();
    volatile @Nullable M message;

    RetainedNode(String level, String topic, @Nullable RetainedNode<M> parent) {
        this.level = level;
        this.topic = topic;
        this.parent = parent;
    }

    @Override
    public String level() {
        return level;
    }

    /** The whole topic name up to this level, kept so a walk can hand it out without building it. */
    String topic() {
        return topic;
    }

    @Nullable
    RetainedNode<M> parent() {
        return parent;
    }
}
