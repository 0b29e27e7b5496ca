/**
 * The report page's script: fills the kind and system filters from the embedded JSON, filters and pages
 * the change table (each change in words, its raw values in a <details> under it), and filters the unit
 * picture with the same query. Its words come with the data (`data.t`, `{0}` for a value). Plain JS,
 * without template literals, so that it can live in this TypeScript template string.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('plan-data').textContent);
  var PAGE = 500;
  var SIGN = {create: '+', change: '~', remove: '-'};
  var t = data.t;
  var en = new Intl.NumberFormat('en-US');
  var fmt = {format: function (n) { return en.format(n).replace(/,/g, data.sep); }};
  function say(text) {
    var args = arguments;
    return text.replace(/\\{(\\d)\\}/g, function (m, i) { return args[Number(i) + 1]; });
  }
  function words(r) {
    return r[6].replace(/\\uE000(\\d+)\\uE001/g, function (m, i) { return data.names[Number(i)]; });
  }
  var $ = function (id) { return document.getElementById(id); };
  var filter = $('filter'), kindSel = $('kind'), systemSel = $('system'), tbody = document.querySelector('#ops tbody');
  var status = $('status'), more = $('more');
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/\\u0111/g, 'd').replace(/\\u0110/g, 'D').toLowerCase();
  }
  var kindCount = {}, systems = {};
  data.rows.forEach(function (r) { kindCount[r[0]] = (kindCount[r[0]] || 0) + 1; if (r[2]) systems[r[2]] = (systems[r[2]] || 0) + 1; });
  data.kinds.forEach(function (k, i) {
    if (!kindCount[i]) return;
    var o = document.createElement('option'); o.value = String(i); o.textContent = data.kindNames[i] + ' (' + fmt.format(kindCount[i]) + ')'; o.title = k; kindSel.appendChild(o);
  });
  Object.keys(systems).sort().forEach(function (s) {
    var o = document.createElement('option'); o.value = s; o.textContent = s + ' (' + fmt.format(systems[s]) + ')'; systemSel.appendChild(o);
  });
  var hay = null;
  function haystack(i) {
    if (!hay) hay = new Array(data.rows.length);
    if (hay[i] === undefined) {
      var r = data.rows[i], u = data.units[r[1]];
      hay[i] = fold([data.kinds[r[0]], data.kindNames[r[0]], r[2], r[3], r[4], r[5], words(r), u[0], u[1]].join(' '));
    }
    return hay[i];
  }
  var matches = [], shown = 0;
  function parseQuery() {
    var unit = null, words = [];
    fold(filter.value).split(/\\s+/).forEach(function (w) {
      if (!w) return;
      if (w.indexOf('unit:') === 0 && w.length > 5) unit = w.slice(5); else words.push(w);
    });
    return {unit: unit, words: words};
  }
  function run() {
    var q = parseQuery(), kind = kindSel.value === '' ? -1 : Number(kindSel.value), sys = systemSel.value;
    matches = [];
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i];
      if (kind >= 0 && r[0] !== kind) continue;
      if (sys && r[2] !== sys) continue;
      if (q.unit !== null && fold(data.units[r[1]][0]) !== q.unit) continue;
      if (q.words.length) {
        var h = haystack(i), ok = true;
        for (var j = 0; j < q.words.length; j++) if (h.indexOf(q.words[j]) < 0) { ok = false; break; }
        if (!ok) continue;
      }
      matches.push(i);
    }
    tbody.textContent = '';
    shown = 0;
    page();
    filterUnits(q);
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td;
  }
  function raw(dl, label, text, cls) {
    if (!text) return;
    var dt = document.createElement('dt'); dt.textContent = label; dl.appendChild(dt);
    var dd = document.createElement('dd'); dd.textContent = text; if (cls) dd.className = cls; dl.appendChild(dd);
  }
  function page() {
    var end = Math.min(matches.length, shown + PAGE), frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) {
      var r = data.rows[matches[i]], cls = data.classes[r[0]], u = data.units[r[1]];
      var tr = document.createElement('tr');
      cell(tr, SIGN[cls] || '?', 'sign ' + cls);
      cell(tr, data.kindNames[r[0]], cls).title = data.kinds[r[0]];
      cell(tr, u[1]);
      var details = document.createElement('details'), summary = document.createElement('summary'), dl = document.createElement('dl');
      summary.textContent = words(r);
      details.appendChild(summary);
      raw(dl, t.key, data.kinds[r[0]] + ' ' + r[3], 'raw');
      raw(dl, t.beforeAfter, r[4], 'raw');
      raw(dl, t.note, r[5]);
      details.appendChild(dl);
      cell(tr, '').appendChild(details);
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    shown = end;
    var embedded = data.rows.length < data.total ? ' ' + say(t.onThisPage, fmt.format(data.rows.length), fmt.format(data.total)) : '';
    status.textContent = matches.length === 0
      ? say(t.noMatch, embedded)
      : say(t.showing, fmt.format(shown), fmt.format(matches.length), embedded);
    more.hidden = shown >= matches.length;
    more.textContent = say(t.showMore, fmt.format(Math.min(PAGE, matches.length - shown)));
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll('#units .unit'));
  var cardText = cards.map(function (c) { return fold(c.getAttribute('data-search') || ''); });
  function filterUnits(q) {
    var visible = 0;
    cards.forEach(function (c, i) {
      var ok = true;
      if (q.unit !== null) ok = fold(data.units[Number(c.getAttribute('data-unit'))][0]) === q.unit;
      for (var j = 0; ok && j < q.words.length; j++) if (cardText[i].indexOf(q.words[j]) < 0) ok = false;
      c.hidden = !ok;
      if (ok) visible++;
    });
    $('units-empty').hidden = visible > 0;
    var all = $('units-all');
    if (all && (q.unit !== null || q.words.length)) all.open = true;
  }
  var timer = null;
  filter.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  kindSel.addEventListener('change', run);
  systemSel.addEventListener('change', run);
  more.addEventListener('click', page);
  $('clear').addEventListener('click', function () { filter.value = ''; kindSel.value = ''; systemSel.value = ''; run(); });
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-show') !== null) {
      filter.value = 'unit:' + data.units[Number(t.getAttribute('data-show'))][0];
      run();
      $('changes').scrollIntoView();
    }
  });
  run();
})();
`
