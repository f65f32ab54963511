package org.gatehouse.store.internal.model;

/** Persistent row of table {@code credential} (ObjEntity {@code Credential}). */
public class CredentialRow extends Row {
    private static final long serialVersionUID = 1L;
}
