package org.gatehouse.store.internal.model;

/** Persistent row of table {@code face_template} (ObjEntity {@code FaceTemplate}). */
public class FaceTemplateRow extends Row {
    private static final long serialVersionUID = 1L;
}
