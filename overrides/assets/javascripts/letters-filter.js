/* Leaders' Letters: filter and sort a year of the letters index in the page.
 *
 * The table is complete without this script; its controls stay hidden until
 * it runs. Each row carries what the filters compare (data-sender,
 * data-recipients, data-topics, data-status: ids separated by spaces) and its
 * earliest possible day (data-date, ISO), so nothing is fetched and it works
 * from file:// too. Each year is a page of its own: the links to the other
 * years (a[data-year-link]) carry the chosen filters in their query string,
 * and a page opened with one starts with them chosen.
 */
(function () {
  "use strict";

  function setUp(form) {
    var table = form.parentNode.querySelector("table");
    if (!table || !table.tBodies.length) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);  // in date order, as built
    var filters = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var order = form.querySelector("select[data-order]");
    var count = form.querySelector(".letters-filter__count");
    var dateHeading = table.querySelector("th[aria-sort]");
    var shownOrder = "ascending";
    var yearLinks = Array.prototype.slice.call(form.parentNode.querySelectorAll("a[data-year-link]"));
    var controls = filters.concat([order]);

    // Choices from the query string, where this page's options have them ("?sender=vladimir-putin").
    var query = window.location.search.replace(/^\?/, "");
    query.split("&").forEach(function (part) {
      var pair = part.split("=");
      var name = decodeURIComponent(pair[0] || "");
      var value = decodeURIComponent((pair[1] || "").replace(/\+/g, " "));
      controls.forEach(function (select) {
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
        if (select.name === name && known) select.value = value;
      });
    });

    function carry() {
      var chosen = controls.filter(function (select) { return select.value && select.selectedIndex > 0; })
        .map(function (select) { return encodeURIComponent(select.name) + "=" + encodeURIComponent(select.value); });
      yearLinks.forEach(function (link) {
        var href = link.getAttribute("href").split("?")[0];
        link.setAttribute("href", chosen.length ? href + "?" + chosen.join("&") : href);
      });
    }

    function matches(row) {
      return filters.every(function (select) {
        var wanted = select.value;
        var values = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        return !wanted || values.indexOf(wanted) >= 0;
      });
    }

    function update() {
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !matches(row);
        if (!row.hidden) shown += 1;
      });
      if (order.value !== shownOrder) {
        shownOrder = order.value;
        var sign = shownOrder === "descending" ? -1 : 1;
        rows.map(function (row, index) { return { row: row, date: row.getAttribute("data-date"), index: index }; })
          .sort(function (a, b) {
            var by = a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index;
            return sign * by;
          })
          .forEach(function (item) { body.appendChild(item.row); });
        if (dateHeading) dateHeading.setAttribute("aria-sort", shownOrder);
      }
      count.textContent = shown + " of " + rows.length + (rows.length === 1 ? " letter" : " letters");
      carry();
    }

    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // Reset fires before the controls change back: update once they have.
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    form.hidden = false;
    update();  // a browser may have restored earlier choices on going back
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.letters-filter"), setUp);
})();
