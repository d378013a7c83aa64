/* sphinx-llmarch: sorting, filtering and search for the gallery and the overview table, and
 * panning and zooming the poster (the "compare any two models" page is llmarch-compare.js).
 * The pages are complete without this script; it only reorders, hides and draws. State
 * lives in the URL so views can be shared. */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);

  function setParam(key, value) {
    if (value) { params.set(key, value); } else { params.delete(key); }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
      window.location.hash);
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function distinct(cards, read) {
    var seen = {};
    cards.forEach(function (c) { read(c).forEach(function (v) { if (v) { seen[v] = true; } }); });
    return Object.keys(seen).sort();
  }

  /* ------------------------------------------------------------------ gallery */

  var SORTS = {
    "date": ["Newest first", function (c) { return c.dataset.date; }, -1],
    "date-asc": ["Oldest first", function (c) { return c.dataset.date; }, 1],
    "total": ["Total parameters", function (c) { return +c.dataset.total; }, -1],
    "active": ["Active parameters", function (c) { return +c.dataset.active; }, -1],
    "kv": ["KV cache per token", function (c) { return +c.dataset.kv; }, -1],
    "context": ["Context length", function (c) { return +c.dataset.context; }, -1],
    "name": ["Name", function (c) { return c.dataset.name.toLowerCase(); }, 1]
  };
  var FILTERS = [
    ["decoder", "Decoder type", function (c) { return [c.dataset.decoder]; }],
    ["attention", "Token mixing", function (c) { return c.dataset.attention.split(" "); }],
    ["org", "Organisation", function (c) { return [c.dataset.org]; }],
    ["year", "Year", function (c) { return [c.dataset.year]; }]
  ];

  function gallery(root) {
    var grid = root.querySelector(".llmarch-cards");
    var cards = Array.prototype.slice.call(grid.children);
    var count = root.querySelector(".llmarch-count-line");
    var bar = element("div", {"class": "llmarch-controls"});
    var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
    var search = element("input", {"type": "search", "placeholder": "Search", "aria-label":
      "Search the models", "name": "q"});
    search.value = params.get("q") || "";
    bar.appendChild(search);
    var sort = element("select", {"aria-label": "Sort by", "name": "sort"});
    Object.keys(SORTS).forEach(function (k) { sort.appendChild(element("option", {value: k}, SORTS[k][0])); });
    sort.value = SORTS[params.get("sort")] ? params.get("sort") : "date";
    bar.appendChild(sort);
    var selects = FILTERS.map(function (f) {
      var select = element("select", {"aria-label": f[1], "name": f[0]});
      select.appendChild(element("option", {value: ""}, f[1] + ": all"));
      distinct(cards, f[2]).forEach(function (v) {
        select.appendChild(element("option", {value: v}, labels[v] || v));
      });
      select.value = params.get(f[0]) || "";
      bar.appendChild(select);
      return select;
    });
    root.insertBefore(bar, root.firstChild);

    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (card) {
        var ok = words.every(function (w) { return card.dataset.search.indexOf(w) >= 0; });
        FILTERS.forEach(function (f, i) {
          if (selects[i].value && f[2](card).indexOf(selects[i].value) < 0) { ok = false; }
        });
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      var s = SORTS[sort.value];
      cards.slice().sort(function (a, b) {
        var x = s[1](a), y = s[1](b);
        if (x === y) { return a.dataset.slug < b.dataset.slug ? -1 : 1; }
        return (x < y ? -1 : 1) * s[2];
      }).forEach(function (card) { grid.appendChild(card); });
      count.textContent = shown === cards.length ? cards.length + " models" :
        shown + " of " + cards.length + " models";
      setParam("q", search.value.trim());
      setParam("sort", sort.value === "date" ? "" : sort.value);
      FILTERS.forEach(function (f, i) { setParam(f[0], selects[i].value); });
    }

    [search, sort].concat(selects).forEach(function (el) { el.addEventListener("input", apply); });
    apply();
    picking(root, cards);
  }

  /* Picking models A and B on the cards: the picks live in the address (a=, b=); a picked
   * card is marked, its control pressed; the bar after the grid, sticky at the bottom of the
   * window, names the picks and links to the comparison. */
  function picking(root, cards) {
    var pickBar = root.querySelector(".llmarch-pick-bar");
    if (!pickBar) { return; }
    var line = pickBar.querySelector(".llmarch-pick-line");
    var go = pickBar.querySelector(".llmarch-go");
    var clear = pickBar.querySelector(".llmarch-clear");
    var controls = Array.prototype.slice.call(root.querySelectorAll("a.llmarch-pick"));
    controls.forEach(function (c) { c.setAttribute("role", "button"); });
    function name(slug) {
      var card = cards.filter(function (c) { return c.dataset.slug === slug; })[0];
      return card ? card.dataset.name : slug;
    }
    function show() {
      var picked = {a: params.get("a"), b: params.get("b")};
      controls.forEach(function (c) {
        var on = picked[c.dataset.pick] === c.closest(".llmarch-card").dataset.slug;
        c.setAttribute("aria-pressed", on ? "true" : "false");
      });
      cards.forEach(function (card) {
        var as = ["a", "b"].filter(function (k) { return picked[k] === card.dataset.slug; });
        var badge = card.querySelector(".llmarch-badge");
        card.classList.toggle("llmarch-picked", as.length > 0);
        if (!as.length) { if (badge) { badge.remove(); } return; }
        if (!badge) {
          badge = element("span", {"class": "llmarch-badge"});
          card.querySelector(".sd-card").appendChild(badge);
        }
        badge.textContent = as.join(" ").toUpperCase();
        badge.title = "Picked as model " + as.join(" and ").toUpperCase();
      });
      line.textContent = picked.a || picked.b ?
        "Model A: " + (picked.a ? name(picked.a) : "–") + " · Model B: " +
          (picked.b ? name(picked.b) : "–") :
        "Pick two models with their A and B buttons to compare them.";
      go.hidden = !(picked.a && picked.b);
      go.setAttribute("href", pickBar.dataset.compare + "?a=" + encodeURIComponent(picked.a || "") +
        "&b=" + encodeURIComponent(picked.b || ""));
      clear.hidden = !(picked.a || picked.b);
    }
    function toggle(control) {
      var slug = control.closest(".llmarch-card").dataset.slug;
      setParam(control.dataset.pick, params.get(control.dataset.pick) === slug ? "" : slug);
      show();
    }
    root.addEventListener("click", function (event) {
      var control = event.target.closest("a.llmarch-pick");
      if (!control) { return; }
      event.preventDefault();
      toggle(control);
    });
    root.addEventListener("keydown", function (event) {  /* a button answers the space bar */
      var control = event.target.closest("a.llmarch-pick");
      if (!control || event.key !== " ") { return; }
      event.preventDefault();
      toggle(control);
    });
    clear.addEventListener("click", function () {
      setParam("a", "");
      setParam("b", "");
      show();
    });
    pickBar.hidden = false;
    show();
  }

  /* ------------------------------------------------------------------ overview table */

  function sortable(table) {
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    function order(index, dir) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
        var nx = parseFloat(x), ny = parseFloat(y);
        var numeric = !isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y;
        if (numeric) { return (nx - ny) * dir; }
        return x.localeCompare(y) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      heads.forEach(function (h, i) {
        h.setAttribute("aria-sort", i === index ? (dir > 0 ? "ascending" : "descending") : "none");
      });
    }
    heads.forEach(function (head, index) {
      head.addEventListener("click", function () {
        var dir = head.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        order(index, dir);
        setParam("order", head.dataset.key);
        setParam("dir", dir > 0 ? "" : "desc");
      });
    });
    var start = heads.map(function (h) { return h.dataset.key; }).indexOf(params.get("order"));
    if (start >= 0) { order(start, params.get("dir") === "desc" ? -1 : 1); }
  }

  /* ------------------------------------------------------------------ poster */

  function poster(root) {
    var frame = root.querySelector(".llmarch-poster-frame");
    var svg = frame && frame.querySelector("svg");
    if (!svg || !svg.viewBox.baseVal) { return; }
    var box = svg.viewBox.baseVal;
    var whole = {x: box.x, y: box.y, w: box.width, h: box.height};
    var view = null;
    root.classList.add("llmarch-poster-live");
    root.querySelector(".llmarch-poster-help").hidden = false;
    frame.tabIndex = 0;
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-label", "Poster of every model; arrow keys move, + and − zoom");

    function size() { return {w: frame.clientWidth || 1, h: frame.clientHeight || 1}; }
    function show() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return v.toFixed(2);
      }).join(" "));
    }
    function fitted() {  /* the whole poster, in the frame's proportions */
      var f = size(), w = Math.max(whole.w, whole.h * f.w / f.h);
      var h = w * f.h / f.w;
      return {x: whole.x - (w - whole.w) / 2, y: whole.y, w: w, h: h};
    }
    function clamp() {
      var fit = fitted();
      view.w = Math.min(Math.max(view.w, whole.w / 40), fit.w);
      view.h = view.w * size().h / size().w;
      view.x = Math.min(Math.max(view.x, fit.x), fit.x + fit.w - view.w);
      view.y = Math.min(Math.max(view.y, whole.y), Math.max(whole.y, whole.y + whole.h - view.h));
      show();
    }
    function fit() { view = fitted(); clamp(); }
    function frameHeight() {  /* the whole poster fills the frame's width, if the screen allows */
      var tall = frame.clientWidth * whole.h / whole.w;
      frame.style.height = Math.round(Math.max(Math.min(tall, window.innerHeight * 0.8), 320)) + "px";
    }
    function zoom(factor, px, py) {  /* px, py: the fixed point, in pixels of the frame */
      var f = size();
      px = px === undefined ? f.w / 2 : px;
      py = py === undefined ? f.h / 2 : py;
      var sx = view.x + px / f.w * view.w, sy = view.y + py / f.h * view.h;
      view.w /= factor;
      view.h = view.w * f.h / f.w;
      view.x = sx - px / f.w * view.w;
      view.y = sy - py / f.h * view.h;
      clamp();
    }
    function pan(dx, dy) {  /* in pixels of the frame */
      var f = size();
      view.x -= dx / f.w * view.w;
      view.y -= dy / f.h * view.h;
      clamp();
    }

    var bar = element("div", {"class": "llmarch-controls llmarch-poster-controls"});
    [["+", "Zoom in", function () { zoom(1.5); }],
     ["−", "Zoom out", function () { zoom(1 / 1.5); }],
     ["Whole poster", "Show the whole poster", fit]].forEach(function (b) {
      var button = element("button", {"type": "button", "aria-label": b[1], "title": b[1]}, b[0]);
      button.addEventListener("click", b[2]);
      bar.appendChild(button);
    });
    root.insertBefore(bar, frame);

    frame.addEventListener("keydown", function (event) {
      var step = 80, keys = {
        "ArrowLeft": function () { pan(step, 0); }, "ArrowRight": function () { pan(-step, 0); },
        "ArrowUp": function () { pan(0, step); }, "ArrowDown": function () { pan(0, -step); },
        "+": function () { zoom(1.5); }, "=": function () { zoom(1.5); },
        "-": function () { zoom(1 / 1.5); }, "0": fit
      };
      if (keys[event.key] && !event.ctrlKey && !event.metaKey && !event.altKey) {
        keys[event.key]();
        event.preventDefault();
      }
    });
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }  /* plain scrolling scrolls the page */
      var r = frame.getBoundingClientRect();
      zoom(Math.exp(-event.deltaY / 300), event.clientX - r.left, event.clientY - r.top);
      event.preventDefault();
    }, {passive: false});

    var pointers = {}, moved = 0, last = null;
    function spread() {
      var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
      if (p.length < 2) { return {d: 0, x: p[0].x, y: p[0].y}; }
      return {d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y),
              x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2};
    }
    frame.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
      if (Object.keys(pointers).length === 1) { moved = 0; }
      last = spread();
    });
    frame.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) { return; }
      pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
      var now = spread(), r = frame.getBoundingClientRect();
      moved += Math.abs(now.x - last.x) + Math.abs(now.y - last.y);
      if (moved > 4 && !frame.hasPointerCapture(event.pointerId)) {
        try { frame.setPointerCapture(event.pointerId); } catch (e) { /* pointer gone */ }
      }
      if (now.d && last.d) { zoom(now.d / last.d, now.x - r.left, now.y - r.top); }
      pan(now.x - last.x, now.y - last.y);
      last = now;
    });
    function release(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length) { last = spread(); }
    }
    frame.addEventListener("pointerup", release);
    frame.addEventListener("pointercancel", release);
    /* a drag that ends on a model is not a click on its link */
    frame.addEventListener("click", function (event) {
      if (moved > 4) { event.preventDefault(); }
      moved = 0;  /* the next click, from a key say, is one */
    }, true);
    window.addEventListener("resize", function () { frameHeight(); clamp(); });
    frameHeight();
    fit();
  }

  function start() {
    document.querySelectorAll("[data-llmarch-gallery]").forEach(gallery);
    document.querySelectorAll("table[data-llmarch-sortable]").forEach(sortable);
    document.querySelectorAll("[data-llmarch-poster]").forEach(poster);
  }
  // shared with llmarch-memory.js and llmarch-compare.js, which run after this script
  window.llmarch = {params: params, setParam: setParam, element: element};
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
}());
