package org.gatehouse.whitelist.internal;

import org.gatehouse.testing.MemoryServices;
import java.lang.annotation.Annotation;
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


    public static class Config implements WhitelistConfig {
        @Override
        public String keyFile() {
            return "";
        }

        @Override
        public String zone() {
            return "Asia/Shanghai";
        }

        @Override
        public String importNoticeVersion() {
            return "import";
        }

        @Override
        public long importMaxZipBytes() {
            return 200L * 1024 * 1024;
        }

        @Override
        public int importMaxCsvBytes() {
            return 1024 * 1024;
        }

        @Override
        public long importMaxEntryBytes() {
            return 10L * 1024 * 1024;
        }

        @Override
        public long importMaxTotalBytes() {
            return 1024L * 1024 * 1024;
        }

        @Override
        public int importMaxEntries() {
            return 20_000;
        }

        @Override
        public int importsKept() {
            return 50;
        }

        @Override
        public String importDir() {
            return "";
        }

        @Override
        public int importStaleSeconds() {
            return 600;
        }

        @Override
        public int checkMaxFailures() {
            return 5;
        }

        @Override
        public int checkFailureWindowMinutes() {
            return 15;
        }

        @Override
        public int checkLockoutSeconds() {
            return 60;
        }

        @Override
        public int checkMaxLockoutMinutes() {
            return 60;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return WhitelistConfig.class;
        }
    }
}
