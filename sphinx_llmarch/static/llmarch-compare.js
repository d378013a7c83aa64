/* sphinx-llmarch: the "compare any two models" page. It draws, from the site's data script
 * and each model's diagram script, one line saying what differs, the table of facts (only
 * the rows that differ at first, a switch shows all), and both diagrams one above the
 * other with the blocks that differ outlined. Which blocks differ is read from the
 * signatures the build wrote on each block; the words of the line from the build's
 * aspects of each model (describe/changes.py says both by the same rules). */
(function () {
  "use strict";

  var shared = window.llmarch;
  if (!shared) { return; }
  var params = shared.params, element = shared.element;

  /* the summary line: describe.changes.aspect_changes and summary, for two models; ``kinds``
   * are (key, how, form) of each aspect, ``before`` and ``after`` the names of each */
  function changes(kinds, before, after) {
    var lines = [], previousSame = true;
    kinds.forEach(function (kind, i) {
      var how = kind[1], form = kind[2];
      var was = before[i].filter(Boolean), now = after[i].filter(Boolean);
      var same = was.join("\u0000") === now.join("\u0000");
      function said(text) { return form.replace("{}", text); }
      if (how === "toggle") {
        now.forEach(function (n) { if (was.indexOf(n) < 0) { lines.push("+ " + said(n)); } });
        was.forEach(function (n) { if (now.indexOf(n) < 0) { lines.push("− " + said(n)); } });
      } else if (same || (how === "detail" && !previousSame)) {
        /* nothing to say */
      } else if (was.length && now.length) {
        lines.push(said(was.join(" / ") + " → " + now.join(" / ")));
      } else {
        lines.push((now.length ? "+ " : "− ") + said((now.length ? now : was).join(" / ")));
      }
      previousSame = same;
    });
    return lines;
  }

  function summary(lines) {
    if (!lines.length) { return "No architectural differences."; }
    return lines.length + " architectural difference" + (lines.length !== 1 ? "s" : "") +
      ": " + lines.join(", ");
  }

  /* the blocks to mark: draw.changed.differing, on the signatures written in the SVG */
  function blocks(svg) {
    var out = {};
    svg.querySelectorAll("[data-llmarch-block]").forEach(function (el) {
      out[el.getAttribute("data-llmarch-block")] = el.getAttribute("data-llmarch-sig");
    });
    return out;
  }

  function panelOf(block) {
    var parts = block.split("/");
    return parts[0] !== "main" && parts.length > 2 ? parts.slice(0, 2).join("/") : null;
  }

  function differing(a, b) {
    var keys = Object.keys(Object.assign({}, a, b));
    return keys.filter(function (k) {
      var panel = panelOf(k);
      return a[k] !== b[k] && (panel === null || (panel in a && panel in b));
    });
  }

  /* the smallest scale of a compared diagram (ext/compare.py MIN_SCALE): a narrower column
   * scrolls it sideways, and the diagrams of a comparison scroll together */
  var MIN_SCALE = 0.75;

  function together(holder) {
    var boxes = Array.prototype.slice.call(holder.children), moving = null;
    boxes.forEach(function (box) {
      box.addEventListener("scroll", function () {
        if (moving && moving !== box) { return; }
        moving = box;
        boxes.forEach(function (other) { if (other !== box) { other.scrollLeft = box.scrollLeft; } });
        window.requestAnimationFrame(function () { moving = null; });
      });
    });
  }

  /* where a column is narrower than the diagrams, start with their layer stacks in view */
  function stacksInView(holder) {
    var box = holder.querySelector(".llmarch-diagram");
    var stack = box && box.querySelector("svg .llmarch-main");
    if (!stack || box.scrollWidth <= box.clientWidth) { return; }
    box.scrollLeft = stack.getBoundingClientRect().left - box.getBoundingClientRect().left - 16;
  }

  function loadDiagram(base, slug, m, done) {
    var store = window.LLMARCH_DIAGRAMS = window.LLMARCH_DIAGRAMS || {};
    if (store[slug] || !m.diagram) { done(store[slug] || null); return; }
    var script = element("script", {src: base + m.diagram});
    script.onload = function () { done(store[slug] || null); };
    script.onerror = function () { done(null); };
    document.head.appendChild(script);
  }

  /* a diagram inline, its ids made unique on the page (a model may be compared with itself) */
  function inline(text, suffix) {
    var holder = element("div");
    holder.innerHTML = text;
    var svg = holder.querySelector("svg");
    svg.querySelectorAll("[id]").forEach(function (el) { el.id = el.id + suffix; });
    var labelled = svg.getAttribute("aria-labelledby") || "";
    svg.setAttribute("aria-labelledby", labelled.split(" ").map(function (id) {
      return id + suffix;
    }).join(" "));
    return svg;
  }

  /* a model the project shows nowhere has no page: its name, unlinked */
  function named(base, m, text) {
    return m.page ? element("a", {href: base + m.page}, text) : element("span", {}, text);
  }

  function picture(base, m, theme) {
    return element("img", {src: base + m.images[theme], alt: "Diagram of " + m.name,
      "class": "llmarch-compare-image only-" + theme});
  }

  function diagrams(out, base, chosen, data) {
    var holder = element("div", {"class": "llmarch-compare-diagrams"});
    var legend = element("p", {"class": "llmarch-compare-legend", hidden: "hidden"});
    legend.appendChild(element("span", {"class": "llmarch-changed-key"}));
    legend.appendChild(document.createTextNode(" Outlined: the boxes and side panels that " +
      "differ between the diagrams (another mechanism, other sizes, or in one model only)."));
    out.appendChild(legend);
    out.appendChild(holder);
    var svgs = [], waiting = chosen.length;
    chosen.forEach(function (slug, i) {
      var m = data.models[slug];
      var box = holder.appendChild(element("div", {"class": "llmarch-diagram llmarch-full"}));
      var name = box.appendChild(element("p", {"class": "llmarch-compare-name"}));
      name.appendChild(named(base, m, (i ? "B: " : "A: ") + m.name));
      loadDiagram(base, slug, m, function (text) {
        if (text) {
          svgs[i] = box.appendChild(inline(text, "-" + "ab"[i]));
          box.style.setProperty("--llmarch-min-width",
            Math.round(MIN_SCALE * svgs[i].width.baseVal.value) + "px");
        } else {  /* no diagram script: the pictures, without marks */
          box.appendChild(picture(base, m, "light"));
          box.appendChild(picture(base, m, "dark"));
        }
        /* the viewer adds its buttons (zoom, downloads) */
        box.dispatchEvent(new CustomEvent("llmarch:diagram", {bubbles: true, detail: {
          name: m.name, images: {light: base + m.images.light, dark: base + m.images.dark}}}));
        waiting -= 1;
        if (!waiting) { stacksInView(holder); }
        if (waiting || !svgs[0] || !svgs[1]) { return; }
        var marked = differing(blocks(svgs[0]), blocks(svgs[1]));
        svgs.forEach(function (svg) {
          svg.querySelectorAll("[data-llmarch-block]").forEach(function (el) {
            if (marked.indexOf(el.getAttribute("data-llmarch-block")) >= 0) {
              el.classList.add("llmarch-changed");
            }
          });
        });
        legend.hidden = !marked.length;
      });
    });
    together(holder);
  }

  function cell(tag, key, value, data, base) {
    var el = element(tag);
    var model = data.model_rows.indexOf(key) >= 0 && data.models[value];
    if (model) {
      el.appendChild(named(base, model, model.name));
    } else {
      el.textContent = value;
    }
    return el;
  }

  function table(out, base, chosen, data) {
    var keys = Object.keys(data.fields);
    var noted = keys.filter(function (k) { return data.notes[k]; });
    var rows = element("div", {"class": "llmarch-compare-rows"});
    var toggle = rows.appendChild(element("input", {type: "checkbox", id: "llmarch-rows-app",
      "class": "llmarch-rows-toggle"}));
    var label = rows.appendChild(element("label", {"for": "llmarch-rows-app",
      "class": "llmarch-rows-label"}));
    var t = rows.appendChild(element("table", {"class": "llmarch-compare-table docutils"}));
    var head = element("tr");
    head.appendChild(element("th"));
    chosen.forEach(function (slug) {
      var th = element("th");
      th.appendChild(named(base, data.models[slug], data.models[slug].name));
      head.appendChild(th);
    });
    t.appendChild(element("thead")).appendChild(head);
    var body = t.appendChild(element("tbody")), count = 0;
    keys.forEach(function (key) {
      var values = chosen.map(function (slug) { return data.models[slug].values[key]; });
      var differs = values[0] !== values[1];
      count += differs ? 1 : 0;
      var row = element("tr", differs ? {"class": "llmarch-differs"} : {});
      var th = row.appendChild(element("th", {}, data.fields[key]));
      if (noted.indexOf(key) >= 0) { th.appendChild(element("sup", {}, noted.indexOf(key) + 1 + "")); }
      values.forEach(function (v) {
        var td = cell("td", key, v, data, base);
        if (differs) { td.className = "llmarch-differs"; }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    label.textContent = "Only the rows that differ (" + count + " of " + keys.length + ")";
    toggle.checked = count > 0;  /* where no row differs, every row */
    var notes = rows.appendChild(element("div", {"class": "llmarch-compare-notes"}));
    noted.forEach(function (key, i) {
      var p = notes.appendChild(element("p"));
      p.appendChild(element("sup", {}, i + 1 + ""));
      p.appendChild(element("strong", {}, data.fields[key]));
      p.appendChild(document.createTextNode(": " + data.notes[key]));
    });
    notes.appendChild(element("p", {}, data.none_note));
    out.appendChild(rows);
  }

  function compare(root) {
    var data = window.LLMARCH_DATA;
    var out = root.querySelector(".llmarch-compare-result");
    if (!data || !out) { return; }
    var base = document.documentElement.dataset.content_root || "";
    var form = root.querySelector("form");
    var a = params.get("a"), b = params.get("b");
    form.elements.a.value = a || "";
    form.elements.b.value = b || "";
    var chosen = [a, b].filter(function (s) { return s && data.models[s]; });
    if (chosen.length < 2) {
      out.appendChild(element("p", {}, "Choose two models."));
      return;
    }
    var models = chosen.map(function (slug) { return data.models[slug]; });
    out.appendChild(element("p", {"class": "llmarch-compare-summary"},
      summary(changes(data.aspect_kinds, models[0].aspects, models[1].aspects))));
    table(out, base, chosen, data);
    diagrams(out, base, chosen, data);
    if (window.llmarchMemory && data.memory_settings) {
      out.appendChild(element("h2", {id: "llmarch-compare-memory"}, "Memory"));
      var memory = out.appendChild(element("div", {"class": "llmarch-memory"}));
      window.llmarchMemory.calculator(memory, chosen.map(function (slug) {
        var m = data.models[slug];
        return Object.assign({slug: slug, name: m.name}, m.memory);
      }), data.memory_settings);
    }
    document.title = models[0].name + " vs " + models[1].name + " – " + document.title;
  }

  /* a model page's "Compare with…" picker: the page names its similar models, the names
   * script every model; the others are added after them, by name */
  function offerEveryModel(select) {
    var names = window.LLMARCH_NAMES || [], form = select.form;
    var self = form && form.elements.a ? form.elements.a.value : "";
    var offered = {};
    Array.prototype.forEach.call(select.options, function (o) { offered[o.value] = true; });
    names.forEach(function (pair) {
      if (pair[0] !== self && !offered[pair[0]]) {
        select.appendChild(element("option", {value: pair[0]}, pair[1]));
      }
    });
  }

  function start() {
    document.querySelectorAll("select[data-llmarch-names]").forEach(offerEveryModel);
    document.querySelectorAll("[data-llmarch-compare]").forEach(compare);
    document.querySelectorAll(".llmarch-compare > .llmarch-compare-diagrams").forEach(
      function (holder) { together(holder); stacksInView(holder); });
  }
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
}());
