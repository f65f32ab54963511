package org.gatehouse.store.internal.model;

/** Persistent row of table {@code device} (ObjEntity {@code Device}). */
public class DeviceRow extends Row {
    private static final long serialVersionUID = 1L;
}
