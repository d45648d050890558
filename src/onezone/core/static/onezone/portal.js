/* Public portal: each table cell learns its column's name (data-label), so that on a phone the
   stylesheet can show every row as a card of "label: value" lines. Plain script, no dependencies;
   without it the tables scroll inside their own box. */
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    var names = [];
    var row = head.rows[head.rows.length - 1];
    for (var i = 0; i < row.cells.length; i++) {
      var span = row.cells[i].colSpan || 1;
      for (var s = 0; s < span; s++) names.push(row.cells[i].textContent.trim());
    }
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) cell.setAttribute("data-label", names[column] || "");
          column += cell.colSpan || 1;
        }
      }
    }
    table.classList.add("pt-stack");
  }
  function run() {
    var tables = document.querySelectorAll(".pt-main table");
    for (var t = 0; t < tables.length; t++) label(tables[t]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
