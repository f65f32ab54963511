package org.gatehouse.store.internal.model;

/** Persistent row of table {@code welfare_case} (ObjEntity {@code WelfareCase}), next to its {@link AlertRow}. */
public class WelfareCaseRow extends Row {
    private static final long serialVersionUID = 1L;
}
