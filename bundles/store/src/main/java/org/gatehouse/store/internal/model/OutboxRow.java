package org.gatehouse.store.internal.model;

/** Persistent row of table {@code outbox} (ObjEntity {@code Outbox}). */
public class OutboxRow extends Row {
    private static final long serialVersionUID = 1L;
}
