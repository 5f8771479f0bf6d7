{#- Rendered by MkDocs at each build into <site>/javascripts/search.js (mkdocs.yml, theme.static_templates), so the
    dialog's words, in the site's language (Material's translations), come once with this cached file rather than in
    every page's __config (issue 16: 0.3 KB a page). -#}
{%- import "partials/language.html" as lang with context -%}
/* Site search: Material's search box (built here, below) fed by Pagefind (site/pagefind/, written by
   reviewsite/hooks/search.py after each build). pagefind.js is loaded on the first use of the box, from this
   site (no other host), with the index of every shard; a query then fetches only the index chunks and page
   fragments it needs. Results are drawn in Material's result markup; links carry the query as ?h=, and the target
   page marks the words (Material's search.highlight feature, when it is on). Keys: / s f open the search, arrows
   move through the results, Enter opens the first, Escape closes. */
(function () {
  "use strict";

  var script = document.currentScript;
  var button = document.querySelector("label.md-header__button[for=__search]");  // Material's, in the header
  if (!script || !button) return;

  var siteRoot = new URL("../", script.src);  // this file is <site>/javascripts/search.js
  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* defaults */ }
  var translations = {{ {
    "search": lang.t("search"),
    "search.placeholder": lang.t("search.placeholder"),
    "search.reset": lang.t("search.reset"),
    "search.result.placeholder": lang.t("search.result.placeholder"),
    "search.result.none": lang.t("search.result.none"),
    "search.result.one": lang.t("search.result.one"),
    "search.result.other": lang.t("search.result.other")
  } | tojson }};
  var highlight = (config.features || []).indexOf("search.highlight") !== -1;
  var PAGE = 10;  // results drawn at a time; more as the list is scrolled

  function t(key, fallback) { return translations[key] || fallback; }

  function escapeHTML(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // The dialog, built here once rather than carried by every page (1.5 KB each, issue 16): Material 9.8.2's
  // markup and classes (partials/search.html), so its styles, both colour schemes and the phone layout apply,
  // placed where Material's header puts it, after the search button. The header would survive Material's
  // instant navigation (off: mkdocs.yml), and this script runs before DOMContentLoaded, when Material looks for [data-md-scrollfix].
  // Without JavaScript Material hides the button (.no-js), as it hid the dialog. Changed from Material's:
  // - no data-md-component="search*" and no form named "search": Material's lunr client (a worker that downloads
  //   the whole search/search_index.json) stays off;
  // - the dialog is named (aria-label): a dialog without an accessible name fails WCAG 4.1.2 (axe: aria-dialog-name);
  // - the result count is a live region (role="status"), so screen readers hear how many results a query found;
  // - the result list keeps its list semantics and its links stay in the tab order.
  // Its words are the site language's, written in above at build; the magnifier is the button's own
  // icon, the other two are Material's arrow-left and close from the site's sprite (overrides/assets/icons.svg).
  function buildDialog() {
    var sprite = new URL("assets/icons.svg", siteRoot).href;
    function icon(name) { return '<svg viewBox="0 0 24 24"><use xlink:href="' + sprite + "#" + name + '"/></svg>'; }
    var search = escapeHTML(t("search", "Search"));
    var placeholder = escapeHTML(t("search.placeholder", "Search"));
    var reset = escapeHTML(t("search.reset", "Clear"));
    var magnifier = button.querySelector("svg");
    button.insertAdjacentHTML("afterend", "\n" +
      '<div class="md-search" data-reviewsite-search="dialog" role="dialog" aria-label="' + search + '">\n' +
      '<label class="md-search__overlay" for="__search"></label>\n' +
      '<div class="md-search__inner" role="search">\n' +
      '<form class="md-search__form" data-reviewsite-search="form">\n' +
      '<input type="text" class="md-search__input" name="query" aria-label="' + placeholder + '" placeholder="' +
      placeholder + '" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" ' +
      'data-reviewsite-search="query" required>\n' +
      '<label class="md-search__icon md-icon" for="__search">\n' +
      (magnifier ? magnifier.outerHTML : icon("material-magnify")) + "\n" + icon("material-arrow-left") + "\n" +
      "</label>\n" +
      '<nav class="md-search__options" aria-label="' + search + '">\n' +
      '<button type="reset" class="md-search__icon md-icon" title="' + reset + '" aria-label="' + reset +
      '" tabindex="-1">\n' + icon("material-close") + "\n</button>\n" +
      "</nav>\n" +
      "</form>\n" +
      '<div class="md-search__output">\n' +
      '<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix data-reviewsite-search="scroll">\n' +
      '<div class="md-search-result">\n' +
      '<div class="md-search-result__meta" role="status" data-reviewsite-search="meta">\n' +
      escapeHTML(t("search.result.placeholder", "Type to start searching")) + "\n" +
      "</div>\n" +
      '<ol class="md-search-result__list" data-reviewsite-search="results"></ol>\n' +
      "</div>\n</div>\n</div>\n</div>\n</div>");
    return button.nextElementSibling;
  }

  var dialog = buildDialog();
  var toggle = document.getElementById("__search");
  var form = dialog.querySelector("[data-reviewsite-search=form]");
  var input = dialog.querySelector("[data-reviewsite-search=query]");
  var meta = dialog.querySelector("[data-reviewsite-search=meta]");
  var list = dialog.querySelector("[data-reviewsite-search=results]");
  var scroll = dialog.querySelector("[data-reviewsite-search=scroll]");

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));  // Material locks the page's scroll on phones
    }
  }

  // The index is one Pagefind bundle per shard of pages (reviewsite/search/): pagefind/ itself (shard 0, with
  // the site's own pages, the script and wasm) and the folders pagefind/shards.json names, merged into it here.
  var bundle = new URL("pagefind/", siteRoot);
  var options = { baseUrl: siteRoot.pathname, excerptLength: 24 };
  var loading = null;
  function pagefind() {
    if (!loading) {
      var shards = fetch(new URL("shards.json", bundle).href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("pagefind/shards.json: " + response.status);
        return response.json();
      });
      loading = Promise.all([import(new URL("pagefind.js", bundle).href), shards]).then(function (loaded) {
        var module = loaded[0];
        return Promise.resolve(module.options(options)).then(function () {
          module.init();
          // Not awaited: the bundles load in Pagefind's worker while the query is typed, and a search waits for
          // each. One that fails to load fails the search (its error is shown there), so it is not caught twice.
          loaded[1].shards.forEach(function (name) {
            module.mergeIndex(new URL(name + "/", bundle).pathname, options).catch(function () {});
          });
          return module;
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Pagefind's excerpts are escaped text with <mark> around the hits: rebuilt as nodes, never as markup.
  function excerpt(html) {
    var p = document.createElement("p");
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function target(url, query) {
    var address = new URL(url, location.href);
    if (highlight) address.searchParams.set("h", query.trim());
    return address.href;
  }

  function link(url, query, heading, title, text, icon) {
    var a = document.createElement("a");
    a.href = target(url, query);
    a.className = "md-search-result__link";
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (icon) {
      var div = document.createElement("div");
      div.className = "md-search-result__icon md-icon";
      article.appendChild(div);
    }
    var h = document.createElement(heading);
    h.textContent = title;
    article.appendChild(h);
    if (text) article.appendChild(excerpt(text));
    a.appendChild(article);
    return a;
  }

  function item(data, query) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var heading = data.meta && data.meta.title;  // Pagefind's: the page's first <h1>
    // A page whose <h1> names no review (References, Erratum) gives its whole title as result_title.
    var title = (data.meta && data.meta.result_title) || heading || data.url;
    // A retracted review (or one under an expression of concern) says so in the result itself:
    // the review page's banner carries data-pagefind-meta="status:...".
    var status = data.meta && data.meta.status;
    li.appendChild(link(data.url, query, "h1", status ? status.toUpperCase() + ": " + title : title,
                        data.excerpt, true));
    (data.sub_results || []).filter(function (sub) {
      return sub.url.indexOf("#") !== -1 && sub.title && sub.title !== title && sub.title !== heading;
    }).slice(0, 3).forEach(function (sub) {
      li.appendChild(link(sub.url, query, "h2", sub.title, sub.excerpt, false));
    });
    return li;
  }

  function count(n) {
    if (n === 0) return t("search.result.none", "No matching documents");
    if (n === 1) return t("search.result.one", "1 matching document");
    return t("search.result.other", "# matching documents").replace("#", String(n));
  }

  var current = { query: "", results: [], shown: 0, drawing: null };

  function drawMore() {
    var state = current;
    // A promise in every case: a query that found nothing draws nothing, and still says so (search, below).
    if (state.drawing || state.shown >= state.results.length) return state.drawing || Promise.resolve();
    var batch = state.results.slice(state.shown, state.shown + PAGE);
    state.shown += batch.length;
    // Every result's fragment is asked for at once; each is drawn as soon as it and those above it have come,
    // so the first result shows without waiting for the tenth.
    state.drawing = batch.map(function (r) { return r.data(); }).reduce(function (above, fragment) {
      return Promise.all([fragment, above]).then(function (loaded) {
        if (state === current) list.appendChild(item(loaded[0], state.query));
      });
    }, Promise.resolve()).then(function () {
      if (state === current) state.drawing = null;
    });
    return state.drawing;
  }

  // A query runs once typing pauses (100 ms), not at every keystroke: each shard's bundle fetches the index
  // chunks of the words it is asked for, so the prefixes typed on the way ("o", "os", ...) would cost every
  // shard chunks of their own (Pagefind's debouncedSearch preloads each of them).
  var latest = 0;
  function pause(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function search(query) {
    var id = ++latest;
    if (!query.trim()) {
      current = { query: "", results: [], shown: 0, drawing: null };
      list.replaceChildren();
      meta.textContent = t("search.result.placeholder", "Type to start searching");
      return;
    }
    Promise.all([pagefind(), pause(100)]).then(function (ready) {
      return id === latest ? ready[0].search(query) : null;
    }).then(function (found) {
      if (found === null || id !== latest) return;  // a later keystroke superseded this query
      current = { query: query, results: found.results, shown: 0, drawing: null };
      list.replaceChildren();
      return drawMore().then(function () {
        if (current.query === query) meta.textContent = count(found.results.length);
      });
    }, function () {
      meta.textContent = "Search is unavailable: its index did not load.";
    });
  }

  function results() { return Array.prototype.slice.call(list.querySelectorAll("a[href]")); }

  function close() {
    setOpen(false);
    input.blur();
  }

  input.addEventListener("focus", function () { setOpen(true); pagefind(); });
  input.addEventListener("input", function () { search(input.value); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); }, 0);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) {
        setTimeout(function () { input.focus(); }, 0);  // after the label's click: the phone's overlay opens
      }
    });
  }
  list.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });
  scroll.addEventListener("scroll", function () {
    if (scroll.scrollTop + scroll.clientHeight >= scroll.scrollHeight - 200) drawMore();
  });

  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    var active = document.activeElement;
    var inSearch = dialog.contains(active);
    if (!inSearch) {
      var typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    var links = results();
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active === input) {
      event.preventDefault();
      if (links.length) links[0].click();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var stops = [input].concat(links);
      var at = Math.max(0, stops.indexOf(active));
      var next = (at + (event.key === "ArrowDown" ? 1 : -1) + stops.length) % stops.length;
      stops[next].focus();
      if (next >= links.length - 2) drawMore();
    }
  });

  // Highlighting on the page a result opened: the words of ?h= marked in the article.
  function escape(word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function mark() {
    if (!highlight) return;
    var words = (new URL(location.href).searchParams.get("h") || "").split(/\s+/).filter(Boolean);
    var root = document.querySelector("article.md-content__inner");
    if (!words.length || !root) return;
    var pattern = new RegExp("(" + words.map(escape).join("|") + ")", "giu");
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest("script, style, mark, [data-search-exclude], [data-pagefind-ignore]")) {
          return NodeFilter.FILTER_REJECT;
        }
        pattern.lastIndex = 0;
        return pattern.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var parts = node.nodeValue.split(pattern);
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i % 2) {
          var m = document.createElement("mark");
          m.setAttribute("data-md-highlight", "");
          m.textContent = part;
          fragment.appendChild(m);
        } else if (part) {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      node.replaceWith(fragment);
    });
  }

  // Material announces each page on document$ (with instant navigation, which is off, a page swapped in too).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mark(); });
  } else {
    mark();
  }
})();
