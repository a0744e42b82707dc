package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.MEMBER_PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGHUP reads the console's password file again: a changed password or a removed user ends that user's console
 * sessions and logins follow the new file, while the sessions of users whose entry did not change go on.
 */
class ConsoleReloadIT {

    @TempDir
    Path dir;

    private ConsoleBroker console;

    @BeforeEach
    void start() {
        console = ConsoleBroker.start(dir, "console_users admin member");
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void aChangedPasswordEndsTheSessionAndTheNewOneLogsIn() {
        Browser admin = console.browser();
        assertThat(admin.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        Browser member = console.browser();
        assertThat(member.login("member", MEMBER_PASSWORD).statusCode()).isEqualTo(303);
        assertThat(admin.get("/").statusCode()).as("before the reload").isEqualTo(200);

        ConsoleBroker.passwordFile(console.passwd, Map.of("admin", "New-Password-2027", "member", MEMBER_PASSWORD));
        console.broker.reload();

        assertThat(admin.get("/").statusCode())
                .as("admin's session after the password changed")
                .isEqualTo(303);
        assertThat(console.browser().login("admin", PASSWORD).statusCode())
                .as("the old password")
                .isEqualTo(401);
        assertThat(console.browser().login("admin", "New-Password-2027").statusCode())
                .as("the new password")
                .isEqualTo(303);
        assertThat(member.get("/").statusCode())
                .as("member's entry was rewritten with a new salt, so it changed too")
                .isEqualTo(303);
    }

    @Test
    void aRemovedUserIsLoggedOutAndOthersStay() throws Exception {
        Browser admin = console.browser();
        assertThat(admin.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        Browser member = console.browser();
        assertThat(member.login("member", MEMBER_PASSWORD).statusCode()).isEqualTo(303);

        // Keep admin's line as it is, drop member's.
        String adminLine = java.nio.file.Files.readAllLines(console.passwd).stream()
                .filter(l -> l.startsWith("admin:"))
                .findFirst()
                .orElseThrow();
        java.nio.file.Files.writeString(console.passwd, adminLine + "\n");
        console.broker.reload();

        assertThat(member.get("/").statusCode())
                .as("the removed user's session")
                .isEqualTo(303);
        assertThat(console.browser().login("member", MEMBER_PASSWORD).statusCode())
                .isEqualTo(401);
        assertThat(admin.get("/").statusCode())
                .as("admin's entry did not change")
                .isEqualTo(200);
    }
}
