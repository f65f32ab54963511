package org.gatehouse.whitelist.internal;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.faces.api.FaceRegistry;
import org.gatehouse.whitelist.internal.Credentials.IssuedCredential;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.gatehouse.core.api.Refusal;

/**
 * {@link Households} over the store: adding and removing a resident the store writes {@code MOVE_IN} /
 * {@code MOVE_OUT} (and the credential changes) in the transaction of the change; the app token of a new resident
 * comes from {@link Credentials}.
 */
@Component(service = Households.class, configurationPid = WhitelistConfig.PID)
public class StoredHouseholds implements Households {
    private final HouseholdRepository households;
    private final CredentialRepository stored;
    private final Credentials credentials;
    private final Gallery gallery;
    private final LeaseDates dates;
    private final AuditTrail audit;

    @Activate
    public StoredHouseholds(@Reference HouseholdRepository households, @Reference CredentialRepository stored,
                            @Reference FaceRegistry faces, @Reference Credentials credentials,
                            WhitelistConfig config, @Reference AuditTrails trails) {
        this(households, stored, faces, credentials, LeaseDates.of(config), trails);
    }

    public StoredHouseholds(HouseholdRepository households, CredentialRepository stored, FaceRegistry faces,
                            Credentials credentials, LeaseDates dates, AuditTrails trails) {
        this.audit = trails.of("whitelist");
        this.households = households;
        this.stored = stored;
        this.credentials = credentials;
        this.gallery = new Gallery(faces, stored);
        this.dates = dates;
    }


    // ---- households ------------------------------------------------------------------------------------------

    @Override
    public List<Household> households(Caller c, String communityId) {
        return households.households(c.scope(), communityId);
    }

    @Override
    public Household household(Caller c, String id) {
        return households.household(c.scope(), id).orElseThrow(() -> new NotFoundException("household", id));
    }

    @Override
    public Household createHousehold(Caller c, String unitId, String name) {
        if (unitId == null || unitId.isBlank()) {
            throw MESSAGES.badRequest("field.required", "unitId");
        }
        if (name == null || name.isBlank()) {
            throw MESSAGES.badRequest("field.required", "name");
        }
        Household h = households.createHousehold(c.scope(), unitId, name.trim());
        audit.record(c.name(), "household.create", h.communityId(), h.id(), "unit=" + unitId);
        return h;
    }

    // ---- residents -------------------------------------------------------------------------------------------

    @Override
    public List<Resident> residents(Caller c, String householdId) {
        List<Resident> list = households.residents(c.scope(), householdId);
        for (Resident r : list) {
            audit.record(c.name(), "resident.view", r.communityId(), r.id(), "household list " + householdId);
        }
        return list;
    }

    @Override
    public List<ResidentFaces> communityResidentFaces(Caller c, String communityId, int fewerFacePhotosThan) {
        List<ResidentFaces> shown = new ArrayList<>();
        List<Resident> residents = residentsOf(c.scope(), communityId);
        Map<String, Integer> faceCounts = stored.activeFaceCounts(c.scope(), communityId);
        for (Resident r : residents) {
            int faces = faceCounts.getOrDefault(r.id(), 0);
            if (faces < fewerFacePhotosThan) {
                shown.add(new ResidentFaces(r, faces));
            }
        }
        audit.record(c.name(), "resident.list", communityId, communityId, shown.size() + " residents"
                + (fewerFacePhotosThan == Integer.MAX_VALUE ? "" : " with fewer than " + fewerFacePhotosThan
                + " face photos") + ", with face template counts");
        return shown;
    }

    private List<Resident> residentsOf(Scope scope, String communityId) {
        List<Resident> all = new ArrayList<>();
        for (Household h : households.households(scope, communityId)) {
            all.addAll(households.residents(scope, h.id()));
        }
        return all;
    }

    @Override
    public Resident resident(Caller c, String id) {
        Resident r = findResident(c.scope(), id);
        audit.record(c.name(), "resident.view", r.communityId(), r.id(), "");
        return r;
    }

    private Resident findResident(Scope scope, String id) {
        return households.resident(scope, id).orElseThrow(() -> new NotFoundException("resident", id));
    }

    /** A new resident's care flags and lease window, once the input passed the rules every new resident meets. */
    private record CheckedInput(Set<CareFlag> flags, Instant from, Instant until) {
    }

    /** The rules of a new resident (by hand or imported): required fields, who may set care flags, the lease. */
    private CheckedInput checked(Caller c, ResidentInput in) {
        requireResidentFields(in);
        Set<CareFlag> flags = in.careFlags() == null ? Set.of() : in.careFlags();
        if (!flags.isEmpty() && !mayCare(c)) {
            throw MESSAGES.refusal(403, "FORBIDDEN", "careFlags.forbidden");
        }
        Instant from = dates.instant("validFrom", in.validFrom(), false);
        Instant until = dates.instant("validUntil", in.validUntil(), true);
        LeaseDates.checkLease(from, until);
        return new CheckedInput(flags, from, until);
    }

    @Override
    public NewResident addResident(Caller c, String householdId, ResidentInput in) {
        Household h = household(c, householdId);
        try {
            CheckedInput ok = checked(c, in);
            Resident r = households.addResident(c.scope(), householdId, in.name().trim(), in.role(), in.birthDate(),
                    blankToNull(in.phone()), ok.from(), ok.until(), ok.flags());
            IssuedCredential token;
            try {
                token = credentials.issueAppToken(c, r);
            } catch (RuntimeException e) {
                // never leave a resident without a non-face way in
                households.removeResident(c.scope(), r.id());
                throw e;
            }
            audit.record(c.name(), "resident.create", r.communityId(), r.id(), "household " + householdId + ", role "
                    + r.role());
            return new NewResident(r, token);
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.create.refused", h.communityId(), householdId, e.getMessage());
            throw e;
        }
    }

    @Override
    public Resident updateResident(Caller c, String id, ResidentInput in) {
        Resident old = findResident(c.scope(), id);
        try {
            requireResidentFields(in);
            Set<CareFlag> flags = in.careFlags() == null ? old.careFlags() : in.careFlags();
            if (!flags.equals(old.careFlags()) && !mayCare(c)) {
                throw MESSAGES.refusal(403, "FORBIDDEN", "careFlags.forbidden");
            }
            Instant from = dates.instant("validFrom", in.validFrom(), false);
            Instant until = dates.instant("validUntil", in.validUntil(), true);
            LeaseDates.checkLease(from, until);
            Resident updated = households.updateResident(c.scope(), new Resident(old.id(), old.communityId(),
                    old.householdId(), in.name().trim(), in.role(), in.birthDate(), blankToNull(in.phone()), from,
                    until, flags));
            audit.record(c.name(), "resident.update", updated.communityId(), updated.id(),
                    flags.equals(old.careFlags()) ? "" : "careFlags " + flags);
            return updated;
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.update.refused", old.communityId(), id, e.getMessage());
            throw e;
        }
    }

    @Override
    public void removeResident(Caller c, String id) {
        Resident r = findResident(c.scope(), id);
        int templates = gallery.endFaces(c.scope(), r.communityId(), r.id(), false).templatesDeleted();
        households.removeResident(c.scope(), id); // revokes the other credentials, MOVE_OUT, in one transaction
        audit.record(c.name(), "resident.remove", r.communityId(), r.id(), templates + " face templates deleted");
    }

    private static void requireResidentFields(ResidentInput in) {
        if (in == null) {
            throw MESSAGES.badRequest("field.required", "body");
        }
        if (in.name() == null || in.name().isBlank()) {
            throw MESSAGES.badRequest("field.required", "name");
        }
        if (in.role() == null) {
            throw MESSAGES.badRequest("field.required", "role");
        }
    }

    private static boolean mayCare(Caller c) {
        return c.hasRole(Roles.CITY_ADMIN) || c.hasRole(Roles.COMMUNITY_OFFICE);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    // ---- residents of a bulk import -----------------------------------------------------------------------------

    @Override
    public ImportJobRepository.NewResident importedResident(Caller c, Household h, ResidentInput in) {
        try {
            CheckedInput ok = checked(c, in);
            return new ImportJobRepository.NewResident(h.id(), in.name().trim(), in.role(), in.birthDate(),
                    blankToNull(in.phone()), ok.from(), ok.until(), ok.flags(), credentials.sealedAppSecret());
        } catch (Refusal | IllegalArgumentException e) {
            audit.refused(c.name(), "resident.create.refused", h.communityId(), h.id(), e.getMessage());
            throw e;
        }
    }

    @Override
    public void residentImported(Caller c, ImportJobRepository.Imported imported, String jobId, int csvRow) {
        Resident r = imported.resident();
        audit.record(c.name(), "resident.create", r.communityId(), r.id(), "household " + r.householdId()
                + ", role " + r.role() + ", import " + jobId + " row " + csvRow);
        Credential token = imported.appToken(); // the store wrote the ISSUED credential change with it
        audit.record(c.name(), "credential.issue", token.communityId(), token.residentId(), token.kind() + " "
                + token.id());
        Consent given = imported.consent();
        if (given != null) {
            audit.record(c.name(), "consent.give", r.communityId(), r.id(), given.purpose() + " notice "
                    + given.noticeVersion() + " via " + given.channel());
        }
    }

    @Override
    public void importedResidentRemoved(Caller c, String communityId, String residentId, String why) {
        gallery.refresh(c.scope(), communityId, residentId);
        audit.record(c.name(), "resident.remove", communityId, residentId, why);
    }

    @Override
    public Optional<Resident> presentResident(Caller c, String residentId) {
        return households.resident(c.scope(), residentId);
    }
}
