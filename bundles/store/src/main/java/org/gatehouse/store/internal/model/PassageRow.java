package org.gatehouse.store.internal.model;

/** Persistent row of table {@code passage} (ObjEntity {@code Passage}). */
public class PassageRow extends Row {
    private static final long serialVersionUID = 1L;
}
