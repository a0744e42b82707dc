package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.moquette.broker.IRetainedRepository;
import io.moquette.broker.RetainedMessage;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.H2RetainedRepository;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.List;
import org.h2.mvstore.MVStore;

/** Moquette's retained store in our file, with every change counted for the committer. */
final class StoredRetained implements IRetainedRepository {

    private final H2RetainedRepository retained;
    private final StoreCommitter committer;

    StoredRetained(MVStore store, StoreCommitter committer) {
        this.retained = new H2RetainedRepository(store);
        this.committer = committer;
    }

    @Override
    public void cleanRetained(Topic topic) {
        retained.cleanRetained(topic);
        committer.changed();
    }

    @Override
    public void retain(Topic topic, MqttPublishMessage msg) {
        retained.retain(topic, msg);
        committer.changed();
    }

    @Override
    public boolean isEmpty() {
        return retained.isEmpty();
    }

    @Override
    public List<RetainedMessage> retainedOnTopic(String topic) {
        return retained.retainedOnTopic(topic);
    }
}
