package org.gatehouse.core.internal.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.Subject;
import javax.security.auth.login.LoginException;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.core.api.AttemptThrottle;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.security.RealmLogin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling the API. People use HTTP Basic against the Karaf JAAS realm (etc/users.properties by
 * default); their roles are the realm's roles and a role {@code community:CODE} grants that community
 * (city-admin sees all). Terminals use {@code Authorization: Bearer <device token>}, checked against the
 * store on every request, so a revoked device is refused at once.
 *
 * <p>Guessing is throttled: after {@code loginMaxFailures} failed logins within the window, the user name
 * and (separately) the calling address (except this machine's, see {@code loginUnthrottledAddresses}) are
 * locked for a delay that doubles with each lockout in a row; a
 * locked login is refused with 429 without its password being checked, even when it is right. Each lockout
 * is logged and audited ({@code login.locked}).
 *
 * <p>A successful login is remembered briefly (the realm's slow password hash is not paid on every request
 * of a busy client), but only while the users file is unchanged: removing a user or changing a password
 * (by editing the file or with {@code jaas:} commands, which write it) ends the remembered logins at once.
 */
@Component(service = Authenticator.class, configurationPid = "org.gatehouse.core.api")
@Designate(ocd = Authenticator.Config.class)
public class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    @ObjectClassDefinition(name = "Gatehouse REST API security")
    public @interface Config {
        @AttributeDefinition(description = "JAAS realm people log in to")
        String realm() default "karaf";

        @AttributeDefinition(description = "Seconds a successful login is remembered while the users file is"
                + " unchanged (0: check the password on every request)", min = "0", max = "3600")
        int cacheSeconds() default 30;

        @AttributeDefinition(description = "The realm's users file; a change to it ends remembered logins."
                + " Blank: ${karaf.etc}/users.properties")
        String usersFile() default "";

        @AttributeDefinition(description = "Failed logins of one user name or one address, within the window,"
                + " that lock it", min = "1", max = "100")
        int loginMaxFailures() default 5;

        @AttributeDefinition(description = "Window for counting failed logins (minutes)", min = "1", max = "1440")
        int loginFailureWindowMinutes() default 15;

        @AttributeDefinition(description = "First lockout (seconds); each further one in a row doubles",
                min = "1", max = "3600")
        int loginLockoutSeconds() default 30;

        @AttributeDefinition(description = "Longest lockout (minutes)", min = "1", max = "1440")
        int loginMaxLockoutMinutes() default 60;

        @AttributeDefinition(description = "Addresses not locked as addresses (user names still are): this machine,"
                + " where a TLS reverse proxy passes every client's request on from (comma-separated in a .cfg file)")
        String[] loginUnthrottledAddresses() default {"127.0.0.1", "0:0:0:0:0:0:0:1", "::1"};
    }

    private record Cached(Caller caller, long expiresAt, String usersStamp) {
    }

    private final String realm;
    private final long cacheMillis;
    private final Path usersFile;
    private final AttemptThrottle logins;
    private final Clock clock;
    private final Set<String> unthrottledAddresses;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** The store's last answer per device token, used only while the database is down. */
    private final Map<String, Cached> knownDevices = new ConcurrentHashMap<>();
    static final long DEVICE_OUTAGE_MILLIS = Duration.ofDays(1).toMillis();
    private final AuditTrail audit = new AuditTrail("core");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeviceRepository devices;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CommunityRepository communities;

    @Activate
    public Authenticator(Config config) {
        this(config, Clock.systemUTC());
    }

    Authenticator(Config config, Clock clock) {
        this.realm = config.realm();
        this.cacheMillis = Math.max(0, config.cacheSeconds()) * 1000L;
        this.usersFile = config.usersFile().isBlank()
                ? Paths.get(System.getProperty("karaf.etc", "etc"), "users.properties") : Paths.get(config.usersFile());
        this.logins = new AttemptThrottle(new AttemptThrottle.Settings(Math.max(1, config.loginMaxFailures()),
                Duration.ofMinutes(Math.max(1, config.loginFailureWindowMinutes())),
                Duration.ofSeconds(Math.max(1, config.loginLockoutSeconds())),
                Duration.ofMinutes(Math.max(1, config.loginMaxLockoutMinutes()))
                        .compareTo(Duration.ofSeconds(Math.max(1, config.loginLockoutSeconds()))) < 0
                        ? Duration.ofSeconds(Math.max(1, config.loginLockoutSeconds()))
                        : Duration.ofMinutes(Math.max(1, config.loginMaxLockoutMinutes())),
                Duration.ofDays(1)));
        this.clock = clock;
        // a .cfg file gives a list as one comma-separated value
        this.unthrottledAddresses = java.util.Arrays.stream(config.loginUnthrottledAddresses())
                .flatMap(a -> java.util.Arrays.stream(a.split(","))).map(String::trim).filter(a -> !a.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAuditLog(AuditLog log) {
        audit.set(log);
    }

    void unbindAuditLog(AuditLog log) {
        audit.unset(log);
    }

    /** The caller named by an Authorization header; {@link Caller#ANONYMOUS} without one; 401 if it is wrong. */
    public Caller authenticate(String authorization) {
        return authenticate(authorization, "unknown");
    }

    /** As {@link #authenticate(String)}, for a request from {@code address} (throttled per address too). */
    public Caller authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(authorization.substring(6).trim(), address == null ? "unknown" : address);
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return device(authorization.substring(7).trim(), address == null ? "unknown" : address);
        }
        throw unauthorized("Unsupported Authorization scheme; use Basic or Bearer");
    }

    private Caller basic(String encoded, String address) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("Malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw unauthorized("Malformed Basic credentials");
        }
        String user = decoded.substring(0, colon);
        String userKey = "user:" + user.toLowerCase(Locale.ROOT);
        // a reverse proxy on this machine makes every client 127.0.0.1: locking that address would lock everyone
        String addressKey = unthrottledAddresses.contains(address) ? null : "address:" + address;
        Instant now = clock.instant();
        refuseIfLocked(userKey, addressKey, user, address, now);

        String cacheKey = sha256(encoded);
        String stamp = usersStamp();
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expiresAt() > now.toEpochMilli() && cached.usersStamp().equals(stamp)) {
            return cached.caller();
        }
        cache.remove(cacheKey);
        Caller caller;
        try {
            caller = login(user, decoded.substring(colon + 1).toCharArray());
        } catch (LoginException e) {
            failed(userKey, addressKey, user, address, now);
            throw unauthorized("Wrong user name or password");
        }
        if (cacheMillis > 0) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(cacheKey, new Cached(caller, now.toEpochMilli() + cacheMillis, stamp));
        }
        return caller;
    }

    /**
     * A person logging in with a name and password outside HTTP Basic (the portal's login form): the same realm and
     * the same throttling as {@link #authenticate}, never remembered.
     */
    public Caller login(String user, char[] password, String address) {
        if (user == null || user.isBlank() || password == null) {
            throw unauthorized("Wrong user name or password");
        }
        String from = address == null ? "unknown" : address;
        String userKey = "user:" + user.toLowerCase(Locale.ROOT);
        String addressKey = unthrottledAddresses.contains(from) ? null : "address:" + from;
        Instant now = clock.instant();
        refuseIfLocked(userKey, addressKey, user, from, now);
        try {
            return login(user, password);
        } catch (LoginException e) {
            failed(userKey, addressKey, user, from, now);
            throw unauthorized("Wrong user name or password");
        }
    }

    private void refuseIfLocked(String userKey, String addressKey, String user, String address, Instant now) {
        Optional<Instant> until = logins.lockedUntil(userKey, now);
        Optional<Instant> addressUntil = addressKey == null ? Optional.empty() : logins.lockedUntil(addressKey, now);
        if (until.isEmpty() || addressUntil.isPresent() && addressUntil.get().isAfter(until.get())) {
            until = addressUntil;
        }
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, until.get()).toSeconds() + 1);
            throw new ApiException(429, "TOO_MANY_ATTEMPTS", "Too many failed logins for this user or from this"
                    + " address; try again in " + seconds + " s", seconds);
        }
    }

    private void failed(String userKey, String addressKey, String user, String address, Instant now) {
        LOG.info("Failed login for user '{}' from {}", user, address);
        for (String key : addressKey == null ? new String[] {userKey} : new String[] {userKey, addressKey}) {
            logins.failure(key, now).ifPresent(l -> {
                LOG.warn("Logins locked for {} until {} after {} failures (lockout {} in a row)", key, l.until(),
                        l.failures(), l.level());
                audit.refused("auth:" + address, "login.locked", null, null, key + " locked for "
                        + l.length().toSeconds() + " s after " + l.failures() + " failed logins (lockout "
                        + l.level() + " in a row); last user '" + user + "' from " + address);
            });
        }
    }

    private Caller login(String user, char[] password) throws LoginException {
        Subject subject;
        try {
            subject = RealmLogin.login(realm, user, password);
        } catch (RuntimeException e) {
            // a realm that cannot work (e.g. its password hashing service is missing) is not the caller's fault
            LOG.error("The login realm '{}' failed: {}", realm, e.toString());
            throw new ApiException(503, "LOGIN_UNAVAILABLE", "Logins cannot be checked right now; try again later");
        }
        Set<String> roles = new HashSet<>();
        for (Principal p : subject.getPrincipals()) {
            if (p.getClass().getSimpleName().equals("RolePrincipal")) {
                roles.add(p.getName());
            }
        }
        return new Caller(user, roles, scopeOf(roles));
    }

    /**
     * Device tokens are 256-bit random values, which cannot be guessed, so they are not throttled: a terminal
     * behind the same address as a locked-out office keeps working. A token is checked against the store on
     * every request, so a revoked device is refused at once; only while the database is down does a terminal
     * get in on the last answer the store gave for its token (for up to a day), so that it can keep reporting
     * passages into the journal — no revocation can have been recorded meanwhile.
     */
    private Caller device(String token, String address) {
        DeviceRepository repository = devices;
        if (repository == null) {
            throw new ApiException(503, "STORE_UNAVAILABLE", "Device tokens cannot be checked: no store");
        }
        String key = sha256(token);
        Optional<Device> device;
        try {
            device = repository.authenticate(token);
        } catch (StoreUnavailableException down) {
            Cached known = knownDevices.get(key);
            if (known != null && known.expiresAt() > clock.millis()) {
                return known.caller();
            }
            throw down;
        }
        if (device.isEmpty()) {
            knownDevices.remove(key);
            LOG.info("Unknown device token from {}", address);
            throw unauthorized("Unknown device token");
        }
        Caller caller = new Caller("device:" + device.get().id(), Set.of(Roles.DEVICE),
                Scope.of(device.get().communityId()));
        if (knownDevices.size() > 100_000) {
            knownDevices.clear();
        }
        knownDevices.put(key, new Cached(caller, clock.millis() + DEVICE_OUTAGE_MILLIS, ""));
        return caller;
    }

    /** city-admin: every community; otherwise the communities named by {@code community:CODE} roles. */
    Scope scopeOf(Set<String> roles) {
        if (roles.contains(Roles.CITY_ADMIN)) {
            return Scope.all();
        }
        Set<String> ids = new HashSet<>();
        CommunityRepository repository = communities;
        for (String role : roles) {
            if (role.startsWith(Roles.COMMUNITY_PREFIX) && repository != null) {
                repository.communityByCode(Scope.all(), role.substring(Roles.COMMUNITY_PREFIX.length()))
                        .ifPresent(c -> ids.add(c.id()));
            }
        }
        return Scope.of(ids);
    }

    /** Size and modification time of the users file: any edit changes it. */
    private String usersStamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(usersFile, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
        } catch (IOException e) {
            return "none";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }
}
