package org.gatehouse.whitelist.internal;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.OutboxRepository;
import org.gatehouse.api.stream.Streams;

/** Appends credential changes to the outbox as JSON of the api records (ISO instants). */
public final class Events {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final OutboxRepository outbox;

    public Events(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    public CredentialChange credential(Credential c, CredentialChange.Change change, Instant at) {
        return credential(c.communityId(), c.residentId(), change, c.kind(), c.id(), at);
    }

    public CredentialChange credential(String communityId, String residentId, CredentialChange.Change change,
                                       CredentialKind kind, String credentialId, Instant at) {
        CredentialChange event = new CredentialChange(UUID.randomUUID().toString(), communityId, residentId, change,
                kind, credentialId, at);
        outbox.append(Streams.CREDENTIAL_CHANGES, event.id(), communityId, write(event));
        return event;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
    }
}
