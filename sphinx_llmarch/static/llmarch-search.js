/* sphinx-llmarch: summaries for the site search's results, from the small file the build
 * writes (_static/llmarch-summaries.js), instead of Sphinx downloading each hit's page
 * (html_show_search_summary is off). Only the search page does anything. */
(function () {
  "use strict";

  function key(link) {
    var root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
    var url = new URL(link.getAttribute("href"), window.location.href);
    var path = url.pathname.indexOf(root.pathname) === 0 ?
      url.pathname.slice(root.pathname.length) : url.pathname;
    var suffix = (window.DOCUMENTATION_OPTIONS || {}).LINK_SUFFIX || ".html";
    if (suffix && path.slice(-suffix.length) === suffix) { path = path.slice(0, -suffix.length); }
    if (path.slice(-1) === "/") { path += "index"; }
    return [path, url.hash ? path + url.hash : path];
  }

  function start() {
    var results = document.getElementById("search-results");
    if (!results) { return; }
    var root = document.documentElement.dataset.content_root || "";
    var script = document.createElement("script");
    script.src = root + "_static/llmarch-summaries.js";
    script.addEventListener("load", function () {
        var texts = window.llmarchSummaries || {};
        function fill() {
          results.querySelectorAll("li").forEach(function (item) {
            var link = item.querySelector("a");
            if (!link || item.querySelector(".llmarch-summary-hit")) { return; }
            var keys = key(link);
            var text = texts[keys[1]] || texts[keys[0]];
            if (!text) { return; }
            var p = document.createElement("p");
            p.className = "context llmarch-summary-hit";
            p.textContent = text;
            item.appendChild(p);
          });
        }
        new MutationObserver(fill).observe(results, {childList: true, subtree: true});
        fill();
    });
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
