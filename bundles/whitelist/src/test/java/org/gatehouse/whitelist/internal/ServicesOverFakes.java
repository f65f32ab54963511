package org.gatehouse.whitelist.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.gatehouse.api.model.Credential;
import org.gatehouse.api.model.CredentialKind;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.Scope;
import org.gatehouse.api.stream.Streams;

/** A fresh {@link World} per test, and what the tests of the whitelist's services look at in the fakes. */
abstract class ServicesOverFakes {
    static final String ID_CARD = "11010519491231002X";
    final World w = new World();

    List<JsonNode> events(String stream) {
        return w.outbox.entries.stream().filter(e -> e.stream().equals(stream)).map(OutboxEntry::payloadJson)
                .map(json -> {
                    try {
                        return Fakes.JSON.readTree(json);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    long changes(String residentId, String change) {
        return events(Streams.CREDENTIAL_CHANGES).stream()
                .filter(e -> e.get("residentId").asText().equals(residentId) && e.get("change").asText().equals(change))
                .count();
    }

    List<Credential> active(String residentId, CredentialKind kind) {
        return w.credentials.credentials(Scope.all(), residentId).stream()
                .filter(c -> c.isActive() && c.kind() == kind).toList();
    }

    static byte[] decodeBase32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
