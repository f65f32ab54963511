package org.gatehouse.core.internal.camel;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds routes to the platform context on behalf of an owner (a RoutesBuilder service, a route file)
 * and removes exactly those routes again when the owner goes away.
 */
public final class OwnedRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OwnedRoutes.class);

    private final CamelContext context;
    private final Map<Object, Set<String>> routesByOwner = new IdentityHashMap<>();

    public OwnedRoutes(CamelContext context) {
        this.context = context;
    }

    /** Adds the builder's routes for {@code owner}; on failure, removes whatever it had added and rethrows. */
    public synchronized Set<String> add(Object owner, RoutesBuilder builder) throws Exception {
        Set<String> before = routeIds();
        try {
            context.addRoutes(builder);
        } catch (Exception e) {
            removeIds(difference(routeIds(), before));
            throw e;
        }
        Set<String> added = difference(routeIds(), before);
        routesByOwner.computeIfAbsent(owner, o -> new LinkedHashSet<>()).addAll(added);
        LOG.info("Added routes {} for {}", added, owner);
        return added;
    }

    /** Stops and removes the routes that {@code owner} added. */
    public synchronized Set<String> remove(Object owner) {
        Set<String> ids = routesByOwner.remove(owner);
        if (ids == null) {
            return Set.of();
        }
        removeIds(ids);
        LOG.info("Removed routes {} of {}", ids, owner);
        return ids;
    }

    public synchronized Set<String> routesOf(Object owner) {
        return Set.copyOf(routesByOwner.getOrDefault(owner, Set.of()));
    }

    private void removeIds(Set<String> ids) {
        for (String id : ids) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Could not remove route {}: {}", id, e.toString());
            }
        }
    }

    private Set<String> routeIds() {
        List<Route> routes = context.getRoutes();
        return routes.stream().map(Route::getRouteId).collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<String> difference(Set<String> after, Set<String> before) {
        Set<String> added = new LinkedHashSet<>(after);
        added.removeAll(before);
        return added;
    }
}
