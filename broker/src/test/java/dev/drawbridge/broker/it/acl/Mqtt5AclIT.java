package dev.drawbridge.broker.it.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.acl.Oracle.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code acl-cases.tsv} replayed over MQTT 5 (see {@link AclCaseReplay}): the rules hold as for MQTT
 * 3.1.1, READ applies to live deliveries, retained messages and wills, and the answers take their MQTT 5 form as
 * Mosquitto 2.0.11 sends them: CONNACK 0x87 for a refused login, PUBACK 0x87 for a denied PUBLISH on a connection that
 * stays up, 0x00 for an allowed one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt5AclIT {

    /** The rows the oracle recorded over MQTT 5 itself. */
    private static final List<String> RECORDED_OVER_MQTT_5 =
            List.of("acl1-071", "acl1-072", "acl1-073", "acl1-074", "acl1-075", "acl2-025");

    private AclCaseReplay replay;

    @BeforeAll
    void startBrokers(@TempDir Path dir) throws Exception {
        replay = AclCaseReplay.start(dir);
    }

    @AfterAll
    void stopBrokers() {
        replay.close();
    }

    static List<Row> cases() {
        return Oracle.rows("acl-cases.tsv");
    }

    @ParameterizedTest(name = "{0} over MQTT 5")
    @MethodSource("cases")
    void rowGetsMosquittosMqtt5Answer(Row row) {
        replay.replay(row, 5);
    }

    /** The file still holds the rows recorded over MQTT 5, so the replay above covers them with their answers. */
    @Test
    void theRowsRecordedOverMqtt5AreReplayed() {
        assertThat(cases())
                .filteredOn(row -> row.get("protocol").equals("5"))
                .extracting(Row::toString)
                .containsExactlyElementsOf(RECORDED_OVER_MQTT_5);
    }
}
