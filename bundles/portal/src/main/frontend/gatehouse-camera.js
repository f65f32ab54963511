// <gatehouse-camera>: the browser's camera for taking a face photo at the office desk. Shows the live picture;
// capture() takes one frame as a JPEG and fires "captured" with it (base64) for the server to check. The stream
// stops when the element goes away; nothing is recorded or kept in the page.
class GatehouseCamera extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = '<style>:host{display:block}video{width:100%;max-width:480px;background:#222;'
      + 'border-radius:6px}</style>'
      + '<video autoplay playsinline muted></video>';
  }

  async connectedCallback() {
    const video = this.shadowRoot.querySelector('video');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
      video.srcObject = this.stream;
      await video.play();
      this.dataset.ready = 'true';
      this.dispatchEvent(new CustomEvent('camera-ready'));
    } catch (e) {
      this.dataset.error = String(e && e.name ? e.name : e);
      this.dispatchEvent(new CustomEvent('camera-error', { detail: { error: this.dataset.error } }));
    }
  }

  disconnectedCallback() {
    if (this.stream) {
      this.stream.getTracks().forEach(t => t.stop());
      this.stream = null;
    }
  }

  capture() {
    const video = this.shadowRoot.querySelector('video');
    if (!video.videoWidth) {
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    const data = canvas.toDataURL('image/jpeg', 0.92);
    this.dispatchEvent(new CustomEvent('captured', { detail: { data: data.substring(data.indexOf(',') + 1) } }));
  }
}

customElements.define('gatehouse-camera', GatehouseCamera);
