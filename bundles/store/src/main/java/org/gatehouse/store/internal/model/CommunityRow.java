package org.gatehouse.store.internal.model;

/** Persistent row of table {@code community} (ObjEntity {@code Community}). */
public class CommunityRow extends Row {
    private static final long serialVersionUID = 1L;
}
