package org.gatehouse.portal.api;

import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.UploadI18N;

/** An upload's own texts (its button, drop hint, file errors, progress) in the user's language. */
public final class Uploads {
    private static final Texts T = Texts.of(Uploads.class, "org.gatehouse.portal.internal.messages");

    private Uploads() {
    }

    public static Upload localize(Upload upload) {
        UploadI18N i18n = new UploadI18N();
        i18n.setAddFiles(new UploadI18N.AddFiles().setOne(T.t("upload.add")).setMany(T.t("upload.add")));
        i18n.setDropFiles(new UploadI18N.DropFiles().setOne(T.t("upload.drop")).setMany(T.t("upload.drop")));
        i18n.setError(new UploadI18N.Error().setTooManyFiles(T.t("upload.tooMany"))
                .setFileIsTooBig(T.t("upload.tooBig")).setIncorrectFileType(T.t("upload.wrongType")));
        i18n.setFile(new UploadI18N.File().setRemove(T.t("upload.remove")).setRetry(T.t("upload.retry"))
                .setStart(T.t("upload.start")));
        i18n.setUploading(new UploadI18N.Uploading()
                .setStatus(new UploadI18N.Uploading.Status().setConnecting(T.t("upload.connecting"))
                        .setProcessing(T.t("upload.processing")).setHeld(T.t("upload.held")).setStalled(T.t("upload.stalled")))
                .setRemainingTime(new UploadI18N.Uploading.RemainingTime().setPrefix(T.t("upload.remaining"))
                        .setUnknown(T.t("upload.remainingUnknown")))
                .setError(new UploadI18N.Uploading.Error().setServerUnavailable(T.t("upload.serverUnavailable"))
                        .setUnexpectedServerError(T.t("upload.serverError")).setForbidden(T.t("upload.forbidden"))));
        i18n.setUnits(java.util.List.of("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"));
        upload.setI18n(i18n);
        return upload;
    }
}
