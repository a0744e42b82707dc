package dev.drawbridge.broker.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP for reload, SIGTERM and SIGINT for a clean stop with exit status 0. The JDK only offers {@code sun.misc.Signal} for this; it is reached by reflection so that the
 * build needs no internal API (javac cannot silence that warning).
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Runs {@code action} on every signal {@code name} (HUP, TERM, INT). Returns false where that is impossible. */
    static boolean on(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            InvocationHandler call = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        LOG.error("Handling SIG{} failed: {}", name, e.toString());
                    }
                    return null;
                }
                return method.invoke(action, args);
            };
            Object handler =
                    Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, call);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            LOG.warn("SIG{} cannot be handled on this platform: {}", name, e.toString());
            return false;
        }
    }
}
