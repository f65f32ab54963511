// <gatehouse-chart>: a Chart.js chart (MIT licence, from npm at build time) drawn from the JSON the server sets as
// its "config" property: {type, labels, datasets: [{label, data, color}], stacked}.
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
  Legend, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
  Legend, Tooltip);

class GatehouseChart extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = '<div style="position:relative;width:100%;height:100%"><canvas></canvas></div>';
  }

  set config(value) {
    this._config = typeof value === 'string' ? JSON.parse(value) : value;
    this.draw();
  }

  get config() {
    return this._config;
  }

  connectedCallback() {
    this.draw();
  }

  disconnectedCallback() {
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  }

  draw() {
    const c = this._config;
    if (!c || !this.isConnected) {
      return;
    }
    if (this.chart) {
      this.chart.destroy();
    }
    const canvas = this.shadowRoot.querySelector('canvas');
    this.chart = new Chart(canvas, {
      type: c.type || 'bar',
      data: {
        labels: c.labels,
        datasets: (c.datasets || []).map(d => ({ label: d.label, data: d.data, backgroundColor: d.color,
          borderColor: d.color, tension: 0.2 }))
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        scales: { x: { stacked: !!c.stacked }, y: { stacked: !!c.stacked, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    this.dataset.drawn = String(Date.now());
  }
}

customElements.define('gatehouse-chart', GatehouseChart);
