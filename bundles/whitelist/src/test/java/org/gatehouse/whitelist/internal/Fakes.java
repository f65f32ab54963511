package org.gatehouse.whitelist.internal;

import java.util.HashMap;
import java.util.Map;

import org.gatehouse.testing.Configs;
import org.gatehouse.testing.MemoryServices;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.gatehouse.api.model.Building;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.api.service.AuditLog;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.recognition.api.FaceException;

/** Honest in-memory implementations of the api services (scoped like the store's), for tests only. */
public final class Fakes extends MemoryServices {
    private Fakes() {
    }


    /**
     * The configuration as Declarative Services builds it: the metatype defaults (the one place they live), but
     * the zone the tests run in and a 1 MB CSV limit; {@code overrides} set what a test changes.
     */
    public static WhitelistConfig config(Map<String, ?> overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of("zone", "Asia/Shanghai", "importMaxCsvBytes", 1024 * 1024));
        properties.putAll(overrides);
        return Configs.of(WhitelistConfig.class, properties);
    }

    public static WhitelistConfig config() {
        return config(Map.of());
    }
}
