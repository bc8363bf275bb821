/* Leaders' Letters: the archive's own search, in the page.
 *
 * The builder (builder/search/) writes an inverted index as scripts: a manifest
 * (search/index.js), shards of postings by term prefix (search/terms/<key>.js) and
 * a document table in chunks (search/docs/<n>.js). Each calls one receiver on
 * window.__archiveSearch. Scripts load from file:// where fetch and workers cannot,
 * and only when needed: the manifest when the box is first used, the shards a query
 * names, the table chunks of the results shown. Tokens, matching and scoring follow
 * the builder's contract word for word (builder/search/tokens.py; README "Search").
 *
 * Everything the index holds is untrusted text: it reaches the page through
 * textContent and setAttribute only, and a link only when it stays under the site.
 *
 * window.__archiveSearch also offers query(text, limit) → Promise<{total, results}>
 * and tokens(text, forQuery) → Promise<string[]>, for the tests and the benchmark.
 */
(function () {
  "use strict";

  var PAGE = 10;       // results shown at first, and added by "Show more"
  var MAX_QUERY = 200;  // characters of a query (or ?h=) looked at: longer is not a search
  var KEY_MIN = 2;

  /* ---- Site root and Material's translations (its #__config) ---- */

  var config = (function () {
    var el = document.getElementById("__config");
    try { return JSON.parse(el ? el.textContent : "{}") || {}; } catch (e) { return {}; }
  })();
  var root = new URL(config.base || ".", window.location.href);
  if (!/\/$/.test(root.pathname)) root = new URL("./", root);

  function translation(key, count) {
    var text = (config.translations || {})[key] || "";
    return count === undefined ? text : text.replace("#", String(count));
  }

  /* ---- Tokens: builder/search/tokens.py, the same rules ---- */

  var MARKS = /\p{M}/gu;
  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
                  "ʼ": "'", "’": "'", "‘": "'", "`": "'", "\u2010": "-", "\u2011": "-" };
  var LETTER = /[ßæœøłđðþıʼ’‘`\u2010\u2011]/g;
  // "U.S.", "U.N.": one word, not letters (tokens.py _ABBREVIATION).
  var ABBREVIATION = /(?<![\p{L}\p{N}])(?:[\p{L}\p{Nl}\p{No}]\.){2,}/gu;
  var WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
  var SEPARATOR = /['-]/;

  function fold(text) {
    return text.normalize("NFKD").replace(MARKS, "").toLowerCase()
      .replace(LETTER, function (c) { return LETTERS[c]; })
      .replace(ABBREVIATION, function (m) { return m.replace(/\./g, ""); });
  }

  function length(s) {  // in code points, as Python counts
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xDC00 || c > 0xDFFF) n++;
    }
    return n;
  }

  function keep(token, stop) {
    if (length(token) < KEY_MIN || stop.has(token)) return null;
    var n = length(token);
    if (n >= 4 && /s$/.test(token) && !/(?:ss|us|is)$/.test(token)) return token.slice(0, -1);
    return token;
  }

  // The terms of one folded word: joined whole and, for the index, each part too.
  function wordTerms(word, wholeOnly, stop) {
    var parts = word.split(SEPARATOR);
    if (parts.length > 1 && parts[parts.length - 1] === "s" && word[word.length - 2] === "'") parts.pop();
    var found = parts.length > 1 ? [parts.join("")] : parts;
    if (parts.length > 1 && !wholeOnly) found = found.concat(parts);
    var out = [];
    for (var i = 0; i < found.length; i++) {
      var term = keep(found[i], stop);
      if (term !== null) out.push(term);
    }
    return out;
  }

  function indexTokens(text, stop) {
    var out = [];
    (fold(text).match(WORD) || []).forEach(function (w) { out.push.apply(out, wordTerms(w, false, stop)); });
    return out;
  }

  function queryTokens(text, stop) {
    var out = [];
    (fold(text).match(WORD) || []).forEach(function (w) {
      wordTerms(w, true, stop).forEach(function (t) { if (out.indexOf(t) < 0) out.push(t); });
    });
    return out;
  }

  // A query's tokens, each {term, prefix}: the last one is a prefix when the reader may
  // still be typing it (no whitespace after it) and it is long enough to narrow anything.
  function parse(text, stop) {
    text = text.slice(0, MAX_QUERY);
    var terms = queryTokens(text, stop);
    var typing = !/\s$/u.test(text);
    return terms.map(function (term, i) {
      var last = i === terms.length - 1 && typing;
      // A last word of one or two letters is matched whole ("Xi", "UN"); while no term is
      // just that ("Lough Er" on the way to "Erne"), the words before it answer alone.
      return { term: term, prefix: last && length(term) >= 3, partial: last && length(term) < 3 };
    });
  }

  /* ---- Loading: one <script> per file, each hands its data to a receiver below ---- */

  var slots = new Map();  // "m", "t:<key>", "d:<n>" → {promise, resolve, reject, value, done}

  function slot(id) {
    var s = slots.get(id);
    if (!s) {
      s = { done: false, requested: false };
      s.promise = new Promise(function (resolve, reject) { s.resolve = resolve; s.reject = reject; });
      s.promise.catch(function () {});  // a failure is reported where it is awaited, once
      slots.set(id, s);
    }
    return s;
  }

  function receive(id, value) {
    var s = slot(id);
    if (s.done) return;
    s.done = true;
    s.value = value;
    s.resolve(value);
  }

  // A failed file stays failed until the page reloads: retrying at every keystroke would
  // only repeat the browser's error.
  function request(id, file) {
    var s = slot(id);
    if (!s.requested && !s.done) {
      s.requested = true;
      var script = document.createElement("script");
      script.src = new URL(file, root).href;
      script.async = true;
      // The elements stay: the benchmark counts what a query loaded by them.
      script.onload = function () {
        if (!s.done) s.reject(new Error(file + " holds no search data"));
      };
      script.onerror = function () { s.reject(new Error(file + " could not be loaded")); };
      document.head.appendChild(script);
    }
    return s.promise;
  }

  function manifest() {
    return request("m", "search/index.js").then(function (m) {
      if (!m.keySet) {
        m.keySet = new Set(m.keys);
        m.stopSet = new Set(m.stop);
        m.keyMax = m.keys.reduce(function (n, k) { return Math.max(n, length(k)); }, KEY_MIN);
        m.rank = m.ranking;  // k1, b, bonus by flag, expansion: the builder's (builder/search/index.py RANKING)
      }
      return m;
    });
  }

  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return "search/terms/" + key + ".js";
    var hex = "";
    new TextEncoder().encode(key).forEach(function (b) { hex += (b < 16 ? "0" : "") + b.toString(16); });
    return "search/terms/_" + hex + ".js";
  }

  function shard(key) { return request("t:" + key, shardFile(key)); }
  function chunk(n) { return request("d:" + n, "search/docs/" + n + ".js"); }

  /* ---- Matching and scoring ---- */

  // The shard holding a term: the longest key it starts with.
  function keyOf(term, m) {
    var chars = Array.from(term);
    for (var n = Math.min(chars.length, m.keyMax); n >= KEY_MIN; n--) {
      var key = chars.slice(0, n).join("");
      if (m.keySet.has(key)) return key;
    }
    return null;
  }

  function keysFor(token, m) {
    var keys = [];
    var own = keyOf(token.term, m);
    if (own !== null) keys.push(own);
    if (token.prefix) {
      m.keys.forEach(function (k) { if (k !== own && k.startsWith(token.term)) keys.push(k); });
    }
    return keys;
  }

  // Each page holding the token (any term it starts with, for a prefix) → its best term's score,
  // and whether the token is in the page's own name or title (a posting's flag).
  function scores(token, keys, m) {
    // A score per document number in a typed array, not a Map: "letter" has a posting on most
    // pages, and at 10,000 articles a Map of them was the query's longest task. Scores are > 0.
    var best = new Float64Array(m.docs), named = new Uint8Array(m.docs), docs = [];
    var k1 = m.rank.k1, bonus = m.rank.bonus;
    var norm = m.norm || (m.norm = lengthNorms(m));
    function add(term, postings) {
      var df = postings.length / 2;
      var idf = Math.log(1 + (m.count - df + 0.5) / (df + 0.5));
      var factor = term === token.term ? 1 : m.rank.expansion;
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        var p = postings[i + 1];
        var tf = p >> 8;
        var s = idf * (tf * (k1 + 1) / (tf + norm[(p >> 2) & 63]) + (bonus[p & 3] || 0)) * factor;
        if (best[doc] === 0) docs.push(doc);
        if (s > best[doc]) best[doc] = s;
        if (p & 3) named[doc] = 1;
      }
    }
    keys.forEach(function (key) {
      var terms = slot("t:" + key).value || {};
      if (!token.prefix) {
        if (Object.prototype.hasOwnProperty.call(terms, token.term)) add(token.term, terms[token.term]);
        return;
      }
      for (var term in terms) {
        if (Object.prototype.hasOwnProperty.call(terms, term) && term.startsWith(token.term)) add(term, terms[term]);
      }
    });
    return { best: best, named: named, docs: docs };
  }

  // BM25's length normalisation for each of the 64 quantised page lengths.
  function lengthNorms(m) {
    var norm = new Float64Array(64), k1 = m.rank.k1, b = m.rank.b;
    for (var q = 0; q < 64; q++) norm[q] = k1 * (1 - b + b * (Math.pow(2, q / 4) - 1) / (m.avgdl || 1));
    return norm;
  }

  // Ranked [doc, score] of the pages holding every token of `text`; tokens: what was looked for.
  // Pages whose own name or title holds more of the tokens come first, whatever the scores: a
  // summit comes first for its alias though a place's summary repeats it, and a place named by
  // one word of it ("Helsinki" for "Helsinki summit") does not outrank it either.
  function rank(text) {
    return manifest().then(function (m) {
      var tokens = parse(text, m.stopSet);
      var keys = tokens.map(function (t) { return keysFor(t, m); });
      var wanted = new Set([].concat.apply([], keys));
      return Promise.all(Array.from(wanted, shard)).then(function () {
        var found = tokens.map(function (t, i) { return scores(t, keys[i], m); });
        found = found.filter(function (f, i) { return !(tokens[i].partial && !f.docs.length && found.length > 1); });
        var ranked = [];
        if (found.length) {
          found.sort(function (a, b) { return a.docs.length - b.docs.length; });
          var fewest = found[0].docs, total = new Float64Array(fewest.length), own = new Uint8Array(fewest.length);
          var kept = [];
          fewest.forEach(function (doc) {
            var score = 0, named = 0;
            for (var i = 0; i < found.length; i++) {
              var s = found[i].best[doc];
              if (s === 0) return;
              score += s;
              named += found[i].named[doc];
            }
            total[kept.length] = score;
            own[kept.length] = named;
            kept.push(doc);
          });
          var order = new Int32Array(kept.length);
          for (var i = 0; i < order.length; i++) order[i] = i;
          order.sort(function (a, b) { return own[b] - own[a] || total[b] - total[a] || kept[a] - kept[b]; });
          ranked = Array.from(order, function (i) { return [kept[i], total[i]]; });
        }
        return { tokens: tokens, ranked: ranked, chunkSize: m.chunk };
      });
    });
  }

  // A result's address under the site root, or null for anything else (an untrusted path
  // could name another site or a javascript: URL).
  function address(path, query) {
    if (typeof path !== "string" || /^[\/\\]|^[a-z][a-z0-9+.-]*:/i.test(path)) return null;
    var url;
    try { url = new URL(path, root); } catch (e) { return null; }
    if (url.protocol !== root.protocol || url.host !== root.host || !url.pathname.startsWith(root.pathname)) return null;
    url.search = "?h=" + encodeURIComponent(query);  // %20, not searchParams' "+": as the contract writes it
    return url.href;
  }

  // The documents of ranked[from…], up to `count` that can be shown; `skipped`: removed or
  // unsafe rows passed over, which the total leaves out.
  function documents(hits, text, from, count) {
    var out = [], skipped = 0, at = from;
    function step() {
      if (out.length >= count || at >= hits.ranked.length) return Promise.resolve();
      var batch = hits.ranked.slice(at, at + (count - out.length));
      var chunks = new Set(batch.map(function (r) { return Math.floor(r[0] / hits.chunkSize); }));
      return Promise.all(Array.from(chunks, chunk)).then(function () {
        batch.forEach(function (r) {
          var rows = slot("d:" + Math.floor(r[0] / hits.chunkSize)).value || [];
          var row = rows[r[0] % hits.chunkSize];
          var href = Array.isArray(row) ? address(row[0], text) : null;
          if (href === null) { skipped++; return; }
          out.push({ path: row[0], title: String(row[1]), kind: String(row[2] || ""), when: String(row[3] || ""),
                     context: String(row[4] || ""), score: r[1], href: href });
        });
        at += batch.length;
        return step();
      });
    }
    return step().then(function () { return { results: out, skipped: skipped, next: at }; });
  }

  function query(text, limit) {
    text = String(text);
    return rank(text).then(function (hits) {
      return documents(hits, text, 0, limit || PAGE).then(function (found) {
        return { total: hits.ranked.length - found.skipped, results: found.results };
      });
    });
  }

  /* ---- Receivers the data files call ---- */

  window.__archiveSearch = {
    manifest: function (obj) {
      if (obj && Array.isArray(obj.keys) && Array.isArray(obj.stop) && obj.ranking) receive("m", obj);
    },
    terms: function (key, obj) {
      if (typeof key === "string" && obj && typeof obj === "object") receive("t:" + key, obj);
    },
    docs: function (n, arr) {
      if (typeof n === "number" && Array.isArray(arr)) receive("d:" + n, arr);
    },
    query: query,
    tokens: function (text, forQuery) {
      return manifest().then(function (m) {
        return forQuery ? queryTokens(String(text), m.stopSet) : indexTokens(String(text), m.stopSet);
      });
    }
  };

  /* ---- The search box (overrides/partials/search.html) ---- */

  var dialog = document.querySelector("[data-archive-search]");
  var toggle = document.getElementById("__search");
  if (dialog && toggle) setUpBox(dialog, toggle);

  function setUpBox(dialog, toggle) {
    var form = dialog.querySelector("[data-archive-search-form]");
    var input = dialog.querySelector("[data-archive-search-input]");
    var meta = dialog.querySelector("[data-archive-search-meta]");
    var list = dialog.querySelector("[data-archive-search-list]");
    var more = dialog.querySelector("[data-archive-search-more]");
    var failed = meta.getAttribute("data-failed") || "";
    var seq = 0;          // the latest query; an older one's answer is dropped
    var scheduled = false;
    var shown = null;     // {text, hits, next, total} of the results on screen
    var openFirst = false;  // Enter came before the results: open the first when they come

    function setOpen(open) {
      if (toggle.checked !== open) toggle.click();  // as Material does: a click also says "change"
    }

    function visible(open) {
      list.hidden = !open;
      more.hidden = !open || !shown || shown.next >= shown.hits.ranked.length;
    }

    function item(result) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.setAttribute("href", result.href);
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      var title = document.createElement("div");
      title.className = "archive-search__title";
      title.textContent = result.title;
      var about = document.createElement("div");
      about.className = "archive-search__about";
      about.textContent = result.when ? result.kind + " · " + result.when : result.kind;
      article.append(icon, title, about);
      if (result.context) {
        var context = document.createElement("p");
        context.className = "archive-search__context";
        context.textContent = result.context;
        article.append(context);
      }
      a.append(article);
      li.append(a);
      return li;
    }

    function say(text) {
      if (meta.textContent !== text) meta.textContent = text;
    }

    function show(text, hits, found) {
      var total = hits.ranked.length - found.skipped;
      shown = { text: text, hits: hits, next: found.next, total: total, skipped: found.skipped };
      list.replaceChildren.apply(list, found.results.map(item));
      if (!hits.tokens.length) say(translation("search.result.placeholder"));
      else if (total === 0) say(translation("search.result.none"));
      else if (total === 1) say(translation("search.result.one"));
      else say(translation("search.result.other", total));
      visible(toggle.checked);
      if (openFirst) {
        openFirst = false;
        var first = list.querySelector("a");
        if (first) first.click();
      }
    }

    function fail() {
      shown = null;
      list.replaceChildren();
      say(failed);
      visible(toggle.checked);
    }

    function run() {
      scheduled = false;
      var text = input.value;
      if (shown && shown.text === text) return;
      var mine = ++seq;
      rank(text).then(function (hits) {
        if (mine !== seq) return null;
        return documents(hits, text, 0, PAGE).then(function (found) {
          if (mine === seq) show(text, hits, found);
        });
      }).catch(function () { if (mine === seq) fail(); });
    }

    function schedule() {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(run);  // one query for all the input events of this task
    }

    // Typing or clicking in the box the focus stayed in after Escape opens it again.
    input.addEventListener("input", function () { setOpen(true); schedule(); });
    input.addEventListener("click", function () { setOpen(true); });
    input.addEventListener("focus", function () {
      if (!byOpener && !staying) setOpen(true);
      manifest().catch(function () {});  // warm: the first keystroke then needs only its shard
      if (!shown || shown.text !== input.value) schedule();
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = list.querySelector("a");
      if (shown && shown.text === input.value && first) first.click();
      else if (!shown || shown.text !== input.value) { openFirst = true; schedule(); }
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { schedule(); input.focus(); });  // after the form has cleared the box
    });

    more.addEventListener("click", function () {
      if (!shown) return;
      var was = shown, mine = seq;
      documents(was.hits, was.text, was.next, PAGE).then(function (found) {
        if (mine !== seq || shown !== was) return;
        was.next = found.next;
        was.skipped += found.skipped;
        var items = found.results.map(item);
        list.append.apply(list, items);
        var total = was.hits.ranked.length - was.skipped;
        if (total !== was.total) {
          was.total = total;
          say(total === 1 ? translation("search.result.one") : translation("search.result.other", total));
        }
        visible(toggle.checked);
        if (items.length) items[0].querySelector("a").focus();  // the reader goes on where the list grew
      }).catch(function () { if (mine === seq) fail(); });
    });

    // A result link followed: close, so a link to this very page leaves no dialog open.
    list.addEventListener("click", function (ev) {
      if (ev.target instanceof Element && ev.target.closest("a")) setOpen(false);
    });

    toggle.addEventListener("change", function () {
      visible(toggle.checked);
      if (toggle.checked) {
        manifest().catch(function () {});
        if (!dialog.contains(document.activeElement)) input.focus();  // the phone's magnifier
      } else {
        byShortcut = false;
        returnTo = null;
        if (dialog.contains(document.activeElement)) document.activeElement.blur();
      }
    });
    // On a phone the box is revealed by the header's button: focusing in the click itself
    // is what lets a phone bring up its keyboard.
    var opener = document.querySelector("label.md-header__button[for=__search]");
    // The label then checks the toggle itself: opening it here as well would close it again.
    var byOpener = false;
    // Where the focus goes back to on Escape: the element a shortcut key was pressed on (null:
    // the page itself), or the box when the reader came to it (Tab, click) and it shows.
    var returnTo = null, byShortcut = false, staying = false;
    function close() {
      var back = byShortcut ? returnTo : opener && opener.offsetParent === null ? input : null;
      byShortcut = false;
      returnTo = null;
      setOpen(false);  // blurs the box (the toggle's change listener)
      if (back && back.isConnected) {
        staying = true;
        back.focus();
        staying = false;
      } else if (dialog.contains(document.activeElement)) {
        document.activeElement.blur();
      }
    }
    if (opener) opener.addEventListener("click", function () {
      if (toggle.checked) return;
      byOpener = true;
      input.focus();
      byOpener = false;
    });

    // Leaving the dialog with Tab closes it; a click elsewhere lands on the overlay, which closes it.
    dialog.addEventListener("focusout", function (ev) {
      if (ev.relatedTarget instanceof Node && !dialog.contains(ev.relatedTarget)) setOpen(false);
    });

    function typing(el) {
      if (!el) return false;
      if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
      return el instanceof HTMLInputElement && !/^(checkbox|radio|button|submit|reset|range|color)$/.test(el.type);
    }

    window.addEventListener("keydown", function (ev) {
      if (ev.metaKey || ev.ctrlKey || ev.altKey || ev.isComposing) return;
      var active = document.activeElement;
      if (!toggle.checked) {
        if ((ev.key === "/" || ev.key === "s" || ev.key === "f") && !typing(active)) {
          ev.preventDefault();
          returnTo = active && active !== document.body && !dialog.contains(active) ? active : null;
          input.focus();  // opens it (the focus listener)
          byShortcut = true;
          input.select();
        }
        return;
      }
      if (ev.key === "Escape") {
        close();
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        var stops = [input].concat(Array.from(list.querySelectorAll("a[href]")));
        if (!more.hidden) stops.push(more);
        var at = stops.indexOf(active);
        var next = at < 0 ? 0 : (at + (ev.key === "ArrowDown" ? 1 : -1) + stops.length) % stops.length;
        stops[next].focus();
        ev.preventDefault();  // the page must not scroll underneath
      }
    });

    visible(toggle.checked);
    if (toggle.checked) input.focus();
  }

  /* ---- Marking the words searched for on the page opened from a result (?h=) ---- */

  // fold(text), with where each of its UTF-16 units comes from in `text`: [start, end).
  function foldMapped(text) {
    var pieces = [], starts = [], ends = [], i = 0;
    for (var cp of text) {
      var piece = cp.normalize("NFKD").replace(MARKS, "");
      pieces.push(piece);
      for (var k = 0; k < piece.length; k++) { starts.push(i); ends.push(i + cp.length); }
      // A combining mark written apart ("e" + U+0301) belongs to the letter before it.
      if (!piece.length && ends.length && ends[ends.length - 1] === i) ends[ends.length - 1] = i + cp.length;
      i += cp.length;
    }
    var bare = pieces.join("");
    var lower = bare.toLowerCase();  // whole, for context-dependent case (Greek final sigma)
    if (lower.length !== bare.length) lower = pieces.map(function (p) { return p.toLowerCase(); }).join("");
    if (lower.length !== bare.length) return null;  // a letter whose case changes its length: leave the text be
    var chars = [], s2 = [], e2 = [];
    for (var j = 0; j < lower.length; j++) {
      var c = lower[j], sub = LETTERS[c] !== undefined ? LETTERS[c] : c;
      for (var q = 0; q < sub.length; q++) { chars.push(sub[q]); s2.push(starts[j]); e2.push(ends[j]); }
    }
    var folded = chars.join("");
    var dropped = new Set();
    folded.replace(ABBREVIATION, function (m, offset) {
      for (var d = 0; d < m.length; d++) if (m[d] === ".") dropped.add(offset + d);
      return m;
    });
    var out = "", s3 = [], e3 = [];
    for (var n = 0; n < folded.length; n++) {
      if (dropped.has(n)) continue;
      out += folded[n]; s3.push(s2[n]); e3.push(e2[n]);
    }
    return { text: out, starts: s3, ends: e3 };
  }

  function highlight(article, h) {
    return manifest().then(function (m) {
      var tokens = parse(h, m.stopSet);
      if (!tokens.length) return;
      var exact = new Set(tokens.filter(function (t) { return !t.prefix; }).map(function (t) { return t.term; }));
      var prefix = tokens.filter(function (t) { return t.prefix; }).map(function (t) { return t.term; })[0];
      function wanted(word) {
        return wordTerms(word, false, m.stopSet).some(function (t) {
          return exact.has(t) || (prefix !== undefined && t.startsWith(prefix));
        });
      }
      var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          var parent = node.parentElement;
          if (!parent || parent.closest("script, style, svg, mark, textarea")) return NodeFilter.FILTER_REJECT;
          return /[\p{L}\p{N}]/u.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        }
      });
      var nodes = [];
      for (var node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
      nodes.forEach(function (node) {
        var f = foldMapped(node.data);
        if (!f) return;
        var spans = [], match;
        WORD.lastIndex = 0;
        while ((match = WORD.exec(f.text)) !== null) {
          if (wanted(match[0])) spans.push([f.starts[match.index], f.ends[match.index + match[0].length - 1]]);
        }
        // From the end, so the offsets before each cut stay right.
        for (var i = spans.length - 1; i >= 0; i--) {
          var word = node.splitText(spans[i][0]);
          word.splitText(spans[i][1] - spans[i][0]);
          var mark = document.createElement("mark");
          word.replaceWith(mark);
          mark.append(word);
        }
      });
    });
  }

  var h = new URL(window.location.href).searchParams.get("h");
  var content = document.querySelector(".md-content article");
  if (h && content) highlight(content, h.slice(0, MAX_QUERY)).catch(function () {});
})();
