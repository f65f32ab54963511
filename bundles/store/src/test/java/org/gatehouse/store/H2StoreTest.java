package org.gatehouse.store;

import java.nio.file.Files;
import java.nio.file.Path;

import org.gatehouse.store.internal.StoreSettings;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;

/** The contract against an embedded H2 file database (fresh under target/ per run) in PostgreSQL mode. */
class H2StoreTest extends StoreContractTest {
    static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private Path dir;
    private Server tcp;

    @Override
    protected StoreSettings freshDatabase() throws Exception {
        dir = Path.of("target", "h2", "run-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(dir);
        return new StoreSettings("jdbc:h2:file:" + dir.resolve("gatehouse") + OPTIONS + ";AUTO_SERVER=FALSE",
                "sa", "", 4);
    }

    @Override
    protected StoreSettings anotherDatabase(String name) throws Exception {
        Path other = dir.resolve("other-" + name);
        Files.createDirectories(other);
        return new StoreSettings("jdbc:h2:file:" + other.resolve("gatehouse") + OPTIONS + ";AUTO_SERVER=FALSE",
                "sa", "", 4);
    }

    @Override
    protected StoreSettings viaProxy(int proxyPort) {
        return new StoreSettings("jdbc:h2:tcp://localhost:" + proxyPort + "/down" + OPTIONS, "sa", "", 4);
    }

    @Override
    protected String targetHost() {
        return "localhost";
    }

    @Override
    protected synchronized int targetPort() {
        try {
            if (tcp == null) {
                Path base = dir.resolve("tcp");
                Files.createDirectories(base);
                tcp = Server.createTcpServer("-tcpPort", "0", "-baseDir", base.toString(), "-ifNotExists").start();
            }
            return tcp.getPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stopTcp() {
        if (tcp != null) {
            tcp.stop();
        }
    }
}
