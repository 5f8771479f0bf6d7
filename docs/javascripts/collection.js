/* Sort and filter the table of all reviews (reviews/all/), in the page, with no request.
   Without this script the table is a plain, complete table. It sets the table up on every page
   Material announces (document$), so it would also survive Material's instant navigation (off: mkdocs.yml). */
(function () {
  "use strict";

  function cellValue(row, column) {
    var cell = row.cells[column];
    return cell.getAttribute("data-sort-value") || cell.textContent.trim();
  }

  function setUp(table) {
    if (table.hasAttribute("data-collection-ready")) return;
    table.setAttribute("data-collection-ready", "");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var count = document.querySelector("[data-collection-count]");
    var total = rows.length;

    // The filter box: one field over title, first author, journal and year.
    var label = document.createElement("label");
    label.className = "collection-filter";
    label.textContent = "Filter reviews ";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "title, author, journal or year";
    input.setAttribute("aria-controls", table.id || (table.id = "collection-table"));
    label.appendChild(input);
    table.parentNode.insertBefore(label, table);
    if (count) count.setAttribute("aria-live", "polite");

    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, index) {
        var match = words.every(function (word) { return texts[index].indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (count) {
        count.textContent = words.length
          ? shown + " of " + total + " reviews match."
          : total + (total === 1 ? " review." : " reviews.");
      }
    });

    // Sorting: each heading becomes a button; aria-sort tells screen readers the order.
    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "collection-sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        var numeric = header.getAttribute("data-sort") === "number";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var order = rows.map(function (row, index) { return index; });
        order.sort(function (a, b) {
          var x = cellValue(rows[a], column);
          var y = cellValue(rows[b], column);
          var result = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                               : x.localeCompare(y, undefined, { sensitivity: "base", numeric: true });
          return (ascending ? result : -result) || a - b;
        });
        order.forEach(function (index) { body.appendChild(rows[index]); });
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-collection-table]"), setUp);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
