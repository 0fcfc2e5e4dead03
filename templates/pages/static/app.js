// dakflow pages: a little hand-written script, no framework. Every page
// works without it; it adds the RAB totals as you type, adding and removing
// rows, the desa picker, the sentra picker, dates in words and opening the form of an action button.
(function () {
  'use strict';

  // Rupiah as official letters write it: Rp1.250.000.000,00. BigInt keeps
  // whole rupiah exact however large the product.
  function rupiah(n) {
    var s = n.toString(), out = '';
    while (s.length > 3) { out = '.' + s.slice(-3) + out; s = s.slice(0, -3); }
    return 'Rp' + s + out + ',00';
  }
  // Rupiah in a table cell, as the server writes it: Rp1.250.000.000.
  function rp(n) { return rupiah(n).slice(0, -3); }
  function whole(v) {
    v = (v || '').trim().replace(/^rp\s*/i, '').replace(/,00$/, '');
    if (/^\d{1,3}(\.\d{3})+$/.test(v)) v = v.replace(/\./g, '');
    v = v.replace(/\s/g, '');
    return /^\d+$/.test(v) ? BigInt(v) : null;
  }

  function totals(box) {
    var sum = 0n;
    box.querySelectorAll('[data-row]').forEach(function (row) {
      var q = row.querySelector('[data-qty]'), p = row.querySelector('[data-price]'), t = row.querySelector('[data-line-total]');
      if (!q || !p || !t) return;
      var a = whole(q.value), b = whole(p.value);
      if (a !== null && b !== null) { t.textContent = rp(a * b); sum += a * b; } else { t.textContent = '—'; }
    });
    var g = box.querySelector('[data-grand-total]');
    if (g && box.querySelector('[data-price]')) g.textContent = rp(sum);
  }

  function renumber(box) {
    box.querySelectorAll('[data-row-body] > [data-row]').forEach(function (row, i) {
      row.querySelectorAll('[name]').forEach(function (el) {
        el.name = el.name.replace(/\[(\d+|__i__)\]/, '[' + i + ']');
      });
      var n = row.querySelector('[data-row-number]');
      if (n) n.textContent = i + 1;
    });
  }

  function preview(input) {
    var out = document.getElementById(input.id + '-rp');
    if (!out) return;
    var v = whole(input.value);
    out.textContent = v === null ? '' : rupiah(v);
  }

  // Dates as officers write them: "31-03-2027", "31/03/2027", "31 Maret
  // 2027", "31 Mar 2027", "2027-03-31" (with the hour for a deadline:
  // "31 Maret 2027 23.59"), shown in words beside the field as they are
  // typed ("Rabu, 31 Maret 2027"). The same rules as dak.ParseFormDate;
  // the server decides, this only helps to see a mistake early.
  var MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
  var DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
  var MONTH_NAMES = { januari: 1, jan: 1, februari: 2, feb: 2, pebruari: 2, peb: 2, maret: 3, mar: 3, april: 4, apr: 4, mei: 5,
    juni: 6, jun: 6, juli: 7, jul: 7, agustus: 8, agu: 8, agt: 8, ags: 8, september: 9, sep: 9, sept: 9,
    oktober: 10, okt: 10, november: 11, nov: 11, nopember: 11, nop: 11, desember: 12, des: 12 };
  var DAY_NAMES = { minggu: 0, senin: 1, selasa: 2, rabu: 3, kamis: 4, jumat: 5, "jum'at": 5, sabtu: 6 };
  function digits(s, min, max) { return new RegExp('^[0-9]{' + min + ',' + max + '}$').test(s); }
  // formDate is the date of s as {y, m, d}, or null.
  function formDate(s) {
    var f = s.toLowerCase().trim().split(/\s+/).filter(Boolean), weekday = null, y, m, d, p;
    if (f.length && DAY_NAMES.hasOwnProperty(f[0].replace(/,$/, ''))) { weekday = DAY_NAMES[f[0].replace(/,$/, '')]; f = f.slice(1); }
    if (f.length === 3) {
      d = f[0]; y = f[2]; m = MONTH_NAMES.hasOwnProperty(f[1].replace(/\.$/, '')) ? MONTH_NAMES[f[1].replace(/\.$/, '')] : 0;
      if (!m) return null;
    } else if (f.length === 1 && (p = f[0].split('-')).length === 3 && digits(p[0], 4, 4)) {
      y = p[0]; m = p[1]; d = p[2];
    } else if (f.length === 1 && ((p = f[0].split('-')).length === 3 || (p = f[0].split('/')).length === 3)) {
      d = p[0]; m = p[1]; y = p[2];
    } else return null;
    if (!digits(d, 1, 2) || !digits(String(m), 1, 2) || !digits(y, 4, 4) || y[0] === '0') return null;
    y = +y; m = +m; d = +d;
    if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
    if (weekday !== null && new Date(Date.UTC(y, m - 1, d)).getUTCDay() !== weekday) return null;
    return { y: y, m: m, d: d };
  }
  // formDateTime is formDate with the hour, {y, m, d, h, min}, or null.
  function formDateTime(s) {
    var f = s.toLowerCase().trim().split(/\s+/).filter(Boolean);
    if (f.length && f[f.length - 1] === 'wib') f.pop();
    if (f.length === 1 && /^[0-9]{4}-[^t]*t/.test(f[0])) f = f[0].split('t');
    if (f.length < 2) return null;
    var clock = f.pop().split(/[.:]/);
    if (f.length > 1 && (f[f.length - 1] === 'pukul' || f[f.length - 1] === 'jam')) f.pop();
    if (clock.length !== 2 || !digits(clock[0], 1, 2) || !digits(clock[1], 2, 2) || +clock[0] > 23 || +clock[1] > 59) return null;
    var day = formDate(f.join(' '));
    if (!day) return null;
    day.h = +clock[0]; day.min = +clock[1];
    return day;
  }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function dateWords(input) {
    var out = document.getElementById(input.id + '-words');
    if (!out) return;
    var v = input.value.trim(), withHour = input.hasAttribute('data-datetime');
    var t = v && (withHour ? formDateTime(v) : formDate(v));
    if (!v) {
      out.textContent = ''; out.removeAttribute('data-state');
    } else if (t) {
      out.textContent = DAYS[new Date(Date.UTC(t.y, t.m - 1, t.d)).getUTCDay()] + ', ' + t.d + ' ' + MONTHS[t.m - 1] + ' ' + t.y +
        (withHour ? ' pukul ' + two(t.h) + '.' + two(t.min) + ' WIB' : '');
      out.setAttribute('data-state', 'ok');
    } else {
      out.textContent = (withHour ? 'Tanggal dan jam' : 'Tanggal') + ' belum dapat dibaca — ' +
        (withHour ? 'contoh: 31 Maret 2027 23.59 atau 31-03-2027 23:59' : 'contoh: 31 Maret 2027 atau 31-03-2027');
      out.setAttribute('data-state', 'bad');
    }
  }

  function toggleEvent(button) {
    var id = 'form-' + button.getAttribute('data-event');
    document.querySelectorAll('form.event-form').forEach(function (f) {
      f.hidden = f.id === id ? !f.hidden : true;
    });
    document.querySelectorAll('button[data-event]').forEach(function (b) {
      var f = document.getElementById('form-' + b.getAttribute('data-event'));
      b.setAttribute('aria-expanded', f && !f.hidden ? 'true' : 'false');
    });
    var form = document.getElementById(id);
    if (form && !form.hidden) {
      form.scrollIntoView({ block: 'nearest' });
      var first = form.querySelector('input:not([type=hidden]),select,textarea');
      if (first) first.focus({ preventScroll: true });
    }
  }

  document.addEventListener('click', function (e) {
    var add = e.target.closest('[data-add-row]');
    if (add) {
      var box = add.closest('[data-rows]'), body = box.querySelector('[data-row-body]');
      body.appendChild(box.querySelector('template').content.cloneNode(true));
      renumber(box); totals(box);
      var rows = body.querySelectorAll('[data-row]'), f = rows[rows.length - 1].querySelector('input,select,textarea');
      if (f) f.focus();
      return;
    }
    var rm = e.target.closest('[data-remove-row]');
    if (rm) {
      var rbox = rm.closest('[data-rows]'), rbody = rbox.querySelector('[data-row-body]'), row = rm.closest('[data-row]');
      if (rbody.querySelectorAll('[data-row]').length > 1) {
        row.remove();
      } else {
        row.querySelectorAll('input,textarea').forEach(function (i) { i.value = ''; });
        row.querySelectorAll('select').forEach(function (s) { s.selectedIndex = 0; });
      }
      renumber(rbox); totals(rbox);
      return;
    }
    // An error summary's link: to the input of its field, found by name
    // where the input's id is not the link's (line editors, event forms).
    var link = e.target.closest('[data-form-errors] a[data-field]');
    if (link) {
      var scope = link.closest('form') || document;
      var name = link.getAttribute('data-field');
      var input = document.getElementById(link.getAttribute('href').slice(1)) ||
        scope.querySelector('[name="' + name + '"]') || scope.querySelector('[data-error-for="' + name + '"]');
      if (input) {
        e.preventDefault();
        input.scrollIntoView({ block: 'center' });
        if (input.focus) input.focus({ preventScroll: true });
      }
      return;
    }
    var ev = e.target.closest('button[data-event]');
    if (ev) { toggleEvent(ev); return; }
    var all = e.target.closest('[data-check-all]');
    if (all) {
      all.closest('form').querySelectorAll('[data-check]:not([data-not-applicable]) input[type=radio][value=true]').forEach(function (r) { r.checked = true; });
      return;
    }
    var close = e.target.closest('[data-close-event]');
    if (close) {
      var b = document.querySelector('button[data-event="' + close.getAttribute('data-close-event') + '"]');
      if (b) { toggleEvent(b); b.focus(); }
    }
  });

  document.addEventListener('input', function (e) {
    var box = e.target.closest('[data-rows]');
    if (box) totals(box);
    if (e.target.matches('[data-money]')) preview(e.target);
    if (e.target.matches('[data-date],[data-datetime]')) dateWords(e.target);
  });

  // The desa picker: each select fills the next from the region list.
  document.addEventListener('change', function (e) {
    var sel = e.target.closest('select[data-region-level]');
    if (!sel) return;
    var picker = sel.closest('[data-region-picker]');
    var all = Array.prototype.slice.call(picker.querySelectorAll('select[data-region-level]'));
    var i = all.indexOf(sel);
    for (var j = i + 1; j < all.length; j++) {
      all[j].innerHTML = '<option value="">— pilih ' + all[j].getAttribute('data-level-name') + ' —</option>';
      all[j].disabled = true;
    }
    if (i + 1 >= all.length || !sel.value) return;
    var next = all[i + 1];
    picker.setAttribute('aria-busy', 'true');
    fetch('/ui/regions?parent=' + encodeURIComponent(sel.value), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (body) {
        body.items.forEach(function (r) {
          var o = document.createElement('option');
          o.value = r.code; o.textContent = r.name;
          next.appendChild(o);
        });
        next.disabled = false;
        next.setAttribute('data-loaded', sel.value);
      })
      .catch(function () {
        var o = document.createElement('option');
        o.textContent = 'Daftar gagal dimuat; muat ulang halaman';
        next.appendChild(o);
      })
      .finally(function () { picker.removeAttribute('aria-busy'); });
  });

  // The proposal form's sentra picker (revitalisasi): the chosen sentra's
  // name, commodity, desa and coordinates are copied from the registry
  // and locked; the picker is hidden for a pembangunan. Without the script
  // the server fills the same fields from sentra_id.
  function regionsOf(parent) {
    return fetch('/ui/regions?parent=' + encodeURIComponent(parent), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  // placeDesa selects village in the desa picker, loading each level's list.
  function placeDesa(picker, village) {
    var parts = village.split('.'), step = Promise.resolve();
    var sels = Array.prototype.slice.call(picker.querySelectorAll('select[data-region-level]'));
    sels.forEach(function (s, i) {
      var code = parts.slice(0, +s.getAttribute('data-region-level')).join('.');
      step = step.then(function () {
        if (s.querySelector('option[value="' + code + '"]')) { s.value = code; return; }
        var parent = i > 0 ? sels[i - 1].value : '';
        if (!parent) return;
        return regionsOf(parent).then(function (body) {
          s.innerHTML = '<option value="">— pilih ' + s.getAttribute('data-level-name') + ' —</option>';
          body.items.forEach(function (r) {
            var o = document.createElement('option');
            o.value = r.code; o.textContent = r.name;
            s.appendChild(o);
          });
          s.setAttribute('data-loaded', parent);
          s.value = code;
        });
      });
    });
    return step;
  }
  function lock(el, on) {
    if (!el) return;
    if (el.tagName === 'SELECT') el.disabled = on ? true : el.options.length <= 1;
    else el.readOnly = on;
    if (on) el.setAttribute('data-sentra-locked', ''); else el.removeAttribute('data-sentra-locked');
  }
  function sentraPicker(form, chosenNow) {
    var box = form.querySelector('[data-sentra-picker]'), pick = form.querySelector('select[name="sentra_id"]');
    var menu = form.querySelector('[name="menu"]');
    if (!box) return;
    if (chosenNow && pick && pick.value && menu && !menu.value) menu.value = 'revitalisasi';
    var revit = !menu || menu.value !== 'pembangunan';
    box.hidden = !revit;
    if (!pick) return;
    var o = revit && pick.value ? pick.selectedOptions[0] : null;
    var field = function (name) { return form.querySelector('input[name="' + name + '"]'); };
    var regions = form.querySelector('[data-region-picker]');
    var keep = form.querySelector('input[type=hidden][data-sentra-village]');
    if (keep) keep.remove();
    ['sentra.name', 'sentra.commodity', 'sentra.latitude', 'sentra.longitude'].forEach(function (n) { lock(field(n), false); });
    if (regions) regions.querySelectorAll('select[data-region-level]').forEach(function (s) { lock(s, false); });
    if (!o) return;
    var copy = { 'sentra.name': o.getAttribute('data-name'), 'sentra.commodity': o.getAttribute('data-commodity'),
      'sentra.latitude': o.getAttribute('data-lat'), 'sentra.longitude': o.getAttribute('data-lon') };
    Object.keys(copy).forEach(function (n) {
      var el = field(n);
      if (!el || copy[n] === null) return;
      el.value = copy[n];
      lock(el, true);
    });
    var village = o.getAttribute('data-village');
    if (!regions || !village) return;
    // The locked desa is posted from a hidden input: a disabled select is not.
    keep = document.createElement('input');
    keep.type = 'hidden'; keep.name = 'sentra.village_code'; keep.value = village;
    keep.setAttribute('data-sentra-village', '');
    box.appendChild(keep);
    regions.setAttribute('aria-busy', 'true');
    placeDesa(regions, village)
      .catch(function () {})
      .finally(function () {
        regions.removeAttribute('aria-busy');
        if (pick.value === o.value) regions.querySelectorAll('select[data-region-level]').forEach(function (s) { lock(s, true); });
      });
  }
  document.addEventListener('change', function (e) {
    if (!e.target.matches('select[name="sentra_id"], [data-proposal-form] select[name="menu"]')) return;
    sentraPicker(e.target.closest('form'), e.target.name === 'sentra_id');
  });

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-rows]').forEach(totals);
    document.querySelectorAll('[data-proposal-form]').forEach(function (f) { sentraPicker(f, false); });
    document.querySelectorAll('[data-money]').forEach(preview);
    document.querySelectorAll('[data-date],[data-datetime]').forEach(dateWords);
    var open = document.querySelector('form.event-form:not([hidden])');
    if (open) open.scrollIntoView({ block: 'start' });
    // A refused form: focus goes to its error summary, whose items link to
    // the fields, or to the alert that says why (autofocus does it too;
    // this covers older browsers). Focus leaves an alert only partly on
    // screen where it is, below the fold on a phone: it is brought into view.
    var errs = document.querySelector('[data-form-errors], .alert[autofocus], [data-photo-error]');
    if (errs) {
      if (document.activeElement !== errs) errs.focus({ preventScroll: true });
      var r = errs.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) errs.scrollIntoView({ block: r.height > window.innerHeight ? 'start' : 'center' });
    }
  });
})();
