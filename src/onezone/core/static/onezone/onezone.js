/* OneZone additions to the back office theme. Plain script, no dependencies.
   The theme's scroll boxes (SimpleBar) name themselves "scrollable content" to screen readers;
   the Chinese interface names them in Chinese, also for boxes added later (htmx, Alpine). */
(function () {
  "use strict";
  var LABEL = "可滚动内容";
  if (window.SimpleBar && window.SimpleBar.defaultOptions) window.SimpleBar.defaultOptions.ariaLabel = LABEL;
  function rename(root) {
    var boxes = (root.querySelectorAll ? root : document).querySelectorAll('[aria-label="scrollable content"]');
    for (var i = 0; i < boxes.length; i++) boxes[i].setAttribute("aria-label", LABEL);
  }
  function start() {
    rename(document);
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        var target = changes[i].target;
        if (target.nodeType === 1 && target.getAttribute("aria-label") === "scrollable content") target.setAttribute("aria-label", LABEL);
        if (changes[i].addedNodes.length) rename(target);
      }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
