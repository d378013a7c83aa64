/* sphinx-llmarch: a long page's later diagrams, drawn as they near the window. Each stands
 * in the page as a box of its size naming the script that holds its SVG (as the page would
 * have inlined it, marks and links included); the script is loaded once the box comes
 * within a screen or so of the window, the box replaced by the diagram, and the diagram
 * announced ("llmarch:drawn") for the viewer to add its buttons. Without this script the
 * box shows the diagram's SVG file. */
(function () {
  "use strict";

  var store = window.LLMARCH_LAZY = window.LLMARCH_LAZY || {};

  function fallback(box) {  /* the picture the box holds for readers without scripts */
    var hidden = box.querySelector("noscript");
    if (hidden) { box.innerHTML = hidden.textContent; }
    box.classList.add("llmarch-lazy-failed");
  }

  function draw(box) {
    if (box.hasAttribute("data-llmarch-state")) { return; }
    box.setAttribute("data-llmarch-state", "loading");
    var key = box.getAttribute("data-llmarch-key");
    var script = document.createElement("script");
    script.src = box.getAttribute("data-llmarch-lazy");
    script.onload = function () {
      var holder = document.createElement("div");
      holder.innerHTML = store[key] || "";
      var svg = holder.querySelector("svg");
      if (!svg) { fallback(box); return; }
      var frame = box.parentNode;
      frame.replaceChild(svg, box);
      delete store[key];
      frame.dispatchEvent(new CustomEvent("llmarch:drawn", {bubbles: true}));
    };
    script.onerror = function () { fallback(box); };
    document.head.appendChild(script);
  }

  function start() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".llmarch-lazy-box"));
    if (!boxes.length) { return; }
    if (!("IntersectionObserver" in window)) { boxes.forEach(draw); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
      });
    }, {rootMargin: "100% 0px"});
    boxes.forEach(function (box) { near.observe(box); });
    /* a page about to be printed draws them all */
    window.addEventListener("beforeprint", function () { boxes.forEach(draw); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
