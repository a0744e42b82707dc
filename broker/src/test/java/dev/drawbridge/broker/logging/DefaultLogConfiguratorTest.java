package dev.drawbridge.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class DefaultLogConfiguratorTest {

    private static ch.qos.logback.classic.Logger root(LoggerContext context) {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void withoutAConfigurationFileItLogsInfoToStandardErrorAndLibrariesAtWarn() throws Exception {
        LoggerContext context = new LoggerContext();
        try (URLClassLoader nothing = new URLClassLoader(new URL[0], null)) {
            ExecutionStatus status = new DefaultLogConfigurator(nothing).configure(context);

            assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        }
        assertThat(root(context).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.h2").getLevel()).isEqualTo(Level.WARN);
        assertThat(root(context).iteratorForAppenders())
                .toIterable()
                .singleElement()
                .isInstanceOfSatisfying(ConsoleAppender.class, console -> {
                    assertThat(console.getTarget()).isEqualTo("System.err");
                    assertThat(console.isStarted()).isTrue();
                });
        context.stop();
    }

    @Test
    void aLogbackFileOnTheClassPathWins() {
        // The test class path holds logback-test.xml, as an embedder's would hold logback.xml.
        LoggerContext context = new LoggerContext();

        ExecutionStatus status = new DefaultLogConfigurator(getClass().getClassLoader()).configure(context);

        assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(root(context).iteratorForAppenders()).toIterable().isEmpty();
        context.stop();
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineWins() throws Exception {
        LoggerContext context = new LoggerContext();
        String before = System.getProperty(DefaultLogConfigurator.CONFIGURATION_FILE_PROPERTY);
        System.setProperty(DefaultLogConfigurator.CONFIGURATION_FILE_PROPERTY, "mine.xml");
        try (URLClassLoader nothing = new URLClassLoader(new URL[0], null)) {
            ExecutionStatus status = new DefaultLogConfigurator(nothing).configure(context);

            assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(root(context).iteratorForAppenders()).toIterable().isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(DefaultLogConfigurator.CONFIGURATION_FILE_PROPERTY);
            } else {
                System.setProperty(DefaultLogConfigurator.CONFIGURATION_FILE_PROPERTY, before);
            }
            context.stop();
        }
    }
}
