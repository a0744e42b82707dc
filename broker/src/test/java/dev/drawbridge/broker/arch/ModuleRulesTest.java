package dev.drawbridge.broker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker module's seams (STYLE.md, "Modules"): the configuration model is plain records that know nothing of the
 * network or the engine. (The engine's own layering is {@link EngineLayeringTest}'s.)
 */
class ModuleRulesTest {

    private static JavaClasses ours;

    @BeforeAll
    static void importOurClasses() {
        ours = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.drawbridge");
    }

    @Test
    void theImportFoundOurClasses() {
        // Guards the rules below against passing vacuously on an empty import.
        assertThat(ours.stream().map(JavaClass::getPackageName))
                .contains(
                        "dev.drawbridge.broker",
                        "dev.drawbridge.broker.conf",
                        "dev.drawbridge.broker.engine",
                        "dev.drawbridge.broker.bridge");
    }

    @Test
    void theConfigModelKnowsNothingOfNettyOrTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.conf..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "dev.drawbridge.broker.engine..", "dev.drawbridge.broker.net..")
                .because("the config model is plain records that know nothing of the network")
                .check(ours);
    }

    @Test
    void theBridgePackageStaysOutOfTheListenerLayerAndTheConfigParser() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.bridge..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.drawbridge.broker.net..", "dev.drawbridge.broker.conf..", "dev.drawbridge.broker.tls")
                .because("a bridge uses the engine's public API, never the listener layer's channels; the config"
                        + " parser builds the bridge's records, not the other way round (no cycle); the listeners' TLS"
                        + " reads their config, so a bridge's TLS shares only tls.provider and keystores")
                .check(ours);
    }
}
