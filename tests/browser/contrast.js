// The lowest WCAG contrast ratio between the text of the page's diagrams and what lies
// under it: the shapes drawn beneath the text's centre (with their fill opacity)
// composited over the page background.
(() => {
  const rgb = (css) => {
    const m = css && css.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { c: [r, g, b], a: a === undefined ? 1 : a };
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const over = (top, alpha, below) => top.map((v, i) => v * alpha + below[i] * (1 - alpha));
  let page = null;
  for (let el = document.body; el && !page; el = el.parentElement) {
    const bg = rgb(getComputedStyle(el).backgroundColor);
    if (bg && bg.a > 0) page = bg.c;
  }
  page = page || [255, 255, 255];
  const shapes = new Set(["rect", "path", "polygon", "ellipse", "circle"]);
  const paint = (el) => {
    const style = getComputedStyle(el);
    const fill = rgb(style.fill);
    if (!fill) return null;
    const alpha = fill.a * Number(style.fillOpacity || 1) * Number(style.opacity || 1);
    return alpha > 0 ? { c: fill.c, a: alpha } : null;
  };
  let worst = { ratio: Infinity, text: "" };
  for (const text of document.querySelectorAll(".llmarch-diagram svg text")) {
    if (!text.textContent.trim() || !text.getBoundingClientRect().width) continue;
    const first = text.getBoundingClientRect();
    window.scrollBy(0, first.top - window.innerHeight / 2);
    const r = text.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) continue;
    const layers = document
      .elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      .filter((el) => shapes.has(el.tagName))
      .map(paint)
      .filter(Boolean);
    let back = page;
    for (const layer of layers.reverse()) back = over(layer.c, layer.a, back);
    const fore = paint(text);
    if (!fore) continue;
    const value = ratio(over(fore.c, fore.a, back), back);
    if (value < worst.ratio) worst = { ratio: Math.round(value * 100) / 100, text: text.textContent.trim() };
  }
  return worst;
})()
