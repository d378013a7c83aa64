/* sphinx-llmarch: the diagram viewer. Every diagram's toolbar gets a button that opens the
 * diagram large in a modal dialog, to zoom (buttons, wheel, pinch, + − 0) and pan (drag,
 * arrow keys); a click on the diagram opens it too (on a phone, a tap anywhere on it). The
 * SVG download links are in the page's HTML and work without this script; it adds a PNG
 * button, which draws the light SVG into a canvas here, in the reader's browser. Runs after
 * llmarch-compare.js, whose diagrams get a toolbar here too. */
(function () {
  "use strict";

  var MIN = 0.05, MAX = 8, STEP = 1.25, MOVE = 60, READABLE = 0.8;
  var phone = window.matchMedia("(max-width: 48em), (pointer: coarse)");
  var ui = null;  /* the dialog and its parts, made on first use */
  var shown = null;  /* the open diagram: its natural size, the button that opened it */
  var view = {x: 0, y: 0, s: 1};

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function button(label, name, action) {
    var b = element("button", {"type": "button", "class": "llmarch-tool", "aria-label": name,
      "title": name}, label);
    b.addEventListener("click", action);
    return b;
  }

  /* ------------------------------------------------------------------ the dialog */

  function build() {
    var dialog = element("dialog", {"class": "llmarch-viewer",
      "aria-labelledby": "llmarch-viewer-title"});
    var bar = element("div", {"class": "llmarch-viewer-bar"});
    var title = element("h2", {"id": "llmarch-viewer-title", "class": "llmarch-viewer-title"});
    var tools = element("div", {"class": "llmarch-viewer-tools", "role": "group",
      "aria-label": "Zoom and files"});
    var scale = element("output", {"class": "llmarch-viewer-scale", "aria-live": "polite"});
    var files = element("span", {"class": "llmarch-viewer-files"});
    tools.appendChild(button("−", "Zoom out (−)", function () { zoom(1 / STEP); }));
    tools.appendChild(scale);
    tools.appendChild(button("+", "Zoom in (+)", function () { zoom(STEP); }));
    tools.appendChild(button("Fit", "Fit the diagram to the window (0)", fit));
    tools.appendChild(files);
    var close = button("✕", "Close (Escape)", function () { dialog.close(); });
    close.classList.add("llmarch-viewer-close");
    bar.appendChild(title);
    bar.appendChild(tools);
    bar.appendChild(close);
    var stage = element("div", {"class": "llmarch-viewer-stage", "tabindex": "0",
      "role": "region", "aria-label": "Diagram: drag or use the arrow keys to move it, " +
      "pinch, the wheel, + and − to zoom, 0 to fit"});
    var content = element("div", {"class": "llmarch-viewer-content"});
    stage.appendChild(content);
    dialog.appendChild(bar);
    dialog.appendChild(stage);
    document.body.appendChild(dialog);
    ui = {dialog: dialog, title: title, scale: scale, files: files, stage: stage,
      content: content};
    dialog.addEventListener("keydown", keys);
    dialog.addEventListener("close", function () {
      content.textContent = "";
      document.documentElement.classList.remove("llmarch-viewer-open");
      if (shown && shown.opener) { shown.opener.focus(); }
      shown = null;
    });
    /* a click on the backdrop (outside the dialog's box) closes it */
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }
    });
    gestures(stage);
    window.addEventListener("resize", function () { if (shown) { clamp(); } });
  }

  function stageSize() {
    return {w: ui.stage.clientWidth || 1, h: ui.stage.clientHeight || 1};
  }

  function apply() {
    ui.content.style.transform = "translate(" + view.x.toFixed(1) + "px, " +
      view.y.toFixed(1) + "px) scale(" + view.s.toFixed(4) + ")";
    ui.stage.setAttribute("data-scale", view.s.toFixed(4));
    ui.scale.textContent = Math.round(view.s * 100) + "%";
  }

  /* a diagram smaller than the stage is centred; a larger one cannot leave an empty edge */
  function clamp() {
    var f = stageSize(), w = shown.w * view.s, h = shown.h * view.s;
    view.x = w <= f.w ? (f.w - w) / 2 : Math.min(0, Math.max(f.w - w, view.x));
    view.y = h <= f.h ? (f.h - h) / 2 : Math.min(0, Math.max(f.h - h, view.y));
    apply();
  }

  /* the whole diagram, centred */
  function fit() {
    var f = stageSize();
    view.s = Math.min(f.w / shown.w, f.h / shown.h);
    clamp();
  }

  /* on opening: the whole diagram where its text stays readable, else large enough to read
   * (up to its own size), centred across and from its top */
  function reset() {
    var f = stageSize();
    var whole = Math.min(f.w / shown.w, f.h / shown.h);
    view.s = Math.max(whole, Math.min(1, Math.max(f.w / shown.w, READABLE)));
    view.x = (f.w - shown.w * view.s) / 2;
    view.y = 0;
    clamp();
  }

  function zoom(factor, px, py) {  /* px, py: the point that stays put, in stage pixels */
    var f = stageSize();
    px = px === undefined ? f.w / 2 : px;
    py = py === undefined ? f.h / 2 : py;
    var s = Math.min(MAX, Math.max(MIN, view.s * factor));
    view.x = px - (px - view.x) * s / view.s;
    view.y = py - (py - view.y) * s / view.s;
    view.s = s;
    clamp();
  }

  function pan(dx, dy) {
    view.x += dx;
    view.y += dy;
    clamp();
  }

  function keys(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var actions = {
      "+": function () { zoom(STEP); }, "=": function () { zoom(STEP); },
      "-": function () { zoom(1 / STEP); }, "_": function () { zoom(1 / STEP); },
      "0": fit,
      /* closed here: Sphinx's search-word shortcut takes Escape from the page otherwise */
      "Escape": function () { ui.dialog.close(); },
      "ArrowLeft": function () { pan(MOVE, 0); }, "ArrowRight": function () { pan(-MOVE, 0); },
      "ArrowUp": function () { pan(0, MOVE); }, "ArrowDown": function () { pan(0, -MOVE); }
    };
    var act = actions[event.key];
    if (act) {
      event.preventDefault();
      act();
    }
  }

  function gestures(stage) {
    var pointers = {}, last = null, moved = 0;
    function spread() {
      var ps = Object.keys(pointers).map(function (k) { return pointers[k]; });
      var box = stage.getBoundingClientRect();
      var x = 0, y = 0;
      ps.forEach(function (p) { x += p.x; y += p.y; });
      x = x / ps.length - box.left;
      y = y / ps.length - box.top;
      var d = ps.length > 1 ? Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y) : 0;
      return {x: x, y: y, d: d, n: ps.length};
    }
    stage.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
      last = spread();
      if (last.n === 1) { moved = 0; }
    });
    stage.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) { return; }
      pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
      var now = spread();
      if (now.n !== last.n) { last = now; return; }
      moved += Math.abs(now.x - last.x) + Math.abs(now.y - last.y);
      if (moved > 4 && !stage.hasPointerCapture(event.pointerId)) {
        stage.setPointerCapture(event.pointerId);  /* a drag, not a click on a link */
      }
      if (now.n > 1 && last.d > 0) { zoom(now.d / last.d, now.x, now.y); }
      pan(now.x - last.x, now.y - last.y);
      last = now;
    });
    function release(event) {
      delete pointers[event.pointerId];
      last = Object.keys(pointers).length ? spread() : null;
    }
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
    stage.addEventListener("click", function (event) {
      if (moved > 4) { event.preventDefault(); }
      moved = 0;
    }, true);
    stage.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = stage.getBoundingClientRect();
      var delta = event.deltaMode === 1 ? event.deltaY * 20 : event.deltaY;
      zoom(Math.exp(-delta * 0.002), event.clientX - box.left, event.clientY - box.top);
    }, {passive: false});
    stage.addEventListener("dblclick", function (event) {
      var box = stage.getBoundingClientRect();
      zoom(2, event.clientX - box.left, event.clientY - box.top);
    });
  }

  /* ------------------------------------------------------------------ the PNG */

  /* the PNG is the light SVG at twice its size, smaller where a side would pass PNG_SIDE or
   * the area PNG_AREA (the largest canvas a phone's browser draws) */
  var PNG_SCALE = 2, PNG_SIDE = 8000, PNG_AREA = 16e6;
  /* a page opened as a file cannot read its images' pixels: browsers mark the canvas as
   * foreign, so there is no PNG button there (the SVG links remain) */
  var canDraw = window.location.protocol !== "file:" && typeof URL.createObjectURL === "function";

  function pngName(href) {
    return href.split(/[?#]/)[0].split("/").pop().replace(/-light\.svg$/, "") + ".png";
  }

  /* done(blob), or done(null) when the SVG cannot be loaded or drawn */
  function drawPng(href, done) {
    var img = new Image();
    img.onload = function () {
      var w = img.naturalWidth || 800, h = img.naturalHeight || 600;
      var s = Math.min(PNG_SCALE, PNG_SIDE / w, PNG_SIDE / h, Math.sqrt(PNG_AREA / (w * h)));
      var canvas = element("canvas", {"width": Math.max(1, Math.round(w * s)),
        "height": Math.max(1, Math.round(h * s))});
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      try {
        canvas.toBlob(done, "image/png");
      } catch (error) {
        done(null);
      }
    };
    img.onerror = function () { done(null); };
    img.src = href;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = element("a", {"href": url, "download": name, "hidden": ""});
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* the PNG button of a toolbar whose light SVG link is `svg`, added to `into` */
  function addPng(svg, title, into) {
    if (!svg || !canDraw) { return; }
    var name = "Download the diagram of " + title + " as PNG (light background)";
    var b = button("PNG", name, function () {
      if (b.getAttribute("aria-busy") === "true") { return; }
      b.setAttribute("aria-busy", "true");
      drawPng(svg.href, function (blob) {
        b.removeAttribute("aria-busy");
        if (blob) {
          save(blob, pngName(svg.getAttribute("href")));
        } else {
          b.classList.add("llmarch-failed");
          b.title = "The PNG could not be made in this browser: download the SVG instead";
        }
      });
    });
    b.classList.add("llmarch-png");
    into.appendChild(b);
  }

  function lightSvg(tools) {
    return tools.querySelector("a[download].llmarch-only-light");
  }

  /* ------------------------------------------------------------------ opening */

  /* a copy of the diagram for the dialog: without ids, which the page's copy has */
  function copy(picture) {
    var clone = picture.cloneNode(true);
    [clone].concat(Array.prototype.slice.call(clone.querySelectorAll("[id]")))
      .forEach(function (el) { el.removeAttribute("id"); });
    clone.removeAttribute("aria-labelledby");
    clone.removeAttribute("aria-describedby");
    return clone;
  }

  function naturalSize(picture) {
    if (picture.viewBox && picture.viewBox.baseVal && picture.viewBox.baseVal.width) {
      return {w: picture.viewBox.baseVal.width, h: picture.viewBox.baseVal.height};
    }
    var img = Array.prototype.slice.call(picture.querySelectorAll("img"))
      .filter(function (i) { return i.naturalWidth; })[0];
    return img ? {w: img.naturalWidth, h: img.naturalHeight} : {w: 800, h: 600};
  }

  function open(picture, tools, opener) {
    if (!ui) { build(); }
    var size = naturalSize(picture);
    shown = {w: size.w, h: size.h, opener: opener};
    ui.title.textContent = tools.getAttribute("data-title") || "Diagram";
    ui.content.textContent = "";
    var clone = copy(picture);
    if (clone.tagName.toLowerCase() === "svg") { clone.setAttribute("aria-label", ui.title.textContent); }
    ui.content.appendChild(clone);
    ui.content.style.width = size.w + "px";
    ui.content.style.height = size.h + "px";
    ui.files.textContent = "";
    tools.querySelectorAll("a[download]").forEach(function (a) {
      ui.files.appendChild(a.cloneNode(true));
    });
    addPng(lightSvg(tools), ui.title.textContent, ui.files);
    document.documentElement.classList.add("llmarch-viewer-open");
    ui.dialog.showModal();
    reset();
    ui.stage.focus();
  }

  /* the toolbar's open button, and on a phone a tap on the diagram */
  function enhance(frame, picture, tools) {
    if (frame.classList.contains("llmarch-zoomable")) { return; }  /* once for each */
    var name = tools.getAttribute("data-title") || "the diagram";
    var opener = button("⤢ Zoom", "Open " + name + " full screen, to zoom and pan",
      function () { open(picture, tools, opener); });
    opener.classList.add("llmarch-open");
    tools.insertBefore(opener, tools.firstChild);
    addPng(lightSvg(tools), name, tools);
    frame.classList.add("llmarch-zoomable");
    /* a click on the diagram opens it, except on a box's link; on a phone any tap does */
    picture.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a");
      if (link && !phone.matches) { return; }
      event.preventDefault();
      open(picture, tools, opener);
    }, true);
  }

  function diagrams() {
    document.querySelectorAll(".llmarch-diagram").forEach(function (frame) {
      var tools = frame.querySelector(".llmarch-tools"), svg = frame.querySelector("svg");
      if (tools && svg) { enhance(frame, svg, tools); }
    });
  }

  /* the compare page's diagrams, drawn by llmarch-compare.js once each model's drawing has
     loaded: it announces each with the model's name and its two SVG files */
  function compared(event) {
    var frame = event.target, detail = event.detail || {};
    var picture = frame.querySelector("svg") || frame.querySelector("img");
    if (!picture || typeof HTMLDialogElement !== "function") { return; }
    var title = detail.name || "the diagram";
    frame.classList.add("llmarch-compare-item");
    var tools = element("div", {"class": "llmarch-tools", "role": "group",
      "aria-label": "Diagram of " + title, "data-title": title});
    ["light", "dark"].forEach(function (theme) {
      var src = detail.images && detail.images[theme];
      if (!src) { return; }
      tools.appendChild(element("a", {"class": "llmarch-tool llmarch-only-" + theme,
        "href": src, "download": src.split("/").pop(), "aria-label":
        "Download the diagram of " + title + " as SVG (" + theme + " background)"}, "SVG"));
    });
    frame.insertBefore(tools, picture);
    enhance(frame, picture, tools);
  }

  /* listening before any page script runs: the compare page may draw at once */
  document.addEventListener("llmarch:diagram", compared);
  /* a long page's diagram drawn as it neared the window (llmarch-lazy.js): its toolbar is
     in the page already */
  document.addEventListener("llmarch:drawn", function (event) {
    var frame = event.target, tools = frame.querySelector(".llmarch-tools");
    var svg = frame.querySelector("svg");
    if (tools && svg && typeof HTMLDialogElement === "function") { enhance(frame, svg, tools); }
  });

  function start() {
    if (typeof HTMLDialogElement !== "function") { return; }  /* the links still work */
    diagrams();
  }

  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
}());
