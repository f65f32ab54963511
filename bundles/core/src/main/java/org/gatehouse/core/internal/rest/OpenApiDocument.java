package org.gatehouse.core.internal.rest;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gatehouse.core.api.Roles;
import org.gatehouse.core.internal.Json;
import org.gatehouse.core.internal.rest.RouteTable.ApiRoute;

/**
 * Builds the OpenAPI 3.0 document from the routes registered right now, with schemas of their records, and the
 * streams' events ({@link EventSchemas}). A record's schema follows the record: its components are the properties,
 * what its constructor refuses is {@code required} ({@link RecordConstraints}), what it keeps null is
 * {@code nullable}.
 */
final class OpenApiDocument {
    private OpenApiDocument() {
    }

    static ObjectNode build(Collection<ApiRoute> routes, String version) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Gatehouse API");
        info.put("version", version);
        info.put("description", "Face-recognition access control for residential communities. Errors are JSON "
                + "{status, code, message}. The events of the gatehouse: streams (Camel endpoints for route files, "
                + "not HTTP) are described in x-gatehouse-streams, their bodies in components.schemas.");
        doc.putArray("servers").addObject().put("url", "/api");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("ApiError", schemaOf(ApiError.class, schemas));
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("basic").put("type", "http").put("scheme", "basic");
        security.putObject("deviceToken").put("type", "http").put("scheme", "bearer");
        ObjectNode paths = doc.putObject("paths");
        for (ApiRoute route : routes) {
            ObjectNode pathItem = paths.has(route.path()) ? (ObjectNode) paths.get(route.path())
                    : paths.putObject(route.path());
            ObjectNode op = pathItem.putObject(route.method().toLowerCase());
            op.put("summary", route.summary());
            op.putArray("tags").add(route.tag());
            op.put("operationId", route.method().toLowerCase() + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
            if (!route.parameterNames().isEmpty()) {
                ArrayNode params = op.putArray("parameters");
                for (String name : route.parameterNames()) {
                    ObjectNode p = params.addObject();
                    p.put("name", name).put("in", "path").put("required", true);
                    p.putObject("schema").put("type", "string");
                }
            }
            if (route.roles().equals(Roles.PUBLIC)) {
                op.putArray("security");
            } else {
                ArrayNode sec = op.putArray("security");
                sec.addObject().putArray("basic");
                sec.addObject().putArray("deviceToken");
                op.put("x-roles", String.join(",", route.roles()));
            }
            if (route.requestType() != null) {
                ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
                content.putObject("application/json").set("schema", ref(route.requestType(), schemas));
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(route.method().equals("POST") ? "201" : "200");
            ok.put("description", "OK");
            if (route.responseType() != null) {
                ok.putObject("content").putObject("application/json").set("schema", ref(route.responseType(), schemas));
            }
            for (var e : Map.of("400", "Bad request", "401", "Not authenticated", "403", "Not allowed",
                    "404", "Not found", "503", "Database down").entrySet()) {
                responses.putObject(e.getKey()).put("description", e.getValue()).putObject("content")
                        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/ApiError");
            }
        }
        EventSchemas.addTo(doc, schemas);
        return doc;
    }

    /** {@code $ref} to the record's schema in {@code schemas} (added when missing), or the inline schema of a type. */
    static ObjectNode ref(Class<?> type, ObjectNode schemas) {
        if (type.isRecord()) {
            if (!schemas.has(type.getSimpleName())) {
                schemas.putObject(type.getSimpleName()); // placeholder against cycles
                schemas.set(type.getSimpleName(), schemaOf(type, schemas));
            }
            return Json.mapper().createObjectNode().put("$ref", "#/components/schemas/" + type.getSimpleName());
        }
        return typeSchema(type, null, schemas);
    }

    private static ObjectNode schemaOf(Class<?> record, ObjectNode schemas) {
        ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
        Map<String, RecordConstraints.Rule> rules = RecordConstraints.of(record);
        ArrayNode required = Json.mapper().createArrayNode();
        ObjectNode props = schema.putObject("properties");
        for (RecordComponent c : record.getRecordComponents()) {
            ObjectNode property = typeSchema(c.getType(), c.getGenericType(), schemas);
            RecordConstraints.Rule rule = rules.get(c.getName());
            if (rule == RecordConstraints.Rule.REQUIRED || rule == RecordConstraints.Rule.REQUIRED_TEXT) {
                required.add(c.getName());
            }
            if (rule == RecordConstraints.Rule.REQUIRED_TEXT) {
                property.put("pattern", "\\S"); // not blank
            } else if (rule == RecordConstraints.Rule.NULLABLE) {
                property = nullable(property);
            }
            props.set(c.getName(), property);
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** OpenAPI 3.0 ignores siblings of {@code $ref}: a nullable reference is {@code allOf} it. */
    private static ObjectNode nullable(ObjectNode schema) {
        if (schema.has("$ref")) {
            ObjectNode wrapped = Json.mapper().createObjectNode();
            wrapped.putArray("allOf").add(schema);
            return wrapped.put("nullable", true);
        }
        return schema.put("nullable", true);
    }

    private static ObjectNode typeSchema(Class<?> type, Type generic, ObjectNode schemas) {
        ObjectNode s = Json.mapper().createObjectNode();
        if (type == String.class) {
            s.put("type", "string");
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            s.put("type", "integer");
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            s.put("type", "number");
        } else if (type == boolean.class || type == Boolean.class) {
            s.put("type", "boolean");
        } else if (type == Instant.class) {
            s.put("type", "string").put("format", "date-time");
        } else if (type == LocalDate.class) {
            s.put("type", "string").put("format", "date");
        } else if (type.isEnum()) {
            s.put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                values.add(((Enum<?>) constant).name()); // what Jackson writes
            }
        } else if (Collection.class.isAssignableFrom(type)) {
            s.put("type", "array");
            s.set("items", elementSchema(generic, 0, schemas));
        } else if (Map.class.isAssignableFrom(type)) {
            s.put("type", "object");
            s.set("additionalProperties", elementSchema(generic, 1, schemas));
        } else if (type.isRecord()) {
            return ref(type, schemas);
        } else {
            s.put("type", "object");
        }
        return s;
    }

    private static ObjectNode elementSchema(Type generic, int index, ObjectNode schemas) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[index] instanceof Class<?> c) {
            return typeSchema(c, null, schemas);
        }
        return Json.mapper().createObjectNode();
    }
}
