package org.gatehouse.store.internal.repo;

import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialChange;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.Json;

/**
 * Appends {@link CredentialChange}s to the {@code credential-changes} outbox inside the caller's transaction, on its
 * connection: the event is stored if and only if the change that caused it commits. Call it after the change was
 * flushed ({@code context.commitChanges()} inside {@code store.write}), so a failing event insert rolls the change
 * back and a failing change never leaves an event.
 */
final class CredentialEvents {
    private CredentialEvents() {
    }

    static CredentialChange append(CayenneStore store, Credential credential, CredentialChange.Change change) {
        return append(store, credential.communityId(), credential.residentId(), change, credential.kind(),
                credential.id());
    }

    static CredentialChange faceDeleted(CayenneStore store, String communityId, String residentId) {
        return append(store, communityId, residentId, CredentialChange.Change.FACE_DELETED, CredentialKind.FACE, null);
    }

    private static CredentialChange append(CayenneStore store, String communityId, String residentId,
                                           CredentialChange.Change change, CredentialKind kind, String credentialId) {
        CredentialChange event = new CredentialChange(RepositoryQueries.newId(), communityId, residentId, change, kind,
                credentialId, RepositoryQueries.now());
        OutboxWriter.append(store, Streams.CREDENTIAL_CHANGES, event.id(), communityId, Json.write(event));
        return event;
    }
}
