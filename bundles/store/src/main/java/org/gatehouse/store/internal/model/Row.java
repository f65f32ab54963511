package org.gatehouse.store.internal.model;

import java.time.Instant;

import org.apache.cayenne.CayenneDataObject;

/** Base of the persistent rows: map-based Cayenne objects with typed accessors. */
public abstract class Row extends CayenneDataObject {
    private static final long serialVersionUID = 1L;

    public String str(String property) {
        return (String) readProperty(property);
    }

    public Instant instant(String property) {
        return (Instant) readProperty(property);
    }

    public int integer(String property) {
        Object v = readProperty(property);
        return v == null ? 0 : ((Number) v).intValue();
    }

    public Row set(String property, Object value) {
        writeProperty(property, value);
        return this;
    }
}
