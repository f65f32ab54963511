package org.gatehouse.whitelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.PopulationChange;
import org.gatehouse.api.model.PopulationChangeType;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.testing.MemoryServices;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.junit.jupiter.api.Test;

/**
 * Cards, ID cards and PINs checked from the in-memory copy while the database is down ({@link OfflineWhitelist},
 * {@link OfflineWhitelistFollower}, {@link AccessPolicy}); the store's own answers while it is up.
 */
class OfflineWhitelistTest extends ServicesOverFakes {
    static final Instant AT = Instant.parse("2026-12-01T08:00:00Z");
    final OfflineWhitelistFollower follower = new OfflineWhitelistFollower(w.offline);
    /** Outbox entries already handed to the follower. */
    private int followed;

    private AccessCheck card(String number) {
        return w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.CARD, number, AT);
    }

    private String residentWithCard(String name, String card) {
        String id = w.add(name).resident().id();
        w.issuer.issueCredential(w.office, id, CredentialKind.CARD, card);
        return id;
    }

    /** Hands the credential changes written since the last call to the follower, as the stream would. */
    private void follow() {
        var entries = w.outbox.entries;
        for (; followed < entries.size(); followed++) {
            if (entries.get(followed).stream().equals(Streams.CREDENTIAL_CHANGES)) {
                follower.credentialChange(entries.get(followed).payloadJson());
            }
        }
    }

    private void down() {
        w.communities.down = true;
    }

    @Test
    void aCardOpensWithTheDatabaseDownOnceTheCopyWasLoaded() {
        String wang = residentWithCard("王芳", "C-1001");
        AccessCheck online = card("C-1001");
        assertTrue(online.allowed(), online.toString());
        assertFalse(online.offline(), "the store answered");
        assertEquals(Set.of(w.sunshine.id()), w.offline.communities(), "the first use loaded the community");

        down();
        AccessCheck offline = card(" c-1001"); // normalised the way it was stored
        assertTrue(offline.allowed(), offline.toString());
        assertTrue(offline.offline(), "answered from the copy");
        assertEquals(AccessCheck.Reason.VALID, offline.reason());
        assertEquals(wang, offline.residentId());
        assertEquals(w.sunshine.id(), offline.communityId());
    }

    @Test
    void withoutACopyTheDatabaseBeingDownStillFails() {
        residentWithCard("王芳", "C-1001");
        down();
        assertThrows(StoreUnavailableException.class, () -> card("C-1001"), "nothing loaded: nothing to answer from");
        assertThrows(StoreUnavailableException.class,
                () -> w.gate.check(Scope.all(), "anyone", AT));
    }

    @Test
    void anUnknownCardIsDeniedOffline() {
        residentWithCard("王芳", "C-1001");
        card("C-1001");
        down();
        AccessCheck c = card("C-9999");
        assertFalse(c.allowed());
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, c.reason());
        assertTrue(c.offline());
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, card("not a card!").reason(), "a malformed value");
        // an ID card and a PIN are other kinds: the card's hash never matches them
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, w.gate.checkCredential(w.office.scope(),
                w.sunshine.id(), CredentialKind.PIN, "1001", AT).reason());
    }

    @Test
    void idCardsAndPinsOpenOfflineAndAPinOfAnotherCommunityDoesNot() {
        String wang = residentWithCard("王芳", "C-1001");
        w.issuer.issueCredential(w.office, wang, CredentialKind.ID_CARD, ID_CARD);
        w.issuer.issueCredential(w.office, wang, CredentialKind.PIN, "482915");
        card("C-1001");
        down();
        Scope scope = w.office.scope();
        assertEquals(wang, w.gate.checkCredential(scope, w.sunshine.id(), CredentialKind.ID_CARD, ID_CARD.toLowerCase(),
                AT).residentId());
        AccessCheck pin = w.gate.checkCredential(scope, w.sunshine.id(), CredentialKind.PIN, "482915", AT);
        assertTrue(pin.allowed() && pin.offline(), pin.toString());
        assertThrows(StoreUnavailableException.class, () -> w.gate.checkCredential(Scope.all(), "another-community",
                CredentialKind.PIN, "482915", AT), "a community not held is not answered for");
    }

    @Test
    void aLeaseThatHadEndedIsDeniedOffline() {
        String id = w.register.addResident(w.office, w.wang.id(), new ResidentInput("赵强", ResidentRole.TENANT, null,
                null, "2026-01-01", "2026-10-31", null)).resident().id();
        w.issuer.issueCredential(w.office, id, CredentialKind.CARD, "C-2002");
        assertEquals(AccessCheck.Reason.LEASE_ENDED, card("C-2002").reason(), "online");
        down();
        AccessCheck c = card("C-2002");
        assertEquals(AccessCheck.Reason.LEASE_ENDED, c.reason());
        assertFalse(c.allowed());
        assertTrue(c.offline());
        assertEquals(AccessCheck.Reason.NOT_YET_VALID, w.gate.checkCredential(w.office.scope(), w.sunshine.id(),
                CredentialKind.CARD, "C-2002", Instant.parse("2025-12-01T00:00:00Z")).reason());
    }

    @Test
    void aLeaseShortenedOnlineIsKnownOfflineOnceItsEventWasSeen() {
        String id = residentWithCard("王芳", "C-1001");
        card("C-1001"); // loaded with the lease to 2027-12-31
        Resident r = w.households.resident(Scope.all(), id).orElseThrow();
        Resident shortened = new Resident(r.id(), r.communityId(), r.householdId(), r.name(), r.role(), null, null,
                r.validFrom(), Instant.parse("2026-11-30T16:00:00Z"), Set.of());
        w.households.updateResident(Scope.all(), shortened); // the store would write OCCUPANCY_CHANGE
        PopulationChange event = new PopulationChange(MemoryServices.id(), w.sunshine.id(),
                PopulationChangeType.OCCUPANCY_CHANGE, id, r.householdId(), w.flat101.id(), AT, "validUntil");
        assertTrue(follower.populationChange(json(event)));
        down();
        assertEquals(AccessCheck.Reason.LEASE_ENDED, card("C-1001").reason());
    }

    @Test
    void aCardRevokedOnlineIsDeniedOfflineOnceItsEventWasSeen() {
        String wang = residentWithCard("王芳", "C-1001");
        card("C-1001");
        Credential c = active(wang, CredentialKind.CARD).get(0);
        w.issuer.revokeCredential(w.office, wang, c.id());
        follow();
        down();
        AccessCheck check = card("C-1001");
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, check.reason());
        assertTrue(check.offline());
    }

    @Test
    void aRevocationWhoseEventWasNotSeenIsNotKnownOffline() {
        // the limitation the class comment states: the copy only knows what reached it
        String wang = residentWithCard("王芳", "C-1001");
        card("C-1001");
        w.issuer.revokeCredential(w.office, wang, active(wang, CredentialKind.CARD).get(0).id());
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, card("C-1001").reason(), "the store knows at once");
        down();
        assertTrue(card("C-1001").allowed(), "the copy was not told");
    }

    @Test
    void aCardIssuedAfterTheLoadOpensOfflineOnceItsEventWasSeen() {
        residentWithCard("王芳", "C-1001");
        card("C-1001");
        String li = residentWithCard("李明", "C-3003"); // a move-in and a card after the load
        follow();
        down();
        AccessCheck c = card("C-3003");
        assertTrue(c.allowed(), c.toString());
        assertEquals(li, c.residentId());
    }

    @Test
    void aResidentWhoMovedOutIsForgottenOnceTheEventsWereSeen() {
        String wang = residentWithCard("王芳", "C-1001");
        card("C-1001");
        w.register.removeResident(w.office, wang); // revokes every credential (events), removes the resident
        follow();
        down();
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, card("C-1001").reason());
        assertThrows(StoreUnavailableException.class, () -> w.gate.check(w.office.scope(), wang, AT),
                "not held any more: the copy does not answer for them");
    }

    @Test
    void wrongPinsOfflineAreThrottledPerTerminal() {
        String wang = residentWithCard("王芳", "C-1001");
        w.issuer.issueCredential(w.office, wang, CredentialKind.PIN, "482915");
        card("C-1001");
        down();
        for (int guess = 0; guess < 5; guess++) {
            AccessCheck c = w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN,
                    String.format("%06d", guess), AT, "gate-east");
            assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, c.reason(), "guess " + guess);
            assertTrue(c.offline());
        }
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, w.gate.checkCredential(w.office.scope(), w.sunshine.id(),
                CredentialKind.PIN, "000009", AT, "gate-east").reason());
        assertEquals(AccessCheck.Reason.TOO_MANY_ATTEMPTS, w.gate.checkCredential(w.office.scope(), w.sunshine.id(),
                CredentialKind.PIN, "482915", AT, "gate-east").reason(), "even the right PIN while locked");
        assertTrue(w.gate.checkCredential(w.office.scope(), w.sunshine.id(), CredentialKind.PIN, "482915", AT,
                "gate-west").allowed(), "another terminal is not locked");
    }

    @Test
    void theStoreAnswersWhileItIsUpEvenWhenTheCopyDiffers() {
        String wang = residentWithCard("王芳", "C-1001");
        card("C-1001");
        w.issuer.revokeCredential(w.office, wang, active(wang, CredentialKind.CARD).get(0).id()); // event not followed
        AccessCheck c = card("C-1001");
        assertEquals(AccessCheck.Reason.CREDENTIAL_UNKNOWN, c.reason(), "the store's answer, not the copy's");
        assertFalse(c.offline());
        AccessCheck lease = w.gate.check(w.office.scope(), wang, AT);
        assertTrue(lease.allowed());
        assertFalse(lease.offline());
    }

    @Test
    void theLeaseAndBuildingOfAHeldResidentAreAnsweredOffline() {
        String wang = residentWithCard("王芳", "C-1001");
        card("C-1001");
        down();
        AccessCheck c = w.gate.check(w.office.scope(), wang, AT);
        assertTrue(c.allowed() && c.offline(), c.toString());
        Whitelist.OfflineResident r = w.gate.offlineResident(w.office.scope(), wang).orElseThrow();
        assertEquals(w.building.id(), r.buildingId());
        assertEquals(Instant.parse("2027-12-31T16:00:00Z"), r.validUntil());
        assertTrue(w.gate.offlineResident(Scope.of("another-community"), wang).isEmpty(), "out of scope");
    }

    @Test
    void appCodesAreCheckedOnlineOnly() {
        var n = w.add("王芳");
        w.issuer.issueCredential(w.office, n.resident().id(), CredentialKind.CARD, "C-1001");
        card("C-1001");
        String code = Totp.code(decodeBase32(n.appToken().secret()), AT);
        down();
        assertThrows(StoreUnavailableException.class,
                () -> w.gate.checkAppCode(w.office.scope(), n.resident().id(), code, AT, "gate-east"));
    }

    @Test
    void aCommunityOverTheBoundIsNotKept() {
        OfflineWhitelist small = new OfflineWhitelist(w.households, w.credentials, w.communities, Runnable::run,
                Clock.systemUTC(), 1);
        residentWithCard("王芳", "C-1001");
        residentWithCard("李明", "C-3003");
        assertFalse(small.load(w.sunshine.id()));
        assertTrue(small.communities().isEmpty());
        assertEquals(0, small.residents());
        assertTrue(w.offline.load(w.sunshine.id()));
        assertEquals(2, w.offline.residents());
    }

    @Test
    void aLoadThatFailedIsTriedAgainOnALaterUseAfterAMinute() {
        residentWithCard("王芳", "C-1001");
        Instant[] now = {AT};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        OfflineWhitelist copy = new OfflineWhitelist(w.households, w.credentials, w.communities, Runnable::run, clock,
                1000);
        down();
        copy.wanted(w.sunshine.id());
        assertTrue(copy.communities().isEmpty(), "the load failed");
        w.communities.down = false;
        copy.wanted(w.sunshine.id());
        assertTrue(copy.communities().isEmpty(), "not tried again at once");
        now[0] = AT.plusSeconds(61);
        copy.wanted(w.sunshine.id());
        assertEquals(Set.of(w.sunshine.id()), copy.communities());
    }

    @Test
    void aLeaseCheckTheStoreAnsweredAlsoLoadsTheCommunity() {
        String wang = residentWithCard("王芳", "C-1001");
        assertTrue(w.gate.check(w.office.scope(), wang, AT).allowed());
        down();
        assertTrue(card("C-1001").allowed());
    }

    @Test
    void eventsOfOtherCommunitiesAndFacesAreIgnored() {
        residentWithCard("王芳", "C-1001");
        card("C-1001");
        assertFalse(follower.credentialChange("{\"communityId\":\"elsewhere\",\"residentId\":\"x\",\"change\":\"ISSUED\","
                + "\"kind\":\"CARD\"}"));
        assertFalse(follower.credentialChange("{\"communityId\":\"" + w.sunshine.id() + "\",\"residentId\":\"x\","
                + "\"change\":\"FACE_DELETED\",\"kind\":\"FACE\"}"));
        assertFalse(follower.credentialChange("not json"));
    }

    private static String json(Object value) {
        try {
            return MemoryServices.JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
