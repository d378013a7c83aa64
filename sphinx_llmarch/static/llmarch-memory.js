/* sphinx-llmarch: the memory calculator (model pages, the compare page) and the memory
 * chart's model picker. The pages are complete without this script: they show tables.
 *
 * One truth: the per-model coefficients (parameters, the cache curve's linear pieces, the
 * state) and the settings (precisions, accelerators, headroom) are written by the Python
 * implementation (sphinx_llmarch/model/memory.py) at build time. This script only evaluates
 * them with the same operations in the same order, so its integers equal `llmarch memory
 * --json`'s (the browser tests check it). */
(function () {
  "use strict";

  var params = window.llmarch.params;
  var setParam = window.llmarch.setParam;
  var element = window.llmarch.element;

  /* ------------------------------------------------------------------ arithmetic */

  // memory.py: cache_at(curve, context), the last piece starting at or before the context
  function cacheAt(curve, n) {
    var piece = curve[0];
    curve.forEach(function (p) { if (p[0] <= Math.max(n, 1)) { piece = p; } });
    return piece[1] * n + piece[2];
  }

  // memory.py: memory(c, context, batch, weights, kv, state)
  function compute(m, s, n, batch, weights, kv, state) {
    var perState = s.precisions[state || m.state_precision || kv];
    var result = {
      weights: Math.ceil(m.params * s.precisions[weights]),
      kv: Math.ceil(batch * cacheAt(m.curve, n) * s.precisions[kv]),
      state: Math.ceil(batch * m.state * perState),
      beyond: n > m.maximum
    };
    result.total = result.weights + result.kv + result.state;
    result.accelerators = s.accelerators.map(function (a) {
      return [a[0], Math.ceil(result.total / (a[1] * (1 - s.headroom)))];
    });
    return result;
  }

  // memory.py: crossover(c, batch, weights, kv), bisecting the same predicate
  function crossover(m, s, batch, weights, kv) {
    var target = m.params * s.precisions[weights];
    var over = function (n) { return batch * cacheAt(m.curve, n) * s.precisions[kv] > target; };
    if (!over(m.maximum)) { return null; }
    var low = 0, high = m.maximum;
    while (high - low > 1) {
      var middle = Math.floor((low + high) / 2);
      if (over(middle)) { high = middle; } else { low = middle; }
    }
    return high;
  }

  /* ------------------------------------------------------------------ words */

  function sig3(x) {  // describe/fmt.py: _sig3
    if (x >= 100) { return x.toFixed(0); }
    if (x >= 10) { return x.toFixed(1).replace(/\.0$/, ""); }
    return x.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
  }

  function bytes(n) {  // describe/fmt.py: bytes_iec
    if (n === 0) { return "0 B"; }
    var units = ["B", "KiB", "MiB", "GiB", "TiB"], value = n, i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
    return i === 0 ? n + " B" : sig3(value) + " " + units[i];
  }

  function tokens(n) {  // describe/memory.py: context_label
    if (n % (1024 * 1024) === 0) { return n / (1024 * 1024) + "M"; }
    if (n % 1024 === 0) { return n / 1024 + "k"; }
    return n.toLocaleString("en-US");
  }

  // memory.py: parse_context; null when the text is not a positive whole number of tokens
  function parseContext(text) {
    var match = /^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*$/i.exec(text);
    if (!match) { return null; }
    var n = parseFloat(match[1]) * {"": 1, k: 1024, m: 1024 * 1024}[match[2].toLowerCase()];
    return n > 0 && Math.floor(n) === n ? n : null;
  }

  /* ------------------------------------------------------------------ calculator */

  // the slider's stops: powers of two from 1k to the largest maximum, and that maximum
  function stops(models) {
    var top = Math.max.apply(null, models.map(function (m) { return m.maximum; }));
    var list = [];
    for (var n = 1024; n < top; n *= 2) { list.push(n); }
    list.push(top);
    return list;
  }

  function select(name, label, options, value) {
    var wrap = element("label", {"class": "llmarch-calc-field"}, label + " ");
    var box = element("select", {name: name});
    options.forEach(function (o) { box.appendChild(element("option", {value: o[0]}, o[1])); });
    box.value = value;
    wrap.appendChild(box);
    return wrap;
  }

  function form(models, s, id) {
    var names = Object.keys(s.precisions);
    var choices = names.map(function (p) { return [p, p]; });
    var top = stops(models);
    var start = params.get("ctx") && parseContext(params.get("ctx")) ? params.get("ctx") :
      tokens(Math.min(131072, Math.min.apply(null, models.map(function (m) { return m.maximum; }))));
    var f = element("form", {"class": "llmarch-calc-form", "aria-label": "Memory calculator"});
    var context = element("label", {"class": "llmarch-calc-field llmarch-calc-context"},
      "Context ");
    context.appendChild(element("input", {type: "range", name: "slider", min: "0",
      max: String(top.length - 1), step: "1", "aria-label": "Context (slider)",
      "aria-describedby": id + "-context"}));
    context.appendChild(element("input", {type: "text", name: "context", value: start,
      size: "9", inputmode: "numeric", "aria-label": "Context in tokens (e.g. 32768, 128k, 1m)",
      id: id + "-context"}));
    f.appendChild(context);
    var batch = element("label", {"class": "llmarch-calc-field"}, "Batch ");
    batch.appendChild(element("input", {type: "number", name: "batch", min: "1", step: "1",
      value: params.get("batch") || "1", size: "4"}));
    f.appendChild(batch);
    f.appendChild(select("weights", "Weights", choices, params.get("w") || "bf16"));
    f.appendChild(select("kv", "KV cache", choices, params.get("kv") || "bf16"));
    if (models.some(function (m) { return m.state; })) {
      var declared = models.map(function (m) { return m.state_precision; }).filter(Boolean);
      var auto = declared.length ? "as declared (" + declared.join(", ") + "), else as the cache" :
        "as the KV cache";
      f.appendChild(select("state", "Fixed state", [["", auto]].concat(choices),
        params.get("st") || ""));
    }
    return {form: f, stops: top};
  }

  function row(list, label, value, key) {
    list.appendChild(element("dt", {"data-key": key}, label));
    var dd = element("dd", {"data-key": key});
    dd.textContent = value;
    list.appendChild(dd);
    return dd;
  }

  function showResult(box, m, s, r, scale, setting) {
    box.textContent = "";
    if (setting.many) { box.appendChild(element("p", {"class": "llmarch-calc-name"}, m.name)); }
    var bar = element("div", {"class": "llmarch-calc-bar", role: "img", "aria-label":
      "Weights " + bytes(r.weights) + ", KV cache " + bytes(r.kv) + ", fixed state " +
      bytes(r.state)});
    [["weights", r.weights], ["kv", r.kv], ["state", r.state]].forEach(function (part) {
      if (part[1] > 0) {
        bar.appendChild(element("span", {"class": "llmarch-calc-" + part[0],
          style: "width:" + (100 * part[1] / scale).toFixed(3) + "%"}));
      }
    });
    box.appendChild(bar);
    var list = element("dl", {"class": "llmarch-calc-figures"});
    [["Weights", "weights"], ["KV cache", "kv"], ["Fixed state", "state"], ["Total", "total"]]
      .filter(function (item) { return item[1] !== "state" || m.state > 0; })
      .forEach(function (item) {
        row(list, item[0], bytes(r[item[1]]), item[1]).setAttribute("data-bytes", r[item[1]]);
      });
    row(list, "Accelerators", r.accelerators.map(function (a) { return a[1] + " × " + a[0]; })
      .join(", ") + " (" + Math.round(s.headroom * 100) + "% of each kept free)", "accelerators");
    var at = crossover(m, s, setting.batch, setting.weights, setting.kv);
    row(list, "Cache outweighs the weights", at === null ?
      "not within its " + tokens(m.maximum) + "-token context" :
      "from " + at.toLocaleString("en-US") + " tokens", "crossover")
      .setAttribute("data-tokens", at === null ? "" : String(at));
    box.appendChild(list);
    if (r.beyond) {
      box.appendChild(element("p", {"class": "llmarch-calc-warning"},
        setting.context.toLocaleString("en-US") + " tokens exceed " + m.name +
        "'s native context of " + m.maximum.toLocaleString("en-US") +
        ": the figures hold, the model may not."));
    }
  }

  function calculator(root, models, s) {
    var id = "llmarch-calc-" + models.map(function (m) { return m.slug; }).join("-");
    var built = form(models, s, id);
    var f = built.form, message = element("p", {"class": "llmarch-calc-message",
      role: "status", "aria-live": "polite"});
    var boxes = models.map(function (m) {
      return element("div", {"class": "llmarch-calc-result", "data-slug": m.slug});
    });
    var panel = element("div", {"class": "llmarch-calc"});
    panel.appendChild(f);
    panel.appendChild(message);
    boxes.forEach(function (b) { panel.appendChild(b); });
    root.insertBefore(panel, root.firstChild);

    function update(fromSlider) {
      var e = f.elements;
      if (fromSlider) { e.context.value = tokens(built.stops[+e.slider.value]); }
      var n = parseContext(e.context.value), batch = Number(e.batch.value);
      var problems = [];
      if (n === null) {
        problems.push("The context must be a positive whole number of tokens, such as 32768, " +
          "128k or 1m.");
      }
      if (!(batch >= 1 && Math.floor(batch) === batch)) {
        problems.push("The batch must be a whole number of sequences, 1 or more.");
      }
      message.textContent = problems.join(" ");
      panel.classList.toggle("llmarch-calc-invalid", problems.length > 0);
      if (problems.length) {
        boxes.forEach(function (b) { b.textContent = ""; });
        return;
      }
      if (!fromSlider) {
        var near = built.stops.filter(function (x) { return x <= n; }).length - 1;
        e.slider.value = String(Math.max(near, 0));
      }
      var setting = {context: n, batch: batch, weights: e.weights.value, kv: e.kv.value,
        many: models.length > 1};
      var state = e.state ? e.state.value : "";
      var results = models.map(function (m) {
        return compute(m, s, n, batch, setting.weights, setting.kv, state);
      });
      var scale = Math.max.apply(null, results.map(function (r) { return r.total; }));
      models.forEach(function (m, i) { showResult(boxes[i], m, s, results[i], scale, setting); });
      setParam("ctx", e.context.value.trim() === tokens(Math.min(131072, models[0].maximum)) ?
        "" : e.context.value.trim());
      setParam("batch", batch === 1 ? "" : String(batch));
      setParam("w", setting.weights === "bf16" ? "" : setting.weights);
      setParam("kv", setting.kv === "bf16" ? "" : setting.kv);
      setParam("st", state);
    }
    f.addEventListener("submit", function (event) { event.preventDefault(); });
    f.elements.slider.addEventListener("input", function () { update(true); });
    ["context", "batch", "weights", "kv", "state"].forEach(function (name) {
      if (f.elements[name]) {
        f.elements[name].addEventListener("input", function () { update(false); });
      }
    });
    update(false);
  }

  /* ------------------------------------------------------------------ the chart's picker */

  function chart(root) {
    var data = JSON.parse(root.getAttribute("data-llmarch-memory-chart"));
    var lines = {};
    root.querySelectorAll("g.llmarch-series").forEach(function (g) { lines[g.dataset.slug] = g; });
    var max = data.max;
    var shown = (params.get("models") || "").split(",").filter(function (s) { return lines[s]; });
    if (!params.get("models")) { shown = data.shown.slice(); }
    var legend = root.querySelector(".llmarch-legend");
    var bar = element("div", {"class": "llmarch-controls"});
    var pick = element("select", {"aria-label": "Model to add to the chart", name: "model"});
    Object.keys(data.names).sort(function (a, b) {
      return data.names[a].toLowerCase() < data.names[b].toLowerCase() ? -1 : 1;
    }).forEach(function (slug) {
      if (lines[slug]) { pick.appendChild(element("option", {value: slug}, data.names[slug])); }
    });
    var add = element("button", {type: "button"}, "Add to the chart");
    var note = element("span", {role: "status", "aria-live": "polite"});
    bar.appendChild(pick);
    bar.appendChild(add);
    bar.appendChild(note);
    root.insertBefore(bar, root.firstChild);

    function draw() {
      Object.keys(lines).forEach(function (slug) {
        var slot = shown.indexOf(slug);
        lines[slug].setAttribute("class", "llmarch-series " +
          (slot < 0 ? "llmarch-off" : "llmarch-series-" + slot));
      });
      legend.textContent = "";
      shown.forEach(function (slug, i) {
        var item = element("li");
        item.appendChild(element("span", {"class": "llmarch-swatch llmarch-series-" + i}));
        item.appendChild(document.createTextNode(data.names[slug] + " "));
        var remove = element("button", {type: "button", "aria-label": "Remove " +
          data.names[slug] + " from the chart"}, "×");
        remove.addEventListener("click", function () {
          shown.splice(shown.indexOf(slug), 1);
          draw();
        });
        item.appendChild(remove);
        legend.appendChild(item);
      });
      setParam("models", shown.join(",") === data.shown.join(",") ? "" : shown.join(","));
    }
    add.addEventListener("click", function () {
      if (shown.indexOf(pick.value) >= 0) {
        note.textContent = data.names[pick.value] + " is already on the chart.";
      } else if (shown.length >= max) {
        note.textContent = "At most " + max + " models at once: remove one first.";
      } else {
        note.textContent = "";
        shown.push(pick.value);
        draw();
      }
    });
    draw();
  }

  function start() {
    document.querySelectorAll("[data-llmarch-memory]").forEach(function (root) {
      var data = JSON.parse(root.getAttribute("data-llmarch-memory"));
      calculator(root, data.models, data.settings);
    });
    document.querySelectorAll("[data-llmarch-memory-chart]").forEach(chart);
  }
  window.llmarchMemory = {calculator: calculator};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
