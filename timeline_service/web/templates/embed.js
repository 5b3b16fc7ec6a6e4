/* The embeddable timeline: reads the API with the page's own query string and renders
   every value with textContent — article text is untrusted, so no markup is ever built
   from data. */
(function () {
  "use strict";
  var root = document.getElementById("timeline");
  var api = root.getAttribute("data-api");
  var pageSize = root.getAttribute("data-page-size");
  var form = document.getElementById("filters");
  var list = document.getElementById("events");
  var status = document.getElementById("status");
  var more = document.getElementById("more");
  var FIELDS = ["from", "to", "actor", "source", "type", "q", "min_sources"];
  var PASS = FIELDS.concat(["agreement", "limit"]);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var SEASONS = { SP: "spring", SU: "summer", FA: "autumn", WI: "winter" };
  var PARTS = { MO: "morning", MI: "midday", AF: "afternoon", EV: "evening", NI: "night",
    DT: "daytime" };
  var cursor = null;
  var shown = 0;
  var generation = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* The date as precise as it is known: "July 2022", never "16 July 2022". */
  function dateLabel(value) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(?:(\d{2}):(\d{2})|([A-Z]{2})))?)?|-W(\d{2})|-(SP|SU|FA|WI)|-Q([1-4]))?$/.exec(value || "");
    if (!m) return value;
    var year = m[1];
    if (m[7]) return "week " + Number(m[7]) + " of " + year;
    if (m[8]) return SEASONS[m[8]] + " " + year;
    if (m[9]) return "Q" + m[9] + " " + year;
    if (!m[2]) return year;
    var month = MONTHS[Number(m[2]) - 1] + " " + year;
    if (!m[3]) return month;
    var day = Number(m[3]) + " " + month;
    if (m[4]) return day + ", " + m[4] + ":" + m[5];
    if (m[6]) return (PARTS[m[6]] || m[6].toLowerCase()) + " of " + day;
    return day;
  }

  function safeUrl(url) {
    if (typeof url !== "string" || url === "") return null; // no URL: no link
    try {
      var parsed = new URL(url); // absolute only: never resolved against this page
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function renderEvent(event) {
    var item = el("li", "event");
    item.setAttribute("data-id", event.id);
    var when = el("time", "date", dateLabel(event.date.value));
    when.setAttribute("datetime", event.date.start);
    when.title = event.date.value + " (" + event.date.granularity + ")";
    var head = el("div");
    head.appendChild(when);
    head.appendChild(el("span", "precision", event.date.granularity));
    item.appendChild(head);
    item.appendChild(el("p", "title", event.title));
    var sources = el("ul", "sources");
    sources.setAttribute("aria-label", "Reported by");
    event.sources.forEach(function (ref) {
      var li = el("li", "source");
      var href = safeUrl(ref.url);
      var label = ref.name || ref.source;
      if (href) {
        var a = el("a", null, label);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.title = ref.sentence;
        li.appendChild(a);
      } else {
        li.appendChild(el("span", null, label));
      }
      sources.appendChild(li);
    });
    item.appendChild(sources);
    return item;
  }

  function currentParams() {
    var params = new URLSearchParams(window.location.search);
    var out = new URLSearchParams();
    PASS.forEach(function (name) {
      params.getAll(name).forEach(function (value) {
        if (value !== "") out.append(name, value);
      });
    });
    if (!out.has("limit") && pageSize) out.set("limit", pageSize);
    return out;
  }

  function fillForm() {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      form.elements[name].value = params.getAll(name).join(", ");
    });
  }

  function load(reset) {
    var mine = reset ? ++generation : generation;
    var params = currentParams();
    if (!reset && cursor) params.set("cursor", cursor);
    status.className = "status";
    status.textContent = "Loading…";
    more.hidden = true;
    fetch(api + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (mine !== generation) return;
        if (reset) {
          list.textContent = "";
          shown = 0;
        }
        if (!result.ok) {
          var errors = result.body.errors || {};
          var detail = Object.keys(errors).map(function (k) {
            return k + ": " + [].concat(errors[k]).join(" ");
          });
          status.className = "status error";
          status.textContent = (result.body.title || "Error") +
            (detail.length ? " — " + detail.join("; ") : "");
          return;
        }
        result.body.events.forEach(function (event) {
          list.appendChild(renderEvent(event));
        });
        shown += result.body.events.length;
        cursor = result.body.next_cursor;
        more.hidden = !cursor;
        status.textContent = shown === 1 ? "1 event" : shown + " events";
        root.setAttribute("data-loaded", "true");
      })
      .catch(function () {
        if (mine !== generation) return;
        status.className = "status error";
        status.textContent = "The timeline could not be loaded.";
      });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      params.delete(name);
      var value = form.elements[name].value.trim();
      if (!value) return;
      if (name === "source") {
        value.split(",").forEach(function (part) {
          if (part.trim()) params.append(name, part.trim());
        });
      } else {
        params.set(name, value);
      }
    });
    params.delete("cursor");
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    cursor = null;
    root.removeAttribute("data-loaded");
    load(true);
  });
  more.addEventListener("click", function () {
    load(false);
  });
  fillForm();
  load(true);
})();
