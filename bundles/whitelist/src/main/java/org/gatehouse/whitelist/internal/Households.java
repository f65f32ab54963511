package org.gatehouse.whitelist.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.ImportJobRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.whitelist.internal.Credentials.IssuedCredential;

/**
 * Households (户) and their residents, as the office sees them: reads of residents audited, a new resident always
 * with an app token (a way in that is not a face), care flags only by {@code city-admin} or {@code community-office},
 * lease dates in the configured zone, move-out ending the faces first. Every repository call carries the caller's
 * scope.
 */
public interface Households {
    /** What a new resident gets: the record and its app token (secret shown once). */
    record NewResident(Resident resident, IssuedCredential appToken) {
    }

    /**
     * Resident fields as a form sends them. Dates: {@code yyyy-MM-dd} (validFrom = start of that day,
     * validUntil = end of that day, in the configured zone) or an ISO instant. {@code careFlags} null = unchanged.
     */
    record ResidentInput(String name, ResidentRole role, LocalDate birthDate, String phone, String validFrom,
                         String validUntil, Set<CareFlag> careFlags) {
    }

    List<Household> households(Caller c, String communityId);

    Household household(Caller c, String id);

    Household createHousehold(Caller c, String unitId, String name);

    /** The residents of a household, each read audited ({@code resident.view}). */
    List<Resident> residents(Caller c, String householdId);

    /** A resident and how many face templates it has (its active FACE credentials, each naming one template). */
    record ResidentFaces(Resident resident, int faceTemplates) {
    }

    /**
     * Residents of every household of a community with their face templates, only those with fewer than
     * {@code fewerFacePhotosThan} ({@link Integer#MAX_VALUE}: all; 2: who has no face or only one, see
     * {@link Enrolment#ADVISED_FACE_PHOTOS}). One {@code resident.list} audit entry. The counts are one query for the
     * whole community ({@link org.gatehouse.api.service.CredentialRepository#activeFaceCounts}).
     */
    List<ResidentFaces> communityResidentFaces(Caller c, String communityId, int fewerFacePhotosThan);

    Resident resident(Caller c, String id);

    /** A new resident with an app token; without the token the resident is removed again. */
    NewResident addResident(Caller c, String householdId, ResidentInput in);

    Resident updateResident(Caller c, String id, ResidentInput in);

    /**
     * Move-out: faces forgotten, every credential revoked (terminals told), the resident removed. The store writes
     * the credential changes and the move-out population change in the transactions of those changes.
     */
    void removeResident(Caller c, String id);

    /**
     * A resident for a row of a bulk import, checked by the rules of {@link #addResident} (refusals audited as
     * {@code resident.create.refused}), with a new app-token secret sealed: what
     * {@link ImportJobRepository#importResident} stores, together with the row's outcome, in one transaction. The
     * app-token secret is shown to no one (a new one is issued when the resident sets up the app).
     */
    ImportJobRepository.NewResident importedResident(Caller c, Household h, ResidentInput in);

    /**
     * Audits what {@link ImportJobRepository#importResident} stored for a row ({@code resident.create},
     * {@code credential.issue}, {@code consent.give}); a failing audit log throws (the import stops).
     */
    void residentImported(Caller c, ImportJobRepository.Imported imported, String jobId, int csvRow);

    /**
     * The store removed a resident with its import row's failure ({@link ImportJobRepository#rowFailed}): this node's
     * gallery follows and the removal is audited ({@code resident.remove}).
     */
    void importedResidentRemoved(Caller c, String communityId, String residentId, String why);

    /** The resident if present (not removed) and in scope, unaudited: for the import's own bookkeeping. */
    Optional<Resident> presentResident(Caller c, String residentId);
}
