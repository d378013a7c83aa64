/* Chart tooltips: the text of a point's or a bar's data-tip, shown beside it on mouse
 * hover, on keyboard focus and on a tap (a first tap shows it, a second follows the
 * link). One tooltip element per chart, in the chart's frame, so it scrolls with it. */
(() => {
  "use strict";
  const MARK = ".llmarch-chart [data-tip]";
  let touched = false; // the last pointer was a finger or a pen
  let shownAtDown = false; // the tapped mark's tooltip was already showing

  const tipOf = (frame) => {
    let tip = frame.querySelector(":scope > .llmarch-chart-tip");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "llmarch-chart-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      frame.append(tip);
    }
    return tip;
  };

  const showing = (mark) => {
    const frame = mark.closest(".llmarch-chart-frame");
    return !!frame && frame.llmarchTipFor === mark && !tipOf(frame).hidden;
  };

  const show = (mark) => {
    const frame = mark.closest(".llmarch-chart-frame");
    if (!frame) return;
    const tip = tipOf(frame);
    tip.textContent = mark.dataset.tip;
    tip.hidden = false;
    frame.llmarchTipFor = mark;
    const shape = mark.querySelector(".llmarch-dot, .llmarch-bar") || mark;
    const box = shape.getBoundingClientRect();
    const outer = frame.getBoundingClientRect();
    const x = box.left - outer.left + frame.scrollLeft + box.width / 2 - tip.offsetWidth / 2;
    const most = frame.scrollLeft + frame.clientWidth - tip.offsetWidth;
    let y = box.top - outer.top - tip.offsetHeight - 6;
    if (y < 0) y = box.bottom - outer.top + 6;
    tip.style.left = `${Math.max(frame.scrollLeft, Math.min(x, most))}px`;
    tip.style.top = `${y}px`;
  };

  const hide = (mark) => {
    const frame = mark && mark.closest(".llmarch-chart-frame");
    if (frame && frame.llmarchTipFor === mark) {
      tipOf(frame).hidden = true;
      frame.llmarchTipFor = null;
    }
  };

  const markOf = (event) => event.target instanceof Element && event.target.closest(MARK);

  document.addEventListener("pointerover", (event) => {
    const mark = markOf(event);
    if (mark && event.pointerType === "mouse") show(mark);
  });
  document.addEventListener("pointerout", (event) => {
    const mark = markOf(event);
    const into = event.relatedTarget instanceof Element && event.relatedTarget.closest(MARK);
    if (mark && into !== mark && event.pointerType === "mouse" && document.activeElement !== mark)
      hide(mark);
  });
  document.addEventListener(
    "pointerdown",
    (event) => {
      touched = event.pointerType !== "mouse";
      const mark = markOf(event);
      shownAtDown = !!mark && showing(mark);
      if (touched && !mark)
        document.querySelectorAll(".llmarch-chart-tip").forEach((tip) => (tip.hidden = true));
    },
    true,
  );
  document.addEventListener("focusin", (event) => {
    const mark = markOf(event);
    if (mark && !touched) show(mark);
  });
  document.addEventListener("focusout", (event) => hide(markOf(event)));
  document.addEventListener("keydown", (event) => {
    touched = false;
    if (event.key === "Escape") hide(markOf(event));
  });
  document.addEventListener("click", (event) => {
    const mark = markOf(event);
    if (!mark || !touched || shownAtDown) return;
    event.preventDefault(); // the first tap shows the values; the next one follows the link
    show(mark);
  });
})();
