// dakflow pages: a little hand-written script, no framework. Every page
// works without it; it adds the RAB totals as you type, adding and removing
// rows, the desa picker and opening the form of an action button.
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

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-rows]').forEach(totals);
    document.querySelectorAll('[data-money]').forEach(preview);
    var open = document.querySelector('form.event-form:not([hidden])');
    if (open) open.scrollIntoView({ block: 'start' });
    // A refused form: focus goes to its error summary, whose items link to
    // the fields (autofocus does it too; this covers older browsers).
    var errs = document.querySelector('[data-form-errors]');
    if (errs && document.activeElement !== errs) errs.focus();
  });
})();
