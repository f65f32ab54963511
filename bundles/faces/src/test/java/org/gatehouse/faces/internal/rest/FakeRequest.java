package org.gatehouse.faces.internal.rest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.gatehouse.core.api.Caller;
import org.gatehouse.core.api.RestHandler;
import org.gatehouse.core.api.RestRequest;
import org.gatehouse.core.api.RestRoutes;
import org.gatehouse.faces.internal.MemoryTemplates;
import org.gatehouse.faces.internal.StoredFaceRegistry;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.internal.gallery.QuantizedGallery;
import org.osgi.util.converter.Converters;

/** A request as the core hands it to a handler: caller, query and the multipart part {@code image}. */
record FakeRequest(Caller caller, Map<String, String> query, byte[] image) implements RestRequest {
    @Override
    public String path(String name) {
        return null;
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public Locale locale() {
        return Locale.ENGLISH;
    }

    @Override
    public <T> T body(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<InputStream> part(String name) {
        return "image".equals(name) && image != null ? Optional.of(new ByteArrayInputStream(image)) : Optional.empty();
    }

    /** A resource's routes as the core sees them: roles, summary and handler by "METHOD /path". */
    record Route(Set<String> roles, String summary, RestHandler handler) {
    }

    /** The registry over a real engine and gallery, templates in memory. */
    static StoredFaceRegistry registry(FaceEngine engine, float threshold) {
        QuantizedGallery gallery = new QuantizedGallery(engine.templateDimension());
        return new StoredFaceRegistry(engine, gallery, new MemoryTemplates(),
                new org.gatehouse.faces.internal.FixedBands(gallery, threshold));
    }

    static Map<String, Route> routes(FaceResource resource) {
        Map<String, Route> routes = new HashMap<>();
        resource.routes(new RestRoutes() {
            @Override
            public RestRoutes route(String method, String path, Set<String> roles, String summary, Class<?> req,
                                    Class<?> resp, RestHandler handler) {
                routes.put(method + " " + path, new Route(roles, summary, handler));
                return this;
            }
        });
        return routes;
    }
}
