package dev.drawbridge.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A Drawbridge ACL plugin, compiled at test time against the broker jar's SPI and packed as a plugin jar, that
 * refuses the SUBSCRIBE of the topic in {@code plugin_opt_topic}: the only way to have either broker answer SUBACK
 * 0x87/0x80, since an {@code acl_file} grants every well-formed filter (as Mosquitto 2.0 does) and filters per message.
 */
final class SubscribeRefusingPlugin {

    private static final String NAME = "test.RefuseSubscribe";
    private static final String SOURCE = """
            package test;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.util.Map;

            public final class RefuseSubscribe implements AclPlugin {
                private String topic = "";

                @Override public String name() { return "refuse-subscribe"; }

                @Override public void init(Map<String, String> options) { topic = options.get("topic"); }

                @Override public Authorizer authorizer() {
                    return request -> request.access() == Access.SUBSCRIBE && request.topic().equals(topic)
                            ? Decision.deny("this test refuses the subscription")
                            : Decision.abstain();
                }
            }
            """;

    private SubscribeRefusingPlugin() {}

    /** Compiles the plugin into {@code dir} and returns the TLS listener lines that load it for {@code topic}. */
    static String listenerLines(Path dir, String topic) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("plugin-src/test"));
        Path classes = Files.createDirectories(dir.resolve("plugin-classes"));
        Path source = sources.resolve("RefuseSubscribe.java");
        Files.writeString(source, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String brokerJar = TestBroker.drawbridgeCommand().get(2);
        int status = javac.run(
                null, null, null, "--release", "17", "-cp", brokerJar, "-d", classes.toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("the test plugin did not compile: javac exited with " + status);
        }
        Path jar = dir.resolve("refuse-subscribe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "test/RefuseSubscribe.class", Files.readAllBytes(classes.resolve("test/RefuseSubscribe.class")));
            add(
                    out,
                    "META-INF/services/dev.drawbridge.acl.spi.AclPlugin",
                    (NAME + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "plugin " + jar + "\nplugin_opt_topic " + topic + "\n";
    }

    private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
