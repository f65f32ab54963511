package org.gatehouse.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.Accounts;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.Texts;
import org.gatehouse.portal.api.ViewEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.vaadin.flow.component.html.Div;

/**
 * A portal session lasts only as long as the login it was opened with: once an administrator removes the user, gives
 * them a new password or takes a role away, the session's next API call is refused (the action does nothing) and its
 * next navigation goes to the login page, and either ends the session.
 */
class ChangedLoginTest {
    static final Caller OFFICE = new Caller("office", Set.of("community-office", "community:SUNSHINE"),
            Scope.of(Set.of("c1")));

    /** The realm's users file as the fake holds it: user → password hash and roles; the stamp is the entry itself. */
    static final class FakeAccounts implements Accounts {
        final Map<String, String> entries = new ConcurrentHashMap<>();
        final AtomicInteger stamps = new AtomicInteger();

        @Override
        public boolean exists(String user) {
            return entries.containsKey(user);
        }

        @Override
        public String stamp(String user) {
            stamps.incrementAndGet();
            return entries.get(user);
        }

        @Override
        public void create(String user, char[] password, List<String> rolesAndGroups) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean removeIfPassword(String user, char[] password) {
            throw new UnsupportedOperationException();
        }
    }

    /** The API: records who called what, and answers 200. */
    static final class FakeApi implements LocalApi {
        final List<String> calls = new ArrayList<>();

        @Override
        public Caller login(String user, char[] password, String address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Answer call(Caller caller, Locale locale, String method, String path, Map<String, String> query,
                           Object body, Map<String, byte[]> parts) {
            calls.add(caller.name() + " " + method + " " + path);
            return new Answer(200, Map.of("done", true));
        }
    }

    @TempDir
    Path data;

    private final FakeAccounts accounts = new FakeAccounts();
    private volatile Accounts accountsNow = accounts;
    private final FakeApi api = new FakeApi();
    private final AtomicInteger ended = new AtomicInteger();
    private Portal portal;
    private LoginWatch watch;
    private PortalSession session;

    @BeforeEach
    void logIn() {
        accounts.entries.put("office", "{CRYPT}hash-1{CRYPT},community-office,community:SUNSHINE");
        accounts.entries.put("police", "{CRYPT}hash-2{CRYPT},police");
        portal = new Portal(() -> api, () -> accountsNow, new Languages(data.resolve("languages.properties")),
                ZoneId.of("Asia/Shanghai"), Locale.SIMPLIFIED_CHINESE, ended::incrementAndGet);
        // as LoginView does once the realm accepted the password
        watch = portal.watch("office");
        assertNotNull(watch);
        session = new PortalSession(OFFICE, portal.api(watch), portal.zone());
    }

    private static void assertRefusedAsChanged(LocalApi.Answer answer) {
        assertEquals(401, answer.status());
        assertEquals(SessionApi.LOGIN_CHANGED, answer.code());
        assertEquals("您的登录已被更改或删除，请重新登录。", answer.message(), "in the user's language, Chinese by default");
    }

    @Test
    void anUnchangedLoginsCallsGoThroughWithoutHashingAnyPassword() {
        LocalApi.Answer answer = session.post("/communities/SUNSHINE/residents", Map.of("name", "张伟"));
        assertTrue(answer.ok());
        assertEquals(200, session.get("/communities").status());
        accounts.entries.put("police", "{CRYPT}hash-3{CRYPT},police");
        assertTrue(session.get("/communities").ok(), "another user's change is not this login's");
        assertEquals(List.of("office POST /communities/SUNSHINE/residents", "office GET /communities",
                "office GET /communities"), api.calls);
        assertEquals(0, ended.get());
        assertEquals(4, accounts.stamps.get(), "one stamp at login, one look per call");
        assertEquals(PortalGuard.Step.PROCEED, new PortalGuard(portal).step(session, watch, DashboardView.class));
    }

    @Test
    void aRemovedUsersCallIsRefusedAndTheirSessionEnded() {
        accounts.entries.remove("office");
        assertRefusedAsChanged(session.post("/communities/SUNSHINE/residents", Map.of("name", "张伟")));
        assertTrue(api.calls.isEmpty(), "the action does nothing");
        assertEquals(1, ended.get(), "the browser session is ended");
    }

    @Test
    void aChangedPasswordsCallIsRefusedAndTheSessionEnded() {
        accounts.entries.put("office", "{CRYPT}hash-new{CRYPT},community-office,community:SUNSHINE");
        assertRefusedAsChanged(session.get("/communities"));
        assertTrue(api.calls.isEmpty());
        assertEquals(1, ended.get());
    }

    @Test
    void aRoleTakenAwayRefusesTheCallAndPuttingItBackDoesNotReviveTheSession() {
        accounts.entries.put("office", "{CRYPT}hash-1{CRYPT},community:SUNSHINE");
        assertRefusedAsChanged(session.get("/communities"));
        accounts.entries.put("office", "{CRYPT}hash-1{CRYPT},community-office,community:SUNSHINE");
        assertRefusedAsChanged(session.get("/communities"));
        assertTrue(api.calls.isEmpty());
        assertEquals(LoginWatch.State.CHANGED, watch.state());
    }

    @Test
    void aNavigationOfARemovedUserEndsTheSessionAndGoesToTheLoginPage() {
        PortalGuard guard = new PortalGuard(portal);
        accounts.entries.remove("office");
        assertEquals(PortalGuard.Step.LOGIN_CHANGED, guard.step(session, watch, DashboardView.class));
        assertEquals(1, ended.get());
        assertRefusedAsChanged(session.get("/communities"));
        assertTrue(api.calls.isEmpty());
    }

    @Test
    void aNavigationAfterAPasswordOrRoleChangeEndsTheSessionToo() {
        PortalGuard guard = new PortalGuard(portal);
        accounts.entries.put("office", "{CRYPT}hash-new{CRYPT},community-office,community:SUNSHINE");
        assertEquals(PortalGuard.Step.LOGIN_CHANGED, guard.step(session, watch, LoginView.class));
        assertEquals(1, ended.get());

        LoginWatch police = portal.watch("police");
        PortalSession policeSession = new PortalSession(new Caller("police", Set.of("police"), Scope.of(Set.of())),
                portal.api(police), portal.zone());
        accounts.entries.put("police", "{CRYPT}hash-2{CRYPT}");
        assertEquals(PortalGuard.Step.LOGIN_CHANGED, guard.step(policeSession, police, DashboardView.class));
        assertEquals(2, ended.get());
    }

    @Test
    void aSessionWithoutAWatchIsEndedAndNobodyLoggedInGoesToTheLoginPage() {
        PortalGuard guard = new PortalGuard(portal);
        assertEquals(PortalGuard.Step.LOGIN_CHANGED, guard.step(session, null, DashboardView.class));
        assertEquals(1, ended.get());
        assertEquals(PortalGuard.Step.LOG_IN, guard.step(null, null, DashboardView.class));
        assertEquals(PortalGuard.Step.PROCEED, guard.step(null, null, LoginView.class));
        assertEquals(1, ended.get());
    }

    @Test
    void anUnchangedLoginStillMeetsTheRolesCheck() {
        PortalGuard guard = new PortalGuard(portal);
        portal.put(new ViewEntry("audit", "audit.title", "vaadin:book", Set.of("city-admin"), Div.class, 9,
                Texts.of(ChangedLoginTest.class, "org.gatehouse.portal.internal.messages")));
        assertEquals(PortalGuard.Step.FORBIDDEN, guard.step(session, watch, Div.class));
        assertEquals(PortalGuard.Step.DASHBOARD, guard.step(session, watch, LoginView.class));
        assertEquals(0, ended.get());
    }

    @Test
    void whileTheAccountsCannotBeAskedCallsAreRefusedAndTheSessionKept() {
        accountsNow = null;
        LocalApi.Answer answer = session.get("/communities");
        assertEquals(503, answer.status());
        assertEquals(SessionApi.LOGIN_UNCHECKED, answer.code());
        assertEquals(PortalGuard.Step.PROCEED, new PortalGuard(portal).step(session, watch, DashboardView.class));
        assertEquals(0, ended.get());
        accountsNow = accounts;
        assertTrue(session.get("/communities").ok());
        assertEquals(List.of("office GET /communities"), api.calls);
    }

    @Test
    void aLoginTheAccountsDoNotHoldCannotBeWatched() {
        assertNull(portal.watch("nobody"), "not in the realm's users file: LoginView refuses it");
        accountsNow = null;
        assertNull(portal.watch("office"), "the accounts are not there: LoginView refuses it");
    }
}
