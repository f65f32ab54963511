package org.gatehouse.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.internal.testing.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.io.TempDir;

/** Guessing passwords is throttled; a changed or removed login stops working at once. */
class AuthenticatorTest {
    static final AtomicInteger CHECKS = new AtomicInteger();
    static Path users;
    private static Configuration previous;

    /** A realm like Karaf's properties realm: user = password lines, read on every login. */
    public static class FileLoginModule implements LoginModule {
        private CallbackHandler handler;

        @Override
        public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                               Map<String, ?> options) {
            this.handler = callbackHandler;
        }

        @Override
        public boolean login() throws LoginException {
            CHECKS.incrementAndGet();
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
                Properties p = new Properties();
                try (var in = Files.newInputStream(users)) {
                    p.load(in);
                }
                if (!new String(password.getPassword()).equals(p.getProperty(name.getName()))) {
                    throw new FailedLoginException("wrong");
                }
                return true;
            } catch (IOException | javax.security.auth.callback.UnsupportedCallbackException e) {
                throw new LoginException(e.toString());
            }
        }

        @Override
        public boolean commit() {
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }

    @TempDir
    Path dir;
    MovableClock clock;
    Authenticator authenticator;

    @BeforeAll
    static void realm() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(FileLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        });
    }

    @AfterAll
    static void restore() {
        Configuration.setConfiguration(previous);
    }

    @BeforeEach
    void setUp() throws IOException {
        users = Files.writeString(dir.resolve("users.properties"), "office = secret\npolice = other\n");
        clock = new MovableClock();
        authenticator = new Authenticator(config(users), clock);
        CHECKS.set(0);
    }

    @Test
    void fiveWrongPasswordsLockTheUserEvenForTheRightOneAndTheLockoutGrows() {
        for (int i = 0; i < 5; i++) {
            String guess = basic("office", "guess" + i);
            assertEquals(401, status(() -> authenticator.authenticate(guess, "10.0.0.1")));
        }
        ApiException locked = assertThrows(ApiException.class,
                () -> authenticator.authenticate(basic("office", "secret"), "10.0.0.2"));
        assertEquals(429, locked.status());
        assertEquals("TOO_MANY_ATTEMPTS", locked.code());
        assertEquals(31, locked.retryAfterSeconds());
        int checks = CHECKS.get();
        assertEquals(429, status(() -> authenticator.authenticate(basic("office", "secret"), "10.0.0.3")));
        assertEquals(checks, CHECKS.get(), "a locked login's password is not even checked");

        clock.advance(Duration.ofSeconds(31));
        assertEquals("office", authenticator.authenticate(basic("office", "secret"), "10.0.0.2").name());
        for (int i = 0; i < 5; i++) {
            String guess = basic("office", "again" + i);
            assertEquals(401, status(() -> authenticator.authenticate(guess, "10.0.0.4")));
        }
        assertEquals(61, assertThrows(ApiException.class,
                () -> authenticator.authenticate(basic("office", "secret"), "10.0.0.5")).retryAfterSeconds(),
                "the second lockout in a row is twice as long");
    }

    @Test
    void theFormLoginOfThePortalIsThrottledAsTheApiIs() {
        assertEquals("office", authenticator.login("office", "secret".toCharArray(), "10.0.0.1").name());
        for (int i = 0; i < 5; i++) {
            char[] guess = ("guess" + i).toCharArray();
            assertEquals(401, status(() -> authenticator.login("office", guess, "10.0.0.1")));
        }
        int checks = CHECKS.get();
        ApiException locked = assertThrows(ApiException.class,
                () -> authenticator.login("office", "secret".toCharArray(), "10.0.0.9"));
        assertEquals(429, locked.status(), "the right password is refused while the user is locked");
        assertEquals(checks, CHECKS.get(), "a locked login's password is not even checked");
        assertEquals(429, status(() -> authenticator.authenticate(basic("office", "secret"), "10.0.0.9")),
                "the portal's failures lock the API too: one throttle for both");
        assertEquals(401, status(() -> authenticator.login("", "x".toCharArray(), "10.0.0.1")));
        assertEquals(401, status(() -> authenticator.login("office", null, "10.0.0.1")));
    }

    @Test
    void oneAddressTryingManyUsersIsLockedToo() {
        for (int i = 0; i < 5; i++) {
            String guess = basic("user" + i, "x");
            assertEquals(401, status(() -> authenticator.authenticate(guess, "203.0.113.9")));
        }
        assertEquals(429, status(() -> authenticator.authenticate(basic("police", "other"), "203.0.113.9")));
        assertEquals("police", authenticator.authenticate(basic("police", "other"), "198.51.100.7").name(),
                "the same user from elsewhere is not locked");
        for (int i = 0; i < 5; i++) {
            String guess = basic("proxied" + i, "x");
            assertEquals(401, status(() -> authenticator.authenticate(guess, "127.0.0.1")));
        }
        assertEquals("police", authenticator.authenticate(basic("police", "other"), "127.0.0.1").name(),
                "a reverse proxy's address is not locked for everyone behind it");
    }

    @Test
    void aRemovedUserOrChangedPasswordStopsWorkingAtOnce() throws IOException {
        String header = basic("office", "secret");
        Caller first = authenticator.authenticate(header, "10.0.0.1");
        authenticator.authenticate(header, "10.0.0.1");
        assertEquals(1, CHECKS.get(), "a busy client does not pay the password hash on every request");
        assertEquals("office", first.name());

        Files.writeString(users, "police = other\n", StandardCharsets.UTF_8); // office removed
        assertEquals(401, status(() -> authenticator.authenticate(header, "10.0.0.1")));
        Files.writeString(users, "office = changed\npolice = other\n", StandardCharsets.UTF_8);
        assertEquals(401, status(() -> authenticator.authenticate(header, "10.0.0.1")));
        assertEquals("office", authenticator.authenticate(basic("office", "changed"), "10.0.0.1").name());
    }

    @Test
    void aRevokedDeviceIsRefusedAtOnceAndAKnownOneKeepsWorkingWhileTheDatabaseIsDown() throws Exception {
        java.util.Map<String, org.gatehouse.api.model.Device> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        boolean[] down = {false};
        org.gatehouse.api.model.Device gate = new org.gatehouse.api.model.Device("d1", "c1", null, "East",
                "East gate", org.gatehouse.api.model.DeviceKind.FACE_TERMINAL, org.gatehouse.api.model.Direction.IN);
        tokens.put("tok-1", gate);
        var devices = (org.gatehouse.api.service.DeviceRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.gatehouse.api.service.DeviceRepository.class},
                (proxy, m, args) -> {
                    if (!m.getName().equals("authenticate")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (down[0]) {
                        throw new org.gatehouse.api.service.StoreUnavailableException("down", null);
                    }
                    return java.util.Optional.ofNullable(tokens.get((String) args[0]));
                });
        java.lang.reflect.Field field = Authenticator.class.getDeclaredField("devices");
        field.setAccessible(true);
        field.set(authenticator, devices);

        assertEquals("device:d1", authenticator.authenticate("Bearer tok-1", "10.0.0.9").name());
        down[0] = true;
        assertEquals("device:d1", authenticator.authenticate("Bearer tok-1", "10.0.0.9").name(),
                "a terminal keeps reporting (into the journal) while the database is down");
        assertThrows(org.gatehouse.api.service.StoreUnavailableException.class,
                () -> authenticator.authenticate("Bearer never-seen", "10.0.0.9"));
        down[0] = false;
        tokens.remove("tok-1"); // revoked
        assertEquals(401, status(() -> authenticator.authenticate("Bearer tok-1", "10.0.0.9")));
        down[0] = true;
        assertThrows(org.gatehouse.api.service.StoreUnavailableException.class,
                () -> authenticator.authenticate("Bearer tok-1", "10.0.0.9"),
                "a token the store refused is not let in during a later outage");
    }

    @Test
    void anonymousAndMalformedHeaders() {
        assertTrue(!authenticator.authenticate(null, "10.0.0.1").isAuthenticated());
        assertEquals(401, status(() -> authenticator.authenticate("Basic !!!", "10.0.0.1")));
        assertEquals(401, status(() -> authenticator.authenticate("Digest x", "10.0.0.1")));
    }

    private static int status(Runnable call) {
        return assertThrows(ApiException.class, call::run).status();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The configuration as DS builds it: the metatype defaults, but the test realm, its users file, this machine only. */
    static Authenticator.Config config(Path usersFile) {
        return Converters.standardConverter().convert(Map.of("realm", "test", "usersFile", usersFile.toString(),
                "loginUnthrottledAddresses", new String[] {"127.0.0.1"})).to(Authenticator.Config.class);
    }
}
