package org.gatehouse.core.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;

import org.gatehouse.api.keys.KeyRefusedException;
import org.junit.jupiter.api.Test;

/** What health and gatehouse:status say of a component that failed to activate. */
class ReadinessReasonTest {
    @Test
    void theComponentsOwnMessageInOneLineNotSCRsStackTrace() {
        KeyRefusedException refused = new KeyRefusedException("visitor", null,
                "The visitor key /x/etc/gatehouse-visitor.key is missing, but ...");
        StringWriter trace = new StringWriter();
        // SCR keeps the stack trace of what the constructor threw, wrapped by reflection
        new IllegalStateException("activation failed", new InvocationTargetException(refused))
                .printStackTrace(new PrintWriter(trace));
        assertEquals("The visitor key /x/etc/gatehouse-visitor.key is missing, but ...",
                Readiness.reason(trace.toString()));
        assertEquals("plain", Readiness.reason("plain"));
        assertEquals("(no reason given)", Readiness.reason(null));
    }
}
