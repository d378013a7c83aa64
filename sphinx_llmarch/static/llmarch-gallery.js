/* sphinx-llmarch: the gallery's helpers beside the controls llmarch.js makes: a "Clear
 * filters" button, a message when nothing matches that says what was searched, and on each
 * card the value the cards are sorted by. Runs after llmarch.js has built the controls. */
(function () {
  "use strict";

  /* sorts whose value each card already shows in its first lines */
  var QUIET = {"date": true, "name": true};

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function describe(search, selects) {
    var parts = [];
    if (search.value.trim()) { parts.push("“" + search.value.trim() + "”"); }
    selects.forEach(function (s) {
      if (!s.value) { return; }
      parts.push(s.getAttribute("aria-label") + ": " + s.options[s.selectedIndex].text);
    });
    return parts.join(" and ");
  }

  function showSortValue(cards, sortKey) {
    cards.forEach(function (card) {
      var line = card.querySelector(".llmarch-sort-value");
      var values = JSON.parse(card.dataset.sortValues || "{}");
      if (QUIET[sortKey] || !values[sortKey]) {
        if (line) { line.remove(); }
        return;
      }
      if (!line) {
        line = make("p", "llmarch-sort-value");
        var title = card.querySelector(".sd-card-title");
        title.parentNode.insertBefore(line, title.nextSibling);
      }
      line.textContent = values[sortKey];
    });
  }

  function helpers(root) {
    var controls = root.querySelector(".llmarch-controls");
    if (!controls) { return; }
    var search = controls.querySelector("input[type=search]");
    var sort = controls.querySelector("select[name=sort]");
    var selects = Array.prototype.slice.call(controls.querySelectorAll("select"))
      .filter(function (s) { return s !== sort; });
    var cards = Array.prototype.slice.call(root.querySelectorAll(".llmarch-card"));
    var clear = make("button", "llmarch-clear-filters", "Clear filters");
    clear.type = "button";
    controls.appendChild(clear);
    var empty = make("div", "llmarch-no-match");
    empty.setAttribute("role", "status");
    empty.hidden = true;
    var message = make("p", "llmarch-no-match-text");
    var again = make("button", "llmarch-clear-filters", "Clear filters");
    again.type = "button";
    empty.appendChild(message);
    empty.appendChild(again);
    var count = root.querySelector(".llmarch-count-line");
    count.parentNode.insertBefore(empty, count.nextSibling);

    function update() {
      var filtered = describe(search, selects);
      var shown = cards.filter(function (c) { return !c.hidden; }).length;
      clear.hidden = !filtered;
      empty.hidden = shown > 0;
      message.textContent = shown > 0 ? "" : "No model matches " + filtered + ". " +
        "Try another word (a name, an organisation, a mechanism such as MLA or SWA, a " +
        "licence, a context length such as 128k) or clear the filters.";
      showSortValue(cards, sort.value);
    }
    function reset() {
      search.value = "";
      selects.forEach(function (s) { s.value = ""; });
      search.dispatchEvent(new Event("input", {bubbles: true}));
      search.focus();
    }
    clear.addEventListener("click", reset);
    again.addEventListener("click", reset);
    /* llmarch.js listens on each control; the bar hears the event after it has filtered */
    controls.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("[data-llmarch-gallery]").forEach(helpers);
  }
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
}());
