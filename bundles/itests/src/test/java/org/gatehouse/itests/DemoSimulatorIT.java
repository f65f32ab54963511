package org.gatehouse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.gatehouse.api.model.AlertType;
import org.gatehouse.api.model.Community;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.PassageEvent;
import org.gatehouse.api.model.Verdict;
import org.gatehouse.api.service.AlertRepository;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.PassageRepository;
import org.gatehouse.api.service.Scope;
import org.gatehouse.whitelist.api.AccessCheck;
import org.gatehouse.whitelist.api.Whitelist;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The distribution as it ships, demo simulator included (the other tests switch it off): within a minute of boot the
 * demo community has passages from the simulator at its own devices, with the demo cards, allowed ones among them,
 * the simulated door moved, and no terminal locked by the guessing throttle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DemoSimulatorIT extends GatehouseTestSupport {
    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        return baseOptions(true).toArray(new Option[0]);
    }

    @Test
    public void theDemoSimulatorsPassagesFlowAndItsDoorMoves() throws Exception {
        CommunityRepository communities = service(context, CommunityRepository.class);
        DeviceRepository devices = service(context, DeviceRepository.class);
        // all three demo terminals (the seeder registers them one by one: a passage at the third one must count too)
        await("demo devices", 60000, () -> communities.communityByCode(Scope.all(), "SUNSHINE")
                .map(c -> devices.devices(Scope.all(), c.id()).size() >= 3).orElse(false));
        Community demo = communities.communityByCode(Scope.all(), "SUNSHINE").orElseThrow();
        Set<String> demoDevices = devices.devices(Scope.all(), demo.id()).stream().map(Device::id)
                .collect(Collectors.toSet());
        Instant since = Instant.now().minus(1, ChronoUnit.HOURS);

        // passages from the simulator, at the demo's own devices, some of them allowed
        await("allowed passages at the demo devices", 60000, () -> {
            try {
                return passages(demo, since).stream().filter(p -> demoDevices.contains(p.deviceId()))
                        .filter(p -> p.decision().verdict() == Verdict.ALLOW).count() >= 2;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<PassageEvent> passages = passages(demo, since);
        assertTrue(passages.toString(), passages.stream().allMatch(p -> demoDevices.contains(p.deviceId())));
        assertTrue(passages.toString(), passages.stream().allMatch(p -> p.credentialKind() == CredentialKind.CARD));
        // only issued cards: nothing unknown, no terminal refused by the guessing throttle, no guessing alert
        for (PassageEvent p : passages) {
            String reasons = p.decision().reasons().toString();
            assertFalse(reasons, reasons.contains("CREDENTIAL_UNKNOWN") || reasons.contains("TOO_MANY_ATTEMPTS"));
        }
        assertTrue(service(context, AlertRepository.class).alerts(Scope.all(), demo.id(), null, 200).stream()
                .noneMatch(a -> a.type() == AlertType.CODE_GUESSING));

        // the demo cards are the whitelist's (found through its keyed hash)
        AccessCheck card = service(context, Whitelist.class).checkCredential(Scope.all(), demo.id(),
                CredentialKind.CARD, "DEMO-1-101", Instant.now());
        assertTrue(card.toString(), card.allowed());

        // the simulated door moved for the demo devices, and the shell shows the run
        String doors = shell(sessionFactory, "gatehouse:sim-doors");
        assertTrue(doors, demoDevices.stream().anyMatch(doors::contains));
        String allowed = passages.stream().filter(p -> p.decision().verdict() == Verdict.ALLOW).findFirst()
                .orElseThrow().id();
        assertTrue(doors + " / " + allowed, doors.contains("passage "));
        String status = shell(sessionFactory, "gatehouse:simulate --status");
        assertTrue(status, status.contains("RUNNING"));
        assertEquals(status, -1, status.indexOf("Exception"));

        // welfare (README walk-through): the demo's contacts are set, and of the residents living alone exactly one,
        // the one without a card, raises an inactivity alert, evaluated at the next noon (clear of quiet hours)
        await("the demo's welfare contacts", 60000, () -> {
            try {
                var found = service(context, org.osgi.service.cm.ConfigurationAdmin.class).listConfigurations(
                        "(&(service.factoryPid=org.gatehouse.welfare.community)(communityId=" + demo.id() + "))");
                return found != null && found.length == 1;
            } catch (Exception e) {
                return false;
            }
        });
        java.time.ZonedDateTime local = Instant.now().atZone(java.time.ZoneId.of("Asia/Shanghai"));
        java.time.ZonedDateTime noon = local.with(java.time.LocalTime.NOON);
        String asOf = (noon.isBefore(local) ? noon.plusDays(1) : noon).toOffsetDateTime().toString();
        String checked = shell(sessionFactory, "gatehouse:welfare-check --as-of " + asOf);
        assertEquals(checked, -1, checked.indexOf("Exception"));
        HouseholdRepository households = service(context, HouseholdRepository.class);
        List<String> silent = service(context, org.gatehouse.api.service.WelfareCaseRepository.class)
                .cases(Scope.all(), demo.id(), null, AlertType.WELFARE_INACTIVITY, 100).stream()
                .map(c -> c.subjectId()).distinct().toList();
        org.gatehouse.api.service.CredentialRepository credentials =
                service(context, org.gatehouse.api.service.CredentialRepository.class);
        List<String> withoutCard = new java.util.ArrayList<>();
        for (String residentId : silent) {
            org.gatehouse.api.model.Resident r = households.resident(Scope.all(), residentId).orElseThrow();
            assertTrue("only residents living alone are watched: " + r,
                    r.careFlags().contains(org.gatehouse.api.model.CareFlag.LIVES_ALONE));
            if (credentials.credentials(Scope.all(), residentId).stream()
                    .noneMatch(c -> c.isActive() && c.kind() == CredentialKind.CARD)) {
                withoutCard.add(residentId);
            }
        }
        // the others living alone pass with their demo cards (their alerts, if raised before, close by themselves)
        assertEquals(checked + " " + silent, 1, withoutCard.size());
        String list = shell(sessionFactory, "gatehouse:welfare-list --kind WELFARE_INACTIVITY");
        assertTrue(list, list.contains(withoutCard.get(0)));
    }

    private List<PassageEvent> passages(Community demo, Instant since) throws InterruptedException {
        return service(context, PassageRepository.class).passages(Scope.all(), demo.id(), since,
                Instant.now().plusSeconds(60), 500);
    }
}
