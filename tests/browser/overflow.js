// Elements that stick out of the page's right edge without a scrolling box to hold them
// (a scrollable table or diagram is fine; the page itself must not scroll sideways).
(() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    // the theme's off-canvas drawers wait outside the page by design
    if (el.closest(".toc-drawer, .sidebar-drawer")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let held = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up) && up.getBoundingClientRect().right <= width + 1) { held = true; break; }
    }
    if (!held) out.push(`${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`);
  }
  return { pageScrolls: document.documentElement.scrollWidth > width + 1, outside: out.slice(0, 10) };
})()
