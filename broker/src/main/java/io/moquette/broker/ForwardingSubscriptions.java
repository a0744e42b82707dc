package io.moquette.broker;

import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import java.util.List;
import java.util.Set;

/** A subscription directory that hands every call to another; subclasses change the calls they care about. */
public abstract class ForwardingSubscriptions implements ISubscriptionsDirectory {

    protected final ISubscriptionsDirectory directory;

    protected ForwardingSubscriptions(ISubscriptionsDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void init(ISubscriptionsRepository repository) {
        directory.init(repository);
    }

    @Override
    public Set<String> listAllSessionIds() {
        return directory.listAllSessionIds();
    }

    @Override
    public List<Subscription> matchWithoutQosSharpening(Topic topic) {
        return directory.matchWithoutQosSharpening(topic);
    }

    @Override
    public List<Subscription> matchQosSharpening(Topic topic) {
        return directory.matchQosSharpening(topic);
    }

    @Override
    public void add(Subscription newSubscription) {
        directory.add(newSubscription);
    }

    @Override
    public void removeSubscription(Topic topic, String clientID) {
        directory.removeSubscription(topic, clientID);
    }

    @Override
    public int size() {
        return directory.size();
    }

    @Override
    public String dumpTree() {
        return directory.dumpTree();
    }
}
