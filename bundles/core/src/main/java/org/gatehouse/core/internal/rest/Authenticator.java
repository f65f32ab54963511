package org.gatehouse.core.internal.rest;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.gatehouse.api.model.Device;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Who is calling the API. People use HTTP Basic against the Karaf JAAS realm (etc/users.properties by
 * default); their roles are the realm's roles and a role {@code community:CODE} grants that community
 * (city-admin sees all). Terminals use {@code Authorization: Bearer <device token>}. A successful
 * login is remembered briefly so that a busy terminal does not hit the realm on every request.
 */
@Component(service = Authenticator.class, configurationPid = "org.gatehouse.core.api")
@Designate(ocd = Authenticator.Config.class)
public class Authenticator {
    @ObjectClassDefinition(name = "Gatehouse REST API security")
    public @interface Config {
        @AttributeDefinition(description = "JAAS realm people log in to")
        String realm() default "karaf";

        @AttributeDefinition(description = "Seconds a successful login is remembered")
        int cacheSeconds() default 30;
    }

    private record Cached(Caller caller, long expiresAt) {
    }

    private final String realm;
    private final long cacheMillis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeviceRepository devices;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CommunityRepository communities;

    @Activate
    public Authenticator(Config config) {
        this.realm = config.realm();
        this.cacheMillis = config.cacheSeconds() * 1000L;
    }

    /** The caller named by an Authorization header; {@link Caller#ANONYMOUS} without one; 401 if it is wrong. */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        Cached cached = cache.get(authorization);
        long now = System.currentTimeMillis();
        if (cached != null && cached.expiresAt() > now) {
            return cached.caller();
        }
        Caller caller;
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            caller = basic(authorization.substring(6).trim());
        } else if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            caller = device(authorization.substring(7).trim());
        } else {
            throw unauthorized("Unsupported Authorization scheme; use Basic or Bearer");
        }
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(authorization, new Cached(caller, now + cacheMillis));
        return caller;
    }

    private Caller basic(String encoded) {
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
        char[] password = decoded.substring(colon + 1).toCharArray();
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Authenticator.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pass) {
                        pass.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            login.login();
        } catch (LoginException e) {
            throw unauthorized("Wrong user name or password");
        } finally {
            thread.setContextClassLoader(previous);
        }
        Set<String> roles = new HashSet<>();
        for (Principal p : subject.getPrincipals()) {
            if (p.getClass().getSimpleName().equals("RolePrincipal")) {
                roles.add(p.getName());
            }
        }
        return new Caller(user, roles, scopeOf(roles));
    }

    private Caller device(String token) {
        DeviceRepository repository = devices;
        if (repository == null) {
            throw new ApiException(503, "STORE_UNAVAILABLE", "Device tokens cannot be checked: no store");
        }
        Optional<Device> device = repository.authenticate(token);
        if (device.isEmpty()) {
            throw unauthorized("Unknown device token");
        }
        return new Caller("device:" + device.get().id(), Set.of(Roles.DEVICE), Scope.of(device.get().communityId()));
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

    static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }
}
