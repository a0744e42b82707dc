package dev.drawbridge.acl.bench;

import dev.drawbridge.acl.aclfile.AclFile;
import dev.drawbridge.acl.aclfile.AclFileAuthorizer;
import dev.drawbridge.acl.aclfile.AclFileException;
import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.Decision;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-delivery READ check of the ACL file, uncached: 1,000 users with their own blocks, 100 pattern lines,
 * topics five levels deep. Run by hand (never by the build):
 *
 * <pre>
 * mvn -q -pl acl test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp acl/target/test-classes:acl/target/classes:$(cat acl/target/cp.txt) org.openjdk.jmh.Main AclCheckBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AclCheckBenchmark {

    private static final int USERS = 1_000;
    private static final int PATTERNS = 100;
    private static final int REQUESTS = 4_096;

    private AclFileAuthorizer authorizer;
    private AccessRequest[] requests;
    private int next;

    @Setup
    public void setUp() throws AclFileException {
        StringBuilder acl = new StringBuilder();
        acl.append("topic read public/#\n");
        for (int p = 0; p < PATTERNS; p++) {
            acl.append("pattern readwrite site/%u/").append(p).append("/+/state\n");
        }
        for (int u = 0; u < USERS; u++) {
            acl.append("user user").append(u).append('\n');
            acl.append("topic readwrite home/user").append(u).append("/#\n");
            acl.append("topic read home/shared/+/+/status\n");
            acl.append("topic deny home/user").append(u).append("/secret/#\n");
        }
        authorizer =
                new AclFileAuthorizer(AclFile.parse("bench.acl", acl.toString().getBytes(StandardCharsets.UTF_8)));
        SplittableRandom random = new SplittableRandom(42);
        requests = new AccessRequest[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int user = random.nextInt(USERS);
            String topic = switch (random.nextInt(4)) {
                case 0 -> "home/user" + user + "/room/lamp/state";
                case 1 -> "home/user" + random.nextInt(USERS) + "/secret/door/code";
                case 2 -> "site/user" + user + "/" + random.nextInt(PATTERNS) + "/dev/state";
                default -> "home/shared/a/b/status";
            };
            ClientIdentity who = new ClientIdentity(
                    "client" + user, Optional.of("user" + user), Optional.empty(), "1883", "127.0.0.1:1", 4);
            requests[i] = new AccessRequest(who, Access.READ, topic, 1, false);
        }
    }

    @Benchmark
    public Decision readCheck() {
        AccessRequest request = requests[next];
        next = (next + 1) & (REQUESTS - 1);
        return authorizer.authorize(request);
    }
}
