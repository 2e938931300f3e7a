/* The handbook's search: a WAI-ARIA combobox in the header and the search page.
 *
 * The index is built when the site is built (handbook_build/search.py). Here it
 * is only expanded into lunr's own serialisation and handed to lunr.Index.load.
 * Index, results and lunr.js arrive as <script> elements, never fetch(), so a
 * copy opened from disk works, and only when a reader starts to search.
 * Contributor text (titles, summaries) is always inserted as text nodes.
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-hb-search]");
  if (!root) return;

  const FORMAT = 1;
  const SHOWN = 8; // results in the header panel; the search page shows them all
  const LEVELS = 64;
  const FINAL = 60;
  // The 92 printable ASCII characters that need no escaping in JSON, as in search.py.
  const DIGITS = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '"' && c !== "\\").join("");
  const MORE = DIGITS.length - FINAL;
  // No positions are indexed, so every match shares one empty metadata object (lunr only reads it).
  const NO_METADATA = Object.freeze({});
  const VALUE = new Int16Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

  const config = root.dataset;
  const messages = {
    loading: config.msgLoading,
    failed: config.msgFailed,
    none: config.msgNone,
    one: config.msgOne,
    many: config.msgMany,
    more: config.msgMore,
    empty: config.msgEmpty,
    nothing: config.msgNothing,
  };
  const say = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

  // -- loading ---------------------------------------------------------------------

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });

  let engine = null;
  const ready = () => {
    engine ??= Promise.all([config.lunr, config.index, config.docs].map(loadScript)).then(() => {
      const store = window.handbookSearchDocs;
      const compact = window.handbookSearchIndex;
      if (!window.lunr || !store || !compact || store.format !== FORMAT || compact.format !== FORMAT) {
        throw new Error("the search files do not match this page; rebuild the site");
      }
      return { index: expand(compact), store };
    });
    return engine;
  };

  /* The compact index back into lunr's serialisation: front-coded terms, and per
   * field and document the term gaps with score levels. lunr's inverted index is
   * the transpose of those vectors. Nothing is tokenised or scored here. */
  function expand(compact) {
    const fields = compact.fields;
    const terms = [];
    let previous = "";
    for (const item of compact.terms.split(" ")) {
      previous = previous.slice(0, parseInt(item[0], 36)) + item.slice(1);
      terms.push(previous);
    }
    // Every (term, field, document) once, as numbers; turned into lunr's postings below.
    const size = compact.vectors.reduce((n, rows) => rows.reduce((m, row) => m + row.length, n), 0) >> 1;
    const slot = new Int32Array(size); // term * fields + field
    const doc = new Int32Array(size);
    let n = 0;
    const fieldVectors = [];
    fields.forEach((field, f) => {
      const [low, high] = compact.scales[f];
      const step = high > low ? Math.log(high / low) / (LEVELS - 1) : 0;
      const scores = Array.from({ length: LEVELS }, (_, level) => low * Math.exp(step * level));
      compact.vectors[f].forEach((row, ref) => {
        const elements = [];
        let term = -1;
        for (let i = 0; i < row.length; ) {
          let gap = 0;
          let digit = VALUE[row.charCodeAt(i++)];
          while (digit >= FINAL) {
            gap = gap * MORE + (digit - FINAL);
            digit = VALUE[row.charCodeAt(i++)];
          }
          term += gap * FINAL + digit + 1;
          elements.push(term, scores[VALUE[row.charCodeAt(i++)]]);
          slot[n] = term * fields.length + f;
          doc[n++] = ref;
        }
        fieldVectors.push([`${field}/${ref}`, elements]);
      });
    });
    // Documents grouped by (term, field), in document order: a counting sort.
    const start = new Int32Array(terms.length * fields.length + 1);
    for (let k = 0; k < n; k++) start[slot[k] + 1]++;
    for (let s = 1; s < start.length; s++) start[s] += start[s - 1];
    const fill = start.slice(0, -1);
    const docs = new Int32Array(n);
    for (let k = 0; k < n; k++) docs[fill[slot[k]]++] = doc[k];
    const Posting = postingType(fields, start, docs);
    return lunr.Index.load({
      version: lunr.version,
      fields,
      fieldVectors,
      invertedIndex: terms.map((term, i) => [term, new Posting(i)]),
      pipeline: ["stemmer"],
    });
  }

  /* lunr reads posting[field] as {documentRef: metadata}. Most terms are never
   * searched for, so each such object is made the first time lunr asks for it. */
  function postingType(fields, start, docs) {
    const Posting = class {
      constructor(index) {
        this._index = index;
      }
    };
    fields.forEach((field, f) => {
      Object.defineProperty(Posting.prototype, field, {
        get() {
          const refs = {};
          const s = this._index * fields.length + f;
          for (let k = start[s]; k < start[s + 1]; k++) refs[docs[k]] = NO_METADATA;
          Object.defineProperty(this, field, { value: refs });
          return refs;
        },
      });
    });
    return Posting;
  }

  // -- searching -------------------------------------------------------------------

  // As lunr.py's trimmer: strip what is not a word from both ends of a plain word.
  const TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;
  const trim = (word) => (TRIM.exec(word) || [null, word])[1];
  const SEPARATOR = /[\s\-]+/;

  /* The reader's words as lunr clauses. `field:value` searches one field and
   * must match (so `topics:fundraising` narrows); +word must match, -word must
   * not; word* is a prefix. Other words are optional and scored, and the word
   * still being typed also matches as a prefix, so results come while typing. */
  function clauses(text, fields) {
    const { presence, wildcard } = lunr.Query;
    const out = [];
    const parts = text.trim().split(/\s+/).filter(Boolean);
    const typing = !/\s$/.test(text);
    parts.forEach((part, p) => {
      let must = presence.OPTIONAL;
      if (part.length > 1 && (part[0] === "+" || part[0] === "-")) {
        must = part[0] === "+" ? presence.REQUIRED : presence.PROHIBITED;
        part = part.slice(1);
      }
      const field = /^([a-z]+):(.+)$/i.exec(part);
      if (field && fields.includes(field[1].toLowerCase())) {
        const name = field[1].toLowerCase();
        const whole = name === "topics" || name === "type"; // indexed as whole values
        const values = whole ? [field[2]] : field[2].split(SEPARATOR);
        for (const value of values.map((v) => v.toLowerCase()).filter(Boolean)) {
          out.push(term(value, { fields: [name], presence: must === presence.OPTIONAL ? presence.REQUIRED : must }, whole));
        }
        return;
      }
      const words = part.split(SEPARATOR).filter(Boolean);
      words.forEach((word, w) => {
        out.push(term(word.toLowerCase(), { presence: must }, false));
        const last = p === parts.length - 1 && w === words.length - 1;
        // From three letters on: a shorter prefix matches too many terms to help, and costs time.
        if (last && typing && must !== presence.PROHIBITED && !word.endsWith("*") && trim(word).length >= 3) {
          out.push({ term: trim(word.toLowerCase()), wildcard: wildcard.TRAILING, usePipeline: false, boost: 0.5 });
        }
        if (must === presence.OPTIONAL && !word.endsWith("*") && trim(word).length >= 5) {
          out.push({ term: trim(word.toLowerCase()), editDistance: 1, boost: 0.1 }); // a typo still finds something
        }
      });
    });
    return out.filter((clause) => clause.term && clause.term !== "*");
  }

  function term(word, clause, whole) {
    const { wildcard } = lunr.Query;
    if (word.endsWith("*")) return { ...clause, term: word.replace(/\*+$/, ""), wildcard: wildcard.TRAILING, usePipeline: false };
    return { ...clause, term: whole ? word : trim(word) };
  }

  /* Results as {doc, terms}: doc = [url, title, summary, type, topics, lang?],
   * terms = the index terms that matched (for highlighting). */
  function search({ index, store }, text, filter = {}) {
    const wanted = (doc) => (!filter.type || doc[3] === filter.type) && (!filter.topic || doc[4].includes(filter.topic));
    const query = clauses(text, index.fields);
    if (!query.length) {
      if (!filter.type && !filter.topic) return [];
      const listed = store.docs.filter(wanted).map((doc) => ({ doc, terms: new Set() }));
      return listed.sort((a, b) => a.doc[1].localeCompare(b.doc[1]));
    }
    let results;
    try {
      results = index.query((q) => query.forEach((clause) => q.term(clause.term, { ...clause })));
    } catch (error) {
      return []; // e.g. a query made only of a prefix lunr cannot expand
    }
    return results
      .map((r) => ({ doc: store.docs[Number(r.ref)], terms: new Set(Object.keys(r.matchData.metadata)) }))
      .filter((r) => r.doc && wanted(r.doc));
  }

  // -- showing results ---------------------------------------------------------------

  const WORD = /[\p{L}\p{N}_'\u2019]+/gu;

  /* Text with the words whose stem matched wrapped in <mark>, built as nodes. */
  function highlighted(text, terms) {
    const out = document.createDocumentFragment();
    let last = 0;
    if (terms.size) {
      for (const match of text.matchAll(WORD)) {
        const stem = lunr.stemmer(new lunr.Token(trim(match[0]).toLowerCase(), {})).toString();
        if (!terms.has(stem)) continue;
        out.append(text.slice(last, match.index));
        const mark = document.createElement("mark");
        mark.textContent = match[0];
        out.append(mark);
        last = match.index + match[0].length;
      }
    }
    out.append(text.slice(last));
    return out;
  }

  function element(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  }

  /* From a path relative to the site root to a link from this page. A copy
   * opened from disk has no server to turn folder/ into folder/index.html. */
  function href(path) {
    const url = new URL(`${config.base}/${path}`, document.baseURI);
    if (url.protocol === "file:" && url.pathname.endsWith("/")) url.pathname += "index.html";
    return url.href;
  }

  function searchPage(params) {
    const url = new URL(href(config.page));
    for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
    return url.href;
  }

  function badge(store, doc) {
    const label = store.types[doc[3]] || doc[3];
    return element("span", `hb-search-badge hb-type--${doc[3]}`, label);
  }

  function countMessage(count, text) {
    if (count === 0) return text.trim() ? say(messages.none, { query: text.trim() }) : messages.nothing;
    return say(count === 1 ? messages.one : messages.many, { count });
  }

  // For tests and forks: the same search the box and the page use.
  window.handbookSearch = {
    ready,
    search: async (text, filter) => search(await ready(), text, filter).map((r) => ({ url: r.doc[0], title: r.doc[1], type: r.doc[3], terms: [...r.terms] })),
    clauses: async (text) => clauses(text, (await ready()).index.fields),
  };

  // -- the header combobox -------------------------------------------------------------

  const input = root.querySelector("[data-handbook-search-input]");
  const form = root.querySelector("form");
  const panel = root.querySelector("[data-hb-search-panel]");
  const listbox = root.querySelector("[role=listbox]");
  const empty = root.querySelector("[data-hb-search-empty]");
  const status = root.querySelector("[data-hb-search-status]");
  let options = []; // [{element, go}]
  let active = -1;
  let announce = 0;

  function setStatus(node, text, delay = 0) {
    clearTimeout(announce);
    // A pause before announcing, so a screen reader is not interrupted on every keystroke.
    if (delay) announce = setTimeout(() => (node.textContent = text), delay);
    else node.textContent = text;
  }

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    if (!show) activate(-1);
  }

  function activate(n) {
    if (options[active]) options[active].element.setAttribute("aria-selected", "false");
    active = n;
    const option = options[n];
    if (option) {
      option.element.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.element.id);
      option.element.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function option(id, content, go, className = "") {
    const node = element("li", `hb-search-option ${className}`.trim(), ...content);
    const n = options.length;
    node.id = id;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    node.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
    node.addEventListener("click", go);
    node.addEventListener("mousemove", () => active !== n && activate(n));
    options.push({ element: node, go });
    return node;
  }

  async function update() {
    const text = input.value;
    if (!text.trim()) {
      listbox.replaceChildren();
      options = [];
      open(false);
      setStatus(status, "");
      return;
    }
    let found;
    try {
      const loaded = await ready();
      if (input.value !== text) return; // the reader typed on while it loaded
      found = { loaded, results: search(loaded, text) };
    } catch (error) {
      setStatus(status, messages.failed);
      console.error(error);
      return;
    }
    const { loaded, results } = found;
    options = [];
    active = -1;
    listbox.replaceChildren(
      ...results.slice(0, SHOWN).map(({ doc, terms }, n) => {
        const title = element("span", "hb-search-option__title", highlighted(doc[1], terms));
        const summary = element("span", "hb-search-option__summary", highlighted(doc[2], terms));
        const node = option(`hb-search-option-${n}`, [badge(loaded.store, doc), title, summary], () => (location.href = href(doc[0])));
        node.setAttribute("data-handbook-search-result", "");
        if (doc[5]) node.lang = doc[5];
        return node;
      }),
    );
    if (results.length > SHOWN) {
      const all = say(messages.more, { count: results.length });
      listbox.append(option("hb-search-option-all", [all], () => (location.href = searchPage({ q: text })), "hb-search-option--all"));
    }
    empty.hidden = results.length > 0;
    empty.textContent = results.length ? "" : countMessage(0, text);
    input.removeAttribute("aria-activedescendant");
    open(document.activeElement === input); // not if the reader has moved on while the index loaded
    setStatus(status, countMessage(results.length, text), 400);
  }

  input.addEventListener("focus", () => {
    ready().catch(() => setStatus(status, messages.failed));
    if (input.value.trim() && listbox.childElementCount) open(true);
  });
  input.addEventListener("input", update);
  input.addEventListener("blur", () => open(false));
  input.addEventListener("keydown", (event) => {
    const count = options.length;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (panel.hidden) {
          if (input.value.trim()) open(true);
          return;
        }
        if (count) activate(event.key === "ArrowDown" ? (active + 1) % count : (active - 1 + count) % count);
        break;
      case "Enter":
        event.preventDefault();
        if (!panel.hidden && options[active]) options[active].go();
        else if (input.value.trim()) location.href = searchPage({ q: input.value.trim() });
        break;
      case "Escape":
        if (!panel.hidden) open(false);
        else input.value = "";
        event.preventDefault();
        break;
      default:
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) location.href = searchPage({ q: input.value.trim() });
  });
  // "/" jumps to the search box from anywhere but a text field.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
  });

  // -- the search page ------------------------------------------------------------------

  const page = document.querySelector("[data-hb-search-page]");
  if (!page) return;
  const pageForm = page.querySelector("form");
  const fields = { q: pageForm.elements.q, type: pageForm.elements.type, topic: pageForm.elements.topic };
  const list = page.querySelector("[data-hb-search-page-results]");
  const pageStatus = page.querySelector("[data-hb-search-page-status]");

  const params = new URLSearchParams(location.search);
  for (const [name, control] of Object.entries(fields)) {
    const value = params.get(name) || "";
    if (control.tagName === "SELECT" && value && !Array.from(control.options).some((o) => o.value === value)) continue;
    control.value = value;
  }

  function remember(state) {
    const query = new URLSearchParams(Object.entries(state).filter(([, value]) => value)).toString();
    try {
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
    } catch (error) {
      // Some browsers refuse to change a file:// URL; the results still show.
    }
  }

  async function render() {
    const state = { q: fields.q.value, type: fields.type.value, topic: fields.topic.value };
    remember(state);
    if (!state.q.trim() && !state.type && !state.topic) {
      list.replaceChildren();
      setStatus(pageStatus, messages.empty);
      return;
    }
    let loaded;
    try {
      setStatus(pageStatus, messages.loading);
      loaded = await ready();
    } catch (error) {
      setStatus(pageStatus, messages.failed);
      console.error(error);
      return;
    }
    if (fields.q.value !== state.q) return;
    const results = search(loaded, state.q, state);
    list.replaceChildren(
      ...results.map(({ doc, terms }) => {
        const link = element("a", "", highlighted(doc[1], terms));
        link.href = href(doc[0]);
        const topics = doc[4].map((id) => loaded.store.topics[id] || id).join(", ");
        const item = element(
          "li",
          "hb-search-hit",
          badge(loaded.store, doc),
          element("h2", "hb-search-hit__title", link),
          element("p", "hb-search-hit__summary", highlighted(doc[2], terms)),
        );
        if (topics) item.append(element("p", "hb-search-hit__topics", topics));
        if (doc[5]) item.lang = doc[5];
        return item;
      }),
    );
    setStatus(pageStatus, countMessage(results.length, state.q));
  }

  pageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });
  fields.q.addEventListener("input", render);
  fields.type.addEventListener("change", render);
  fields.topic.addEventListener("change", render);
  render();
})();
