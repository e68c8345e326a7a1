// Sortable tables, as progressive enhancement: without JavaScript a table reads in the order
// the page gives it. Each heading with data-sort gets a button; the sorted column says so
// with aria-sort, which screen readers announce.
(function () {
  function key(row, i, type) {
    var cell = row.cells[i];
    var v = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (type === "number") { var n = parseFloat(v); return isNaN(n) ? null : n; }
    return v === "" ? null : v.toLocaleLowerCase();
  }
  function sort(table, th, i) {
    var type = th.getAttribute("data-sort");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (r, n) { return [key(r, i, type), n, r]; });
    rows.sort(function (a, b) {
      if (a[0] === null || b[0] === null) { return (a[0] === null) - (b[0] === null) || a[1] - b[1]; }
      var c = type === "number" ? a[0] - b[0] : a[0].localeCompare(b[0]);
      return (dir === "ascending" ? c : -c) || a[1] - b[1];
    });
    rows.forEach(function (r) { body.appendChild(r[2]); });
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      var i = th.cellIndex, button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sort(table, th, i); });
    });
  });
})();
