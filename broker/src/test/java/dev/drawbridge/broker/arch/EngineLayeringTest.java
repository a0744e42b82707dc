package dev.drawbridge.broker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of Drawbridge's own engine (STYLE.md, "Modules"): its packages form no cycle, none touches a Netty
 * channel (the listener layer does, through {@code ClientLink}), and none reaches back into the listener layer, the
 * configuration or TLS. And the plugin SPI knows nothing of the broker.
 */
class EngineLayeringTest {

    private static JavaClasses broker;
    private static JavaClasses spi;

    @BeforeAll
    static void importClasses() {
        broker = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.drawbridge.broker");
        // The SPI comes from the acl module's jar (or its classes folder in a reactor build).
        spi = new ClassFileImporter().importPackages("dev.drawbridge.acl.spi");
    }

    @Test
    void theImportsFoundTheEngineAndTheSpi() {
        assertThat(broker.stream().map(JavaClass::getPackageName))
                .contains(
                        "dev.drawbridge.broker.engine",
                        "dev.drawbridge.broker.engine.session",
                        "dev.drawbridge.broker.engine.protocol",
                        "dev.drawbridge.broker.engine.subscription");
        assertThat(spi.stream().map(JavaClass::getSimpleName)).contains("AclPlugin", "Decision");
    }

    @Test
    void enginePackagesFormNoCycle() {
        slices().matching("dev.drawbridge.broker.engine.(*)..")
                .should()
                .beFreeOfCycles()
                .check(broker);
    }

    @Test
    void noEnginePackageTouchesANettyChannel() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.netty.channel..",
                        "io.netty.bootstrap..",
                        "io.netty.handler.ssl..",
                        "io.netty.handler.timeout..",
                        "io.netty.handler.codec.http..")
                .because("only the listener layer sees channels and pipelines; the engine writes through ClientLink")
                .check(broker);
    }

    @Test
    void theEngineDoesNotReachBackIntoTheListenerLayerTheConfigTlsOrBridges() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.drawbridge.broker.net..",
                        "dev.drawbridge.broker.conf..",
                        "dev.drawbridge.broker.tls..",
                        "dev.drawbridge.broker.bridge..")
                .because("the engine is given its settings and links; it does not know where they come from (a bridge"
                        + " uses the engine, not the other way round)")
                .check(broker);
    }

    @Test
    void theEngineAndTheListenerLayerKnowNothingOfTheConsole() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.drawbridge.broker.engine..",
                        "dev.drawbridge.broker.net..",
                        "dev.drawbridge.broker.security..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.drawbridge.broker.console..")
                .because("the console reads the broker; the broker runs the same with or without it")
                .check(broker);
    }

    @Test
    void theConsoleUsesTheEngineAndSecurityApiNotTheListenerLayer() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.console..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.drawbridge.broker.net..", "io.netty.handler.codec.mqtt..")
                .because("the console is an HTTP listener of its own: it never uses the MQTT listeners' handlers")
                .check(broker);
    }

    @Test
    void bridgesAreClientsOfTheEngineNotOfTheListenerLayer() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.bridge..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.drawbridge.broker.net..", "dev.drawbridge.broker.conf..")
                .because("a bridge talks to the engine through its own in-process link and to the remote broker on its"
                        + " own channel; the listener layer's channels and the config parser are not its business")
                .check(broker);
    }

    @Test
    void theTopicTreesKnowNothingOfSessionsOrRouting() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.drawbridge.broker.engine.topic..",
                        "dev.drawbridge.broker.engine.subscription..",
                        "dev.drawbridge.broker.engine.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.drawbridge.broker.engine.session..",
                        "dev.drawbridge.broker.engine.routing..",
                        "dev.drawbridge.broker.engine.protocol..",
                        "dev.drawbridge.broker.engine.store..")
                .check(broker);
    }

    @Test
    void thePluginSpiKnowsNothingOfTheBroker() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.drawbridge.broker..", "io.netty..")
                .because("a plugin sees immutable records of the SPI only")
                .check(spi);
    }
}
