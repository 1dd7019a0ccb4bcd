/**
 * The browser side of index.html: plain ES2017 (no build step, no network), kept as strings so the
 * report embeds exactly these bytes whichever way the package runs (dist/ or tsx).
 * It reads the JSON blocks the writer embedded, draws the charts with the inlined chart.js, and makes
 * the tables sortable, filterable and paged, with links between a point and its layers. A point's layers,
 * Pareto front and charts come from detail/<job>.js, loaded by a <script> tag when the point is shown
 * (fetch() is refused for file:// pages; a script beside the page is not).
 */

export const REPORT_CSS = `
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d9dee4; --head: #f3f5f7; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); margin: 0; background: #fff; }
header { padding: 18px 28px 8px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 2px 0; color: var(--muted); }
nav { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 28px; }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
main { padding: 8px 28px 40px; }
section { margin: 22px 0 34px; }
h2 { font-size: 19px; margin: 0 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
.chart { position: relative; width: 100%; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
.chart.half { flex: 1 1 640px; }
.note { color: var(--muted); font-size: 13px; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 12px; }
.summary dt { color: var(--muted); }
.summary dd { margin: 0; }
.tablebar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
.tablebar input[type=search] { min-width: 260px; padding: 3px 6px; }
.chip { background: #e8f0fc; border: 1px solid #b9cdf0; border-radius: 12px; padding: 1px 8px; }
.chip button { border: 0; background: none; cursor: pointer; color: var(--accent); font-weight: 700; }
.scroll { overflow: auto; max-height: 70vh; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; font-size: 12px; white-space: nowrap; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; }
th { position: sticky; top: 0; background: var(--head); cursor: pointer; user-select: none; z-index: 1; }
th.sorted-asc::after { content: " \\25B2"; font-size: 10px; }
th.sorted-desc::after { content: " \\25BC"; font-size: 10px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #fafbfc; }
tr.hl td { background: #fff4c2; }
tr.err td { color: #a33; }
a { color: var(--accent); }
select { max-width: 100%; padding: 3px; }
#t-points td[data-c="1"], #t-points th[data-i="1"] { position: sticky; left: 0; z-index: 2; background: #fff; box-shadow: 1px 0 0 var(--line); }
#t-points th[data-i="1"] { z-index: 3; background: var(--head); }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; margin: 4px 0 10px; padding: 8px 10px; background: var(--head); border-radius: 6px; }
.filters label { display: flex; gap: 6px; align-items: center; font-weight: 600; }
.filters .count { color: var(--muted); }
.wide-chart { overflow-x: auto; }
pre { background: var(--head); padding: 8px; border-radius: 4px; overflow: auto; max-height: 300px; font-size: 12px; }
`;

export const REPORT_JS = `
(function () {
  'use strict';
  var byId = function (id) { return document.getElementById(id); };
  var blob = function (id) { return JSON.parse(byId(id).textContent); };
  var cols = blob('d-columns');
  var data = { points: blob('d-points') };
  var boards = blob('d-boards');
  var report = { ready: false, charts: {}, tables: {}, selected: null, errors: [] };
  window.licReport = report;

  // Per-point detail, loaded once per point on demand: detail/<job>.js calls licPoint(job, detail).
  var details = {}, waiting = {};
  window.licPoint = function (job, d) {
    details[job] = d;
    var fs = waiting[job] || [];
    delete waiting[job];
    fs.forEach(function (f) { f(d); });
  };
  function detail(job, done) {
    if (details[job]) return done(details[job]);
    if (waiting[job]) return waiting[job].push(done);
    waiting[job] = [done];
    var s = document.createElement('script');
    s.src = 'detail/' + job + '.js';
    s.onerror = function () { delete waiting[job]; report.errors.push('detail/' + job + '.js could not be loaded'); };
    document.head.appendChild(s);
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function fmtNum(v) {
    if (v === null || v === undefined) return '';
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    if (Math.abs(v) >= 100) return v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return String(Number(v.toPrecision(4)));
  }
  function logTick(value, decades) {
    if (!(value > 0)) return '';
    var e = Math.floor(Math.log10(value) + 1e-9);
    var m = value / Math.pow(10, e);
    var near = function (k) { return Math.abs(m - k) < 1e-6 * k; };
    if (near(1) || (decades <= 4 && (near(2) || near(5)))) return Number(value.toPrecision(3)).toLocaleString('en-US');
    return '';
  }

  // Charts: the embedded chart.js configurations, with tooltips, log tick labels and click-to-select added.
  function hydrate(spec, onPick, labels) {
    var cfg = JSON.parse(JSON.stringify({ type: spec.type, data: spec.data, options: spec.options }));
    spec.lic.logAxes.forEach(function (ax) {
      var s = cfg.options.scales[ax];
      var decades = s.min && s.max ? Math.log10(s.max / s.min) : 6;
      s.ticks = s.ticks || {};
      s.ticks.callback = function (v) { return logTick(Number(v), decades); };
    });
    cfg.options.responsive = true;
    cfg.options.maintainAspectRatio = false;
    cfg.options.animation = false;
    var horizontal = cfg.options.indexAxis === 'y';
    // Tooltips name each value with its axis (and so its unit): "DSP used 1,200 · frames per second 15.3".
    var axisName = function (ax) {
      var t = cfg.options.scales && cfg.options.scales[ax] && cfg.options.scales[ax].title && cfg.options.scales[ax].title.text;
      return t ? String(t).replace(/ \\(log\\)$/, '') : ax;
    };
    cfg.options.plugins.tooltip = { callbacks: { label: function (c) {
      var r = c.raw;
      if (r && typeof r === 'object' && r.label) return r.label + ': ' + axisName('x') + ' ' + fmtNum(r.x) + ' \u00b7 ' + axisName('y') + ' ' + fmtNum(r.y);
      var v = horizontal ? c.parsed.x : c.parsed.y;
      return c.dataset.label + ': ' + fmtNum(v) + ' ' + axisName(horizontal ? 'x' : 'y');
    } } };
    cfg.plugins = labels ? [pointLabels(labels)] : [];
    if (onPick) {
      cfg.options.onClick = function (evt, els, chart) {
        if (!els.length) return;
        var raw = chart.data.datasets[els[0].datasetIndex].data[els[0].index];
        if (raw && raw.job !== undefined) onPick(raw.job);
      };
    }
    return cfg;
  }
  // Names beside the points of a scatter (the layers of a roofline): every point when there are few, else the
  // datasets named in 'only' (the bottleneck). Drawn after the datasets, small, with a white halo.
  function pointLabels(opt) {
    return { id: 'licPointLabels', afterDatasetsDraw: function (chart) {
      var g = chart.ctx, n = 0;
      chart.data.datasets.forEach(function (ds) { n += (ds.data || []).length; });
      g.save();
      g.font = '11px system-ui, "DejaVu Sans", sans-serif';
      g.textBaseline = 'middle';
      g.lineWidth = 3;
      g.strokeStyle = 'rgba(255,255,255,0.9)';
      g.fillStyle = '#222';
      chart.data.datasets.forEach(function (ds, di) {
        if (!chart.isDatasetVisible(di)) return;
        if (n > opt.max && !(opt.only && opt.only.test(ds.label))) return;
        chart.getDatasetMeta(di).data.forEach(function (el, k) {
          var r = ds.data[k];
          if (!r || !r.label || !opt.pick.test(r.label)) return;
          var text = r.label.replace(opt.pick, '$1');
          g.strokeText(text, el.x + 8, el.y - 8);
          g.fillText(text, el.x + 8, el.y - 8);
        });
      });
      g.restore();
    } };
  }

  function mount(id, spec, onPick, labels) {
    var canvas = byId(id);
    var box = canvas.parentNode;
    box.style.height = Math.min(spec.lic.height, 1400) + 'px';
    box.style.maxWidth = Math.max(spec.lic.width, 700) + 'px';
    // A category axis with many labels keeps the width it was drawn for, and scrolls, rather than overlapping.
    var categories = spec.data.labels || [];
    if (spec.type === 'bar' && categories.length > 3 && !box.classList.contains('wide-inner')) {
      var inner = document.createElement('div');
      inner.className = 'wide-inner';
      inner.style.position = 'relative';
      inner.style.height = '100%';
      inner.style.minWidth = spec.lic.width + 'px';
      box.classList.add('wide-chart');
      box.insertBefore(inner, canvas);
      inner.appendChild(canvas);
      box = inner;
    }
    if (report.charts[id]) report.charts[id].destroy();
    try {
      report.charts[id] = new Chart(canvas, hydrate(spec, onPick, labels));
    } catch (e) {
      report.errors.push(id + ': ' + e.message);
    }
  }
  var pick = function (job) { location.hash = '#point-' + job; };
  // Roofline labels: each layer's id beside its point (only the bottleneck's when there are more than 40).
  var ROOFLINE_LABELS = { max: 40, only: /^bottleneck/, pick: /^(\\S+) \\(.*$/ };

  // Tables: sortable (click a header), filterable (search box, job links), paged.
  function Table(name, columns, rows, opts) {
    this.name = name; this.columns = columns; this.rows = rows; this.opts = opts || {};
    this.sort = null; this.dir = 1; this.text = ''; this.job = null; this.page = 0; this.pageSize = 500;
    this.root = byId('t-' + name);
    this.jobCol = this.opts.jobCol !== undefined ? this.opts.jobCol : columns.indexOf('job');
    var self = this;
    var bar = document.createElement('div');
    bar.className = 'tablebar';
    bar.innerHTML = '<input type="search" placeholder="filter rows (any column)"> <span class="chip" hidden></span>' +
      ' <span class="count"></span> <button data-go="-1">&#8592; previous</button> <button data-go="1">next &#8594;</button>' +
      ' <label>rows per page <select><option>100</option><option selected>500</option><option>2000</option><option value="0">all</option></select></label>';
    this.root.appendChild(bar);
    this.chip = bar.querySelector('.chip');
    this.count = bar.querySelector('.count');
    bar.querySelector('input').addEventListener('input', function (e) { self.text = e.target.value.toLowerCase(); self.page = 0; self.render(); });
    bar.querySelector('select').addEventListener('change', function (e) { self.pageSize = Number(e.target.value); self.page = 0; self.render(); });
    Array.prototype.forEach.call(bar.querySelectorAll('button[data-go]'), function (b) {
      b.addEventListener('click', function () { self.page += Number(b.getAttribute('data-go')); self.render(); });
    });
    var scroll = document.createElement('div');
    scroll.className = 'scroll';
    var head = (this.opts.extra ? '<th data-extra="1">' + esc(this.opts.extra.title) + '</th>' : '') +
      columns.map(function (c, i) { return '<th data-i="' + i + '">' + esc(c) + '</th>'; }).join('');
    scroll.innerHTML = '<table><thead><tr>' + head + '</tr></thead><tbody></tbody></table>';
    this.root.appendChild(scroll);
    this.tbody = scroll.querySelector('tbody');
    this.ths = scroll.querySelectorAll('th[data-i]');
    Array.prototype.forEach.call(this.ths, function (th) {
      th.addEventListener('click', function () {
        var i = Number(th.getAttribute('data-i'));
        if (self.sort === i) self.dir = -self.dir; else { self.sort = i; self.dir = 1; }
        self.page = 0; self.render();
      });
    });
    this.render();
  }
  Table.prototype.setJob = function (job) { this.job = job; this.page = 0; this.render(); };
  Table.prototype.setRows = function (rows) { this.rows = rows; this.page = 0; this.render(); };
  Table.prototype.view = function () {
    var self = this, idx = [];
    for (var r = 0; r < this.rows.length; r++) {
      var row = this.rows[r];
      if (this.job !== null && row[this.jobCol] !== this.job) continue;
      if (this.opts.filter && !this.opts.filter(row)) continue;
      if (this.text && row.join('\\u0001').toLowerCase().indexOf(this.text) < 0) continue;
      idx.push(r);
    }
    if (this.sort !== null) {
      var i = this.sort, dir = this.dir;
      idx.sort(function (a, b) {
        var x = self.rows[a][i], y = self.rows[b][i];
        if (x === y) return a - b;
        if (x === null || x === '') return 1;
        if (y === null || y === '') return -1;
        return (x < y ? -1 : 1) * dir;
      });
    }
    return idx;
  };
  Table.prototype.render = function () {
    var self = this, idx = this.view();
    var size = this.pageSize || idx.length || 1;
    var pages = Math.max(1, Math.ceil(idx.length / size));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    var from = this.page * size, to = Math.min(idx.length, from + size);
    var html = [];
    for (var k = from; k < to; k++) {
      var row = this.rows[idx[k]];
      var cls = (this.opts.rowClass ? this.opts.rowClass(row) : '');
      var cells = this.opts.extra ? ['<td>' + this.opts.extra.cell(row) + '</td>'] : [];
      for (var c = 0; c < row.length; c++) {
        var v = row[c];
        var raw = v === null ? '' : String(v);
        var shown = typeof v === 'number' ? fmtNum(v) : esc(raw);
        if (c === this.jobCol && this.opts.jobLink) shown = this.opts.jobLink(v);
        cells.push('<td data-c="' + c + '" data-v="' + esc(raw) + '"' + (typeof v === 'number' ? ' class="num"' : '') + '>' + shown + '</td>');
      }
      html.push('<tr data-job="' + row[this.jobCol] + '"' + (cls ? ' class="' + cls + '"' : '') + '>' + cells.join('') + '</tr>');
    }
    this.tbody.innerHTML = html.join('');
    Array.prototype.forEach.call(this.ths, function (th) {
      var i = Number(th.getAttribute('data-i'));
      th.className = i === self.sort ? (self.dir > 0 ? 'sorted-asc' : 'sorted-desc') : '';
    });
    this.count.textContent = idx.length ? 'rows ' + (from + 1) + '\\u2013' + to + ' of ' + idx.length + (idx.length < this.rows.length ? ' (of ' + this.rows.length + ')' : '') : 'no rows';
    if (this.job !== null) {
      this.chip.hidden = false;
      this.chip.innerHTML = 'job ' + this.job + ' <button title="show every job">&#10005;</button>';
      this.chip.querySelector('button').addEventListener('click', function () { self.setJob(null); });
    } else this.chip.hidden = true;
  };

  var P = {};
  cols.points.forEach(function (c, i) { P[c] = i; });
  var pointByJob = {};
  data.points.forEach(function (row) { pointByJob[row[P.job]] = row; });

  report.tables.points = new Table('points', cols.points, data.points, {
    extra: { title: 'layers', cell: function (row) { return row[P.status] === 'ok' ? '<a href="#layers-' + row[P.job] + '">layers</a>' : ''; } },
    jobLink: function (job) { return '<a href="#point-' + job + '">' + job + '</a>'; },
    rowClass: function (row) { return row[P.status] === 'ok' ? '' : 'err'; },
  });
  report.tables.layers = new Table('layers', cols.layers, [], {
    jobLink: function (job) { return '<a href="#point-' + job + '">' + job + '</a>'; },
  });
  report.tables.pareto = new Table('pareto', cols.pareto, [], {
    jobLink: function (job) { return '<a href="#point-' + job + '">' + job + '</a>'; },
  });

  boards.forEach(function (b, i) {
    mount('c-board-' + i + '-pareto', b.pareto, pick);
    mount('c-board-' + i + '-utilisation', b.utilisation, null);
  });

  // Filters: board, model, precision, resolution, template, path. Each lists the values the sweep has.
  var FILTERS = [['platform', 'board'], ['model', 'model'], ['precision', 'precision'], ['res', 'resolution'], ['arch', 'template'], ['path', 'path']];
  var chosen = {};
  var filterBox = byId('filters');
  FILTERS.forEach(function (f) {
    var values = [];
    data.points.forEach(function (row) { var v = row[P[f[0]]]; if (values.indexOf(v) < 0) values.push(v); });
    values.sort();
    var label = document.createElement('label');
    label.innerHTML = esc(f[1]) + ' <select data-filter="' + f[0] + '"><option value="">all</option>' +
      values.map(function (v) { return '<option value="' + esc(v) + '">' + esc(v) + '</option>'; }).join('') + '</select>';
    filterBox.appendChild(label);
    label.querySelector('select').addEventListener('change', function (e) {
      if (e.target.value) chosen[f[0]] = e.target.value; else delete chosen[f[0]];
      applyFilters();
    });
  });
  var shownCount = document.createElement('span');
  shownCount.className = 'count';
  filterBox.appendChild(shownCount);
  function matches(row) {
    for (var k in chosen) if (String(row[P[k]]) !== chosen[k]) return false;
    return true;
  }
  report.tables.points.opts.filter = matches;

  // The best design per board × model × path of the selection; a DPU design (arch "dpu") is the baseline.
  var SUMMARY_COLS = ['board', 'model', 'path', 'best FPS', 'template', 'precision', 'resolution', 'bottleneck', 'DSP %', 'BRAM18 %', 'DPU FPS', 'vs DPU', 'point'];
  function summaryRows() {
    var groups = {}, order = [];
    data.points.forEach(function (row) {
      if (row[P.status] !== 'ok' || !matches(row) || !(row[P.fps] > 0)) return;
      var key = row[P.platform] + '\u0001' + row[P.model] + '\u0001' + row[P.path];
      var g = groups[key];
      if (!g) { g = groups[key] = { best: null, dpu: null }; order.push(key); }
      var slot = row[P.arch] === 'dpu' ? 'dpu' : 'best';
      if (!g[slot] || row[P.fps] > g[slot][P.fps]) g[slot] = row;
    });
    return order.map(function (key) {
      var g = groups[key], b = g.best || g.dpu, d = g.dpu;
      var pct = function (u, a) { return a ? Math.round(1000 * u / a) / 10 : null; };
      return [b[P.platform], b[P.model], b[P.path], b[P.fps], b[P.arch], b[P.precision], b[P.res], b[P.bottleneck],
        pct(b[P.dspUsed], b[P.dspAvailable]), pct(b[P.bram18Used], b[P.bram18Available]),
        d ? d[P.fps] : null, d && g.best ? Math.round(100 * g.best[P.fps] / d[P.fps]) / 100 : null, b[P.job]];
    });
  }
  report.tables.summary = new Table('summary', SUMMARY_COLS, summaryRows(), {
    jobCol: SUMMARY_COLS.length - 1,
    jobLink: function (job) { return '<a href="#point-' + job + '">point ' + job + '</a>'; },
  });
  report.tables.summary.sort = 3; report.tables.summary.dir = -1; report.tables.summary.render();

  // A board's scatter for the selection: every selected design of the board by model, and their FPS–DSP front.
  var originals = boards.map(function (b) { return b.pareto.data.datasets; });
  function redrawBoards() {
    var any = Object.keys(chosen).length > 0;
    boards.forEach(function (b, i) {
      var chart = report.charts['c-board-' + i + '-pareto'];
      if (!chart) return;
      var orig = originals[i];
      if (!any) {
        chart.data.datasets = JSON.parse(JSON.stringify(orig));
        chart.update('none');
        return;
      }
      var rows = data.points.filter(function (row) { return row[P.status] === 'ok' && row[P.platform] === b.board && matches(row) && row[P.fps] > 0; });
      var colour = {};
      orig.forEach(function (ds) { colour[ds.label] = ds.backgroundColor; });
      var models = [], sets = [];
      rows.forEach(function (row) { if (models.indexOf(row[P.model]) < 0) models.push(row[P.model]); });
      models.forEach(function (m, k) {
        var rs = rows.filter(function (row) { return row[P.model] === m; });
        sets.push({ label: m, data: rs.map(function (row) { return { x: row[P.dspUsed], y: row[P.fps], label: row[P.label], job: row[P.job] }; }),
          pointStyle: rs.map(function (row) { return row[P.arch] === 'pipeline' ? 'triangle' : row[P.arch] === 'dpu' ? 'rectRot' : 'circle'; }),
          pointRadius: 6, pointHoverRadius: 8, backgroundColor: colour[m] || '#888', borderColor: '#fff', borderWidth: 0.8, order: 2 });
      });
      // Front: sorted by DSP (then job), a design is on it when it is faster than every design with fewer DSPs.
      var sorted = rows.slice().sort(function (a, c) { return a[P.dspUsed] - c[P.dspUsed] || c[P.fps] - a[P.fps] || a[P.job] - c[P.job]; });
      var front = [], bestFps = -1;
      sorted.forEach(function (row) { if (row[P.fps] > bestFps) { front.push(row); bestFps = row[P.fps]; } });
      if (front.length) sets.push({ label: 'Pareto front (' + front.length + ')', data: front.map(function (row) { return { x: row[P.dspUsed], y: row[P.fps], label: 'front: ' + row[P.label], job: row[P.job] }; }),
        showLine: true, stepped: 'after', borderColor: '#111', backgroundColor: '#111', borderWidth: 2, pointRadius: 3, pointStyle: 'rect', order: 1 });
      orig.forEach(function (ds) { if (/^DSP available/.test(ds.label)) sets.push(JSON.parse(JSON.stringify(ds))); });
      chart.data.datasets = sets;
      chart.update('none');
    });
  }
  function applyFilters() {
    report.tables.points.page = 0;
    report.tables.points.render();
    report.tables.summary.setRows(summaryRows());
    redrawBoards();
    var n = data.points.filter(matches).length;
    shownCount.textContent = n + ' of ' + data.points.length + ' design points selected';
    report.filters = JSON.parse(JSON.stringify(chosen));
  }
  report.filters = {};
  shownCount.textContent = data.points.length + ' design points';

  // The selected design point: summary, roofline, cycles per layer, a link to its layers.
  var select = byId('point-select');
  data.points.forEach(function (row) {
    if (row[P.status] !== 'ok') return;
    var o = document.createElement('option');
    o.value = String(row[P.job]);
    o.textContent = row[P.job] + ': ' + row[P.label] + ' \\u2014 ' + fmtNum(row[P.fps]) + ' FPS';
    select.appendChild(o);
  });
  select.addEventListener('change', function () { pick(Number(select.value)); });
  function showPoint(job, then) {
    var row = pointByJob[job];
    if (!row || row[P.status] !== 'ok') return false;
    detail(job, function (d) { drawPoint(job, row, d); if (then) then(); });
    return true;
  }
  function drawPoint(job, row, d) {
    report.selected = job;
    select.value = String(job);
    var items = [
      ['design point', row[P.label]], ['FPS (end to end)', fmtNum(row[P.fps])], ['accelerator FPS', fmtNum(row[P.acceleratorFps])],
      ['latency', fmtNum(row[P.latencyMs]) + ' ms'], ['useful GOP/s', fmtNum(row[P.gops]) + ' of ' + fmtNum(row[P.peakGops]) + ' peak'],
      ['bottleneck', row[P.bottleneck]], ['design', row[P.design]],
      ['DSP', fmtNum(row[P.dspUsed]) + ' of ' + fmtNum(row[P.dspAvailable])], ['BRAM18', fmtNum(row[P.bram18Used]) + ' of ' + fmtNum(row[P.bram18Available])],
      ['URAM', fmtNum(row[P.uramUsed]) + ' of ' + fmtNum(row[P.uramAvailable])], ['LUT', fmtNum(row[P.lutUsed]) + ' of ' + fmtNum(row[P.lutAvailable])],
      ['bandwidth', fmtNum(row[P.bandwidthUsedGBs]) + ' of ' + fmtNum(row[P.bandwidthAvailableGBs]) + ' GB/s'],
    ];
    byId('point-summary').innerHTML = items.map(function (it) { return '<dt>' + esc(it[0]) + '</dt><dd>' + esc(it[1]) + '</dd>'; }).join('') +
      '<dt>layers</dt><dd><a href="#layers-' + job + '">the ' + row[P.layerCount] + ' layers of this point</a></dd>';
    mount('c-point-roofline', d.charts.roofline, null, ROOFLINE_LABELS);
    mount('c-point-layers', d.charts.layers, null);
    report.tables.layers.setRows(d.layers);
    report.tables.pareto.setRows(d.pareto);
    Array.prototype.forEach.call(document.querySelectorAll('#t-points tr.hl'), function (tr) { tr.classList.remove('hl'); });
    var tr = document.querySelector('#t-points tr[data-job="' + job + '"]');
    if (tr) tr.classList.add('hl');
  }
  // #point-N shows point N; #layers-N shows it too and scrolls to its layers.
  function route(then) {
    var m = /^#(point|layers)-(\\d+)$/.exec(location.hash);
    if (!m || !showPoint(Number(m[2]), function () { byId(m[1] === 'point' ? 'point' : 'layers').scrollIntoView(); if (then) then(); })) {
      if (then) then();
    }
  }
  window.addEventListener('hashchange', function () { route(); });
  var ready = function () { report.ready = true; };
  var first = data.points.filter(function (row) { return row[P.status] === 'ok'; })[0];
  if (/^#(point|layers)-\\d+$/.test(location.hash)) route(ready);
  else if (first) showPoint(first[P.job], ready);
  else { byId('point-summary').innerHTML = '<dd>no design point succeeded</dd>'; ready(); }
})();
`;
