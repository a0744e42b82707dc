package dev.drawbridge.broker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seam with Moquette (STYLE.md, "Modules"): only {@code dev.drawbridge.broker.moquette} and our few classes inside
 * Moquette's own package may touch Moquette, and nothing of ours uses {@code io.moquette.broker.Server}, the class
 * that holds Moquette's telemetry.
 */
class ModuleRulesTest {

    private static JavaClasses ours;

    @BeforeAll
    static void importOurClasses() {
        // Our main classes only: Moquette's own io.moquette classes come from its jar and are left out.
        ours = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.drawbridge", "io.moquette");
    }

    @Test
    void theImportFoundOurClassesOnBothSidesOfTheSeam() {
        // Guards the rules below against passing vacuously on an empty import.
        assertThat(ours.stream().map(JavaClass::getPackageName))
                .contains("dev.drawbridge.broker", "dev.drawbridge.broker.moquette", "io.moquette.broker");
        assertThat(ours.stream().map(JavaClass::getName)).doesNotContain("io.moquette.broker.Server");
    }

    @Test
    void onlyTheMoquettePackageAndOurShimsDependOnMoquette() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.drawbridge.broker.moquette..", "io.moquette..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.moquette..")
                .because("a Moquette upgrade must touch dev.drawbridge.broker.moquette and our io.moquette shims only")
                .check(ours);
    }

    @Test
    void ourShimsInsideMoquetteStayInOnePackage() {
        classes()
                .that()
                .resideInAPackage("io.moquette..")
                .should()
                .resideInAPackage("io.moquette.broker")
                .because("the classes we keep inside Moquette's package are few and in one folder")
                .check(ours);
    }

    @Test
    void nothingOfOursUsesMoquettesServerWhereItsTelemetryLives() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.moquette.broker.Server")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.moquette.broker.config.IConfig")
                .because("Server.startServer sends telemetry unless telemetry_enabled=false; we assemble the core"
                        + " ourselves")
                .check(ours);
    }

    @Test
    void theConfigModelKnowsNothingOfNettyOrMoquette() {
        noClasses()
                .that()
                .resideInAPackage("dev.drawbridge.broker.conf..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.moquette..")
                .because("the config model is plain records that know nothing of the network")
                .check(ours);
    }
}
