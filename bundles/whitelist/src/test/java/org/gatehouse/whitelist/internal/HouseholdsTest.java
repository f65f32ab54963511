package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.CareFlag;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.Roles;
import org.gatehouse.whitelist.internal.Credentials.IssuedCredential;
import org.gatehouse.whitelist.internal.Households.NewResident;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.gatehouse.api.service.NotFoundException;
import org.junit.jupiter.api.Test;
import org.gatehouse.core.api.Refusal;

/** The register of households and residents ({@link StoredHouseholds}). */
class HouseholdsTest extends ServicesOverFakes {
    @Test
    void aNewResidentGetsAnAppTokenWhoseSecretIsShownOnceAndStoredSealed() {
        NewResident n = w.add("王芳");
        IssuedCredential token = n.appToken();
        assertNotNull(token.secret());
        assertTrue(token.otpauthUri().startsWith("otpauth://totp/"));
        assertEquals(CredentialKind.APP_TOKEN, token.credential().kind());
        assertFalse(token.credential().reference().contains(token.secret()));
        assertTrue(token.credential().reference().startsWith(SecretKeys.SEALED_PREFIX));
        assertEquals(1, active(n.resident().id(), CredentialKind.APP_TOKEN).size());
        assertEquals(1, changes(n.resident().id(), "ISSUED"));
        assertTrue(events(Streams.POPULATION_CHANGES).isEmpty(), "move-ins are the store's to publish, with the row");
        JsonNode issued = events(Streams.CREDENTIAL_CHANGES).get(0);
        assertTrue(issued.get("occurredAt").asText().endsWith("Z"), "ISO instant: " + issued.get("occurredAt"));
        assertTrue(w.audit.actions().contains("resident.create"));
        assertTrue(w.audit.actions().contains("credential.issue"));
    }

    @Test
    void aLeaseEndBeforeItsStartIsA400NamingTheField() {
        Refusal r = assertThrows(Refusal.class, () -> w.register.addResident(w.office, w.wang.id(),
                new ResidentInput("王芳", ResidentRole.TENANT, null, null, "2026-05-01", "2026-04-01", null)));
        assertEquals(400, r.status());
        assertTrue(r.getMessage().startsWith("validUntil"), r.getMessage());
        assertTrue(w.households.residents.isEmpty());
        assertTrue(w.audit.actions().contains("resident.create.refused"));
        assertEquals("validFrom", assertThrows(Refusal.class, () -> w.register.addResident(w.office, w.wang.id(),
                new ResidentInput("王芳", ResidentRole.TENANT, null, null, "May 1st", null, null)))
                .getMessage().split(":")[0]);
    }

    @Test
    void careFlagsNeedTheCommunityOffice() {
        Caller property = new Caller("wuye", Set.of(Roles.PROPERTY), w.office.scope());
        Refusal r = assertThrows(Refusal.class, () -> w.register.addResident(property, w.wang.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of(CareFlag.LIVES_ALONE))));
        assertEquals(403, r.status());
        Resident ok = w.register.addResident(w.office, w.wang.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of(CareFlag.LIVES_ALONE)))
                .resident();
        assertEquals(Set.of(CareFlag.LIVES_ALONE), ok.careFlags());
        assertEquals(403, assertThrows(Refusal.class, () -> w.register.updateResident(property, ok.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, null, null, null, Set.of()))).status());
        // a change that leaves the flags alone is fine for the same caller
        assertEquals("13900000000", w.register.updateResident(property, ok.id(),
                new ResidentInput("王奶奶", ResidentRole.TENANT, null, "13900000000", null, null, null)).phone());
    }

    @Test
    void readsOfPersonalDataAreAuditedAndScoped() {
        Resident r = w.add("王芳").resident();
        w.audit.entries.clear();
        w.register.resident(w.office, r.id());
        w.register.residents(w.office, w.wang.id());
        assertEquals(List.of("resident.view", "resident.view"), w.audit.actions());
        Caller other = new Caller("office2", Set.of(Roles.COMMUNITY_OFFICE), Scope.of("another"));
        assertThrows(org.gatehouse.api.service.NotFoundException.class, () -> w.register.resident(other, r.id()));
    }

    @Test
    void withoutAnAuditLogEverythingStillWorks() {
        World bare = new World(false);
        NewResident n = bare.add("王芳");
        assertNotNull(bare.register.resident(bare.office, n.resident().id()));
    }
}
