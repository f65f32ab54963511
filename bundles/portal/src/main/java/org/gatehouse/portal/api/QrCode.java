package org.gatehouse.portal.api;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/** A QR code of a text (a visitor pass's code), drawn in the browser by the qrcode package (MIT, from npm). */
@Tag("gatehouse-qr")
@NpmPackage(value = "qrcode", version = "1.5.4")
@JsModule("./gatehouse-qr.js")
public class QrCode extends Component implements HasSize {
    private static final long serialVersionUID = 1L;

    public QrCode(String value) {
        setWidth("200px");
        setHeight("200px");
        setValue(value);
    }

    public void setValue(String value) {
        getElement().setProperty("value", value == null ? "" : value);
    }

    public String getValue() {
        return getElement().getProperty("value", "");
    }
}
