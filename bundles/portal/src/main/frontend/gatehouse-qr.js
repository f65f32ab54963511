// <gatehouse-qr>: a QR code of the "value" property, drawn in the browser by the qrcode package (MIT, from npm at
// build time) as an SVG; nothing leaves the page.
import QRCode from 'qrcode';

class GatehouseQr extends HTMLElement {
  set value(v) {
    this._value = v;
    this.draw();
  }

  get value() {
    return this._value;
  }

  connectedCallback() {
    this.draw();
  }

  draw() {
    if (!this._value || !this.isConnected) {
      return;
    }
    QRCode.toString(this._value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }, (err, svg) => {
      if (!err) {
        this.innerHTML = svg;
        this.dataset.drawn = 'true';
      }
    });
  }
}

customElements.define('gatehouse-qr', GatehouseQr);
