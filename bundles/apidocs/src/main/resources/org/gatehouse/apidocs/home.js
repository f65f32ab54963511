// Shows whether Gatehouse is up: /api/health answers UP, STARTING or DOWN to anyone.
(function () {
  var el = document.getElementById('status');
  var words = { UP: '正常 UP', STARTING: '启动中 STARTING', DOWN: '故障 DOWN' };
  fetch('/api/health', { credentials: 'omit' })
    .then(function (r) { return r.json(); })
    .then(function (h) { el.textContent = words[h.status] || h.status; el.className = h.status; })
    .catch(function () { el.textContent = '无法连接 unreachable'; el.className = 'DOWN'; });
})();
