package org.gatehouse.core.internal.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.api.service.IdNumbers;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purpose limitation of the {@code population-changes} stream: which fields of an event's {@code person} each consumer
 * receives. Every consumer gets the default selection (name and role unless configured otherwise); a consumer named
 * in the configuration ({@code <consumer id or route id>=<field>,<field>}, several separated by {@code ;}) gets
 * exactly its own. {@code idNumber} is
 * never in the stored event: it is opened from the resident's sealed ID card ({@link IdNumbers}) at delivery, only
 * for the consumers configured for it. The relay audits the fields each delivery carried.
 */
final class PersonFields {
    static final String ID_NUMBER = "idNumber";
    /** The person fields a consumer may be given, in the event's order. */
    static final List<String> KNOWN = List.of("name", "role", "birthDate", "phone", ID_NUMBER);
    private static final Logger LOG = LoggerFactory.getLogger(PersonFields.class);

    private final Set<String> defaults;
    private final Map<String, Set<String>> perConsumer = new ConcurrentHashMap<>();
    private final Supplier<Optional<IdNumbers>> idNumbers;

    /**
     * @param defaults    the default selection, e.g. {@code "name,role"} (blank: none)
     * @param perConsumer entries {@code <consumer id or route id>=<fields>}
     * @param idNumbers   the service opening sealed ID numbers, if installed
     */
    PersonFields(String defaults, String[] perConsumer, Supplier<Optional<IdNumbers>> idNumbers) {
        this.defaults = parse(defaults, "personFields");
        this.idNumbers = idNumbers;
        for (String entry : perConsumer == null ? List.<String>of() : Arrays.stream(perConsumer)
                .flatMap(e -> Arrays.stream(e.split(";"))).map(String::trim).filter(e -> !e.isEmpty()).toList()) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                LOG.warn("consumerPersonFields entry '{}' ignored: write <consumer or route id>=<field>,<field>", entry);
                continue;
            }
            this.perConsumer.put(entry.substring(0, eq).trim(), parse(entry.substring(eq + 1), entry));
        }
        if (this.defaults.contains(ID_NUMBER)) {
            LOG.warn("personFields gives ID numbers to every consumer: name the consumers that need them in "
                    + "consumerPersonFields instead");
        }
    }

    /** The fields {@code consumerId} ({@code <stream>/<route id>}) receives. */
    Set<String> fieldsFor(String consumerId) {
        Set<String> own = perConsumer.get(consumerId);
        if (own == null) {
            int slash = consumerId.indexOf('/');
            own = perConsumer.get(slash < 0 ? consumerId : consumerId.substring(slash + 1));
        }
        return own == null ? defaults : own;
    }

    /** The event's body as {@code consumerId} receives it, and the person fields it carries. */
    Shaped shape(String consumerId, OutboxEntry entry) {
        if (!Streams.POPULATION_CHANGES.equals(entry.stream())) {
            return new Shaped(entry.payloadJson(), List.of());
        }
        ObjectNode event;
        try {
            event = (ObjectNode) Json.mapper().readTree(entry.payloadJson());
        } catch (JsonProcessingException | ClassCastException e) {
            return new Shaped(entry.payloadJson(), List.of()); // not ours to judge: the consumer sees it as stored
        }
        JsonNode person = event.get("person");
        if (person == null || !person.isObject()) {
            return new Shaped(entry.payloadJson(), List.of());
        }
        Set<String> wanted = fieldsFor(consumerId);
        ObjectNode shaped = Json.mapper().createObjectNode();
        List<String> carried = new ArrayList<>();
        for (String field : KNOWN) {
            JsonNode value = person.get(field);
            if (ID_NUMBER.equals(field) && wanted.contains(field)) {
                String residentId = event.path("residentId").asText(null);
                Optional<String> number = residentId == null ? Optional.empty()
                        : idNumbers.get().flatMap(s -> s.idNumber(residentId));
                value = number.map(n -> (JsonNode) Json.mapper().getNodeFactory().textNode(n)).orElse(null);
            }
            if (wanted.contains(field) && value != null && !value.isNull()) {
                shaped.set(field, value);
                carried.add(field);
            } else {
                shaped.putNull(field); // the event's shape stays the schema's: a field not given is null
            }
        }
        if (carried.isEmpty()) {
            event.putNull("person");
        } else {
            event.set("person", shaped);
        }
        return new Shaped(event.toString(), carried);
    }

    private static Set<String> parse(String fields, String where) {
        Set<String> parsed = new LinkedHashSet<>();
        if (fields == null || fields.isBlank()) {
            return parsed;
        }
        for (String f : fields.split(",")) {
            String field = f.trim();
            if (field.isEmpty()) {
                continue;
            }
            if (KNOWN.contains(field)) {
                parsed.add(field);
            } else {
                LOG.warn("{}: unknown person field '{}' ignored (known: {})", where, field, KNOWN);
            }
        }
        return Set.copyOf(parsed);
    }

    /** An event's body for one consumer and the person fields it carries. */
    record Shaped(String body, List<String> personFields) {
    }

    @Override
    public String toString() {
        return "default " + defaults + perConsumer.entrySet().stream()
                .map(e -> ", " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
    }
}
