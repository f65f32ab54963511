package org.gatehouse.core.internal.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class OwnedRoutesTest {
    @Test
    void removesExactlyTheRoutesAnOwnerAdded() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.start();
        OwnedRoutes owned = new OwnedRoutes(context);
        Object a = new Object();
        Object b = new Object();
        owned.add(a, routes("a1", "a2"));
        owned.add(b, routes("b1"));
        assertEquals(3, context.getRoutes().size());
        assertEquals(Set.of("a1", "a2"), owned.remove(a));
        assertNull(context.getRoute("a1"));
        assertEquals("b1", context.getRoutes().get(0).getRouteId());
        assertEquals(Set.of(), owned.remove(a));
        context.stop();
    }

    @Test
    void aBrokenBuilderLeavesNothingBehind() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.start();
        OwnedRoutes owned = new OwnedRoutes(context);
        RouteBuilder broken = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ok").routeId("ok").to("log:x");
                from("nosuchscheme:x").routeId("bad").to("log:x");
            }
        };
        assertThrows(Exception.class, () -> owned.add(broken, broken));
        assertEquals(0, context.getRoutes().size());
        context.stop();
    }

    private static RouteBuilder routes(String... ids) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String id : ids) {
                    from("direct:" + id).routeId(id).to("log:" + id);
                }
            }
        };
    }
}
