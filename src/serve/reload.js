// switchyard serve: live reload and the error overlay (added to pages at serve time only).
(function () {
  "use strict";
  if (!window.EventSource) return;
  var events = new EventSource("/__switchyard/events");
  events.addEventListener("reload", function () {
    window.location.reload();
  });
  events.addEventListener("problems", function (e) {
    var list = [];
    try { list = JSON.parse(e.data); } catch (err) { list = []; }
    show(list);
  });
  function el(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) node.setAttribute("style", style);
    return node;
  }
  function show(list) {
    var old = document.getElementById("switchyard-overlay");
    if (old) old.remove();
    if (!list.length) return;
    var box = el("div", "", "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;" +
      "max-height:50vh;overflow:auto;background:#2b0f0f;color:#ffe9e9;border:2px solid #e5484d;" +
      "border-radius:8px;padding:1rem;font:14px/1.4 ui-monospace,monospace;box-shadow:0 4px 24px #0008");
    box.id = "switchyard-overlay";
    box.setAttribute("role", "alert");
    box.appendChild(el("strong", "The last edit is broken; the last good version is shown."));
    var ul = el("ul", "", "margin:.5rem 0 0;padding-left:1.2rem");
    list.forEach(function (p) {
      var where = p.path + (p.line ? ":" + p.line + ":" + p.column : "");
      ul.appendChild(el("li", where + "  " + p.rule + "  " + p.message));
    });
    box.appendChild(ul);
    var close = el("button", "Dismiss", "margin-top:.5rem");
    close.type = "button";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }
})();
