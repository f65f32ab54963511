package org.gatehouse.whitelist.internal;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.model.Consent;
import org.gatehouse.api.model.Resident;
import org.gatehouse.api.service.ConsentRepository;
import org.gatehouse.api.service.CredentialRepository;
import org.gatehouse.api.service.CredentialRepository.FacesEnded;
import org.gatehouse.api.service.HouseholdRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.core.api.AuditTrail;
import org.gatehouse.core.api.AuditTrails;
import org.gatehouse.core.api.Caller;
import org.gatehouse.faces.api.FaceRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link Consents} over the store (which ends the faces in the withdrawal's own transaction). */
@Component(service = Consents.class)
public class StoredConsents implements Consents {
    private final HouseholdRepository households;
    private final ConsentRepository consents;
    private final Gallery gallery;
    private final AuditTrail audit;

    @Activate
    public StoredConsents(@Reference HouseholdRepository households, @Reference ConsentRepository consents,
                          @Reference CredentialRepository credentials, @Reference FaceRegistry faces,
                          @Reference AuditTrails trails) {
        this.households = households;
        this.consents = consents;
        this.gallery = new Gallery(faces, credentials);
        this.audit = trails.of("whitelist");
    }


    private Resident findResident(Caller c, String id) {
        return households.resident(c.scope(), id).orElseThrow(() -> new NotFoundException("resident", id));
    }

    @Override
    public List<Consent> consents(Caller c, String residentId) {
        Resident r = findResident(c, residentId);
        List<Consent> list = consents.consents(c.scope(), residentId);
        audit.record(c.name(), "consent.view", r.communityId(), r.id(), list.size() + " consents");
        return list;
    }

    @Override
    public Consent giveConsent(Caller c, String residentId, String purpose, String noticeVersion, String channel) {
        Resident r = findResident(c, residentId);
        for (String[] f : new String[][] {{"purpose", purpose}, {"noticeVersion", noticeVersion}, {"channel", channel}}) {
            if (f[1] == null || f[1].isBlank()) {
                audit.refused(c.name(), "consent.give.refused", r.communityId(), r.id(), f[0] + " missing");
                throw MESSAGES.badRequest("field.required", f[0]);
            }
        }
        Optional<Consent> same = consents.inForce(c.scope(), residentId, purpose.trim())
                .filter(x -> x.noticeVersion().equals(noticeVersion.trim()));
        if (same.isPresent()) {
            return same.get();
        }
        Consent given = consents.give(c.scope(), residentId, purpose.trim(), noticeVersion.trim(), channel.trim(),
                c.name());
        audit.record(c.name(), "consent.give", r.communityId(), r.id(), given.purpose() + " notice "
                + given.noticeVersion() + " via " + given.channel());
        return given;
    }

    @Override
    public Withdrawal withdrawConsent(Caller c, String consentId) {
        ConsentRepository.Withdrawal withdrawal = consents.withdrawConsent(c.scope(), consentId);
        Consent consent = withdrawal.consent();
        int deleted = 0;
        List<String> revoked = new ArrayList<>();
        FacesEnded ended = withdrawal.facesEnded();
        if (ended != null) {
            gallery.refresh(c.scope(), consent.communityId(), consent.residentId());
            deleted = ended.templatesDeleted();
            ended.revoked().forEach(cr -> revoked.add(cr.id()));
        }
        audit.record(c.name(), "consent.withdraw", consent.communityId(), consent.residentId(),
                consent.purpose() + "; " + deleted + " face templates deleted, " + revoked.size() + " face credentials revoked");
        return new Withdrawal(consent, deleted, revoked);
    }
}
