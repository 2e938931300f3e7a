/* The handbook's search: a WAI-ARIA combobox in the header and the search page.
 * This file loads only when a reader starts to search (search.js, in the bundle, loads it).
 *
 * The indexes, one per language, are built when the site is built
 * (handbook_build/site/search.py) and cut into shards (search_shards.py): a
 * query loads the shards that hold its terms (a prefix: those its range
 * touches), and the index of the shards loaded so far is handed to
 * lunr.Index.load; it ranks as the whole index would. Then the rows of the
 * results shown load. Everything arrives as <script> elements, never fetch(),
 * so a copy opened from disk works, and only when a reader starts to search:
 * first the page's language, the others when a search is made; their results
 * follow the reader's language.
 * A query is turned into terms as the build turned words into terms
 * (stemming.py): lunr's stemmer for English, the shipped word forms for a
 * Snowball language, character pairs for Chinese and Japanese.
 * A result shows its summary at once; then the sentences of the results on
 * screen load (search_passages.py: one small script per page) and a sentence
 * holding more of the query's words than the summary takes its place.
 * Contributor text (titles, summaries, sentences) is always inserted as text nodes.
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-hb-search]");
  if (!root) return;

  const FORMAT = 3;
  const SHOWN = 8; // results in the header panel; the search page shows them all
  const LEVELS = 64;
  const FINAL = 60;
  // The 92 printable ASCII characters that need no escaping in JSON, as in search_index.py.
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

  // data-languages: "en index.js docs.js;sv …", the page's language in data-lang.
  const files = new Map(
    (config.languages || "").split(";").filter(Boolean).map((entry) => {
      const [lang, index, docs] = entry.split(" ");
      return [lang, { index, docs }];
    }),
  );
  const primary = files.has(config.lang) ? config.lang : files.keys().next().value;
  const engines = new Map(); // language -> Promise of an engine (see engine())
  let lunrLoaded = null;
  let reader = null; // the page language's engine, once loaded: its labels are the reader's

  /* The manifest and the results' labels of one build. Pages name these files without a version,
   * so a browser may keep one from an earlier build in its cache: each file says which
   * build made it, and two that disagree are fetched again, past any cache. */
  function searchFiles(lang) {
    const { index, docs } = files.get(lang);
    const both = (suffix) => Promise.all([loadScript(index + suffix), loadScript(docs + suffix)]);
    const found = () => [(window.handbookSearchDocs || {})[lang], (window.handbookSearchIndex || {})[lang]];
    return both("").then(() => {
      const [store, manifest] = found();
      return store && manifest && store.build !== manifest.build ? both(`?v=${Date.now()}`).then(found) : [store, manifest];
    });
  }

  /* Part n of a language's shards, result rows, word forms or a page's sentences
   * (search.py's PARTS), from <folder>/<lang>/<n>.js next to the results file. Its key
   * names its build ("en/3@<build>"): one an earlier build left in a cache is fetched again. */
  const parts = new Map();
  function part(folder, global, lang, n, build) {
    const id = `${folder}/${lang}/${n}`;
    if (!parts.has(id)) {
      const url = new URL(`${folder}/${lang}/${n}.js`, new URL(files.get(lang).docs, document.baseURI)).href;
      const found = () => (window[global] || {})[`${lang}/${n}@${build}`];
      const loaded = loadScript(url).then(() => found() || loadScript(`${url}?v=${build}`).then(found));
      parts.set(id, loaded.then((data) => data ?? Promise.reject(new Error(`${url} is not from this build`))));
    }
    return parts.get(id);
  }

  /* One language's search: its manifest, the shards loaded so far and the lunr index
   * made of them (search_shards.py: a partial index ranks as the whole one). */
  function engine(lang) {
    if (!engines.has(lang)) {
      lunrLoaded ??= loadScript(config.lunr);
      const loaded = Promise.all([searchFiles(lang), lunrLoaded]).then(([[store, manifest]]) => {
        if (!window.lunr || !store || !manifest || store.format !== FORMAT || manifest.format !== FORMAT) {
          throw new Error("the search files do not match this page; rebuild the site");
        }
        const made = {
          lang, store, manifest, build: manifest.build,
          keys: new Set(store.translations), // what the language has a version of besides its originals
          starts: decodeTerms(manifest.shards), formStarts: decodeTerms(manifest.forms || ""),
          shards: new Map(), formParts: new Set(), formMap: new Map(), rows: new Map(), known: new Set(), index: null, built: -1,
        };
        made.words = analyzer(made);
        rebuild(made);
        if (lang === primary) reader = made;
        return made;
      });
      engines.set(lang, loaded);
    }
    return engines.get(lang);
  }
  const ready = () => engine(primary);
  const others = () => Promise.all([...files.keys()].filter((lang) => lang !== primary).map(engine));

  function decodeTerms(code) {
    const terms = [];
    let previous = "";
    for (const item of code ? code.split(" ") : []) {
      previous = previous.slice(0, parseInt(item[0], 36)) + item.slice(1);
      terms.push(previous);
    }
    return terms;
  }

  /* (number, level) pairs as search_index.encode_pairs wrote them: numbers as gaps. */
  function decodePairs(row, each) {
    let number = -1;
    for (let i = 0; i < row.length; ) {
      let gap = 0;
      let digit = VALUE[row.charCodeAt(i++)];
      while (digit >= FINAL) {
        gap = gap * MORE + (digit - FINAL);
        digit = VALUE[row.charCodeAt(i++)];
      }
      number += gap * FINAL + digit + 1;
      each(number, VALUE[row.charCodeAt(i++)]);
    }
  }

  /* The last of `starts` (sorted, JavaScript order) that is <= text: the part holding it. */
  function partOf(starts, text) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= text) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /* Loads the shards holding the terms from `first` to `last`. */
  function loadTerms(made, first, last = first) {
    if (!made.starts.length) return [];
    const wanted = [];
    for (let n = partOf(made.starts, first); n <= partOf(made.starts, last); n++) {
      if (!made.shards.has(n)) wanted.push(part("search-index", "handbookSearchShards", made.lang, n, made.build).then((s) => made.shards.set(n, s)));
    }
    return wanted;
  }

  /* Loads what a query needs (a Snowball language's word forms first: they decide its
   * terms), then makes the index anew if shards arrived. */
  async function prepare(made, text) {
    const words = (text.toLowerCase().match(WORDS) || []).map(trim);
    if (made.formStarts.length) {
      await Promise.all(words.map((word) => {
        const n = partOf(made.formStarts, word);
        return made.formParts.has(n) ? null : part("search-forms", "handbookSearchForms", made.lang, n, made.build)
          .then(([code]) => decodeForms(code, made.formMap) && made.formParts.add(n));
      }));
      // A form never seen is cut to the longest term it starts with (at least half of it): load those terms.
      await Promise.all(words.filter((w) => !made.formMap.has(w)).flatMap((w) => loadTerms(made, w.slice(0, Math.max(2, Math.ceil(w.length / 2))), w)));
    }
    const loads = [];
    const piped = (term) => (made.words.piped ? made.words.stem(term) : term);
    for (const word of words) loads.push(...loadTerms(made, word), ...loadTerms(made, piped(word)));
    for (const clause of clauses(text, made)) {
      if (clause.wildcard) loads.push(...loadTerms(made, clause.term, `${clause.term}\uffff`));
      else loads.push(...loadTerms(made, clause.usePipeline ? piped(clause.term) : clause.term));
    }
    await Promise.all(loads);
    if (made.built !== made.shards.size) rebuild(made);
  }

  /* The loaded shards as lunr's serialisation, handed to lunr.Index.load: terms in order,
   * each field's posting the documents that hold it, and per field and document the
   * (term, score) pairs. Every document keeps a field vector (lunr lists them all for
   * a query of -words only). Nothing is tokenised or scored here. */
  function rebuild(made) {
    const { fields, scales, docs: count } = made.manifest;
    const scores = scales.map(([low, high]) => {
      const step = high > low ? Math.log(high / low) / (LEVELS - 1) : 0;
      return Array.from({ length: LEVELS }, (_, level) => low * Math.exp(step * level));
    });
    const vectors = fields.map(() => Array.from({ length: count }, () => []));
    const invertedIndex = [];
    const known = new Set();
    for (const n of [...made.shards.keys()].sort((a, b) => a - b)) {
      const [first, code, ...postings] = made.shards.get(n);
      decodeTerms(code).forEach((term, j) => {
        const posting = { _index: first + j };
        postings[j].split(" ").forEach((row, f) => {
          const refs = (posting[fields[f]] = {});
          decodePairs(row, (ref, level) => {
            refs[ref] = NO_METADATA;
            vectors[f][ref].push(first + j, scores[f][level]);
          });
        });
        invertedIndex.push([term, posting]);
        known.add(term);
      });
    }
    const fieldVectors = fields.flatMap((field, f) => vectors[f].map((elements, ref) => [`${field}/${ref}`, elements]));
    const pipeline = made.manifest.analyzer === "lunr" ? ["stemmer"] : []; // the others are handed finished terms
    made.index = lunr.Index.load({ version: lunr.version, fields, fieldVectors, invertedIndex, pipeline });
    made.known = known;
    made.built = made.shards.size;
  }

  /* The rows results show, for `results` ({ref}): each gets its doc. */
  async function withDocs(made, results) {
    const size = made.store.chunk;
    const wanted = new Set(results.filter((r) => !r.doc).map((r) => Math.floor(r.ref / size)));
    await Promise.all([...wanted].map((n) => made.rows.get(n) || part("search-docs", "handbookSearchChunks", made.lang, n, made.build).then((rows) => made.rows.set(n, rows))));
    for (const r of results) r.doc ??= made.rows.get(Math.floor(r.ref / size))[r.ref % size];
    return results;
  }

  // -- words to terms ----------------------------------------------------------------

  // As lunr.py's trimmer: strip what is not a word from both ends of a plain word.
  const TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;
  const trim = (word) => (TRIM.exec(word) || [null, word])[1];
  const SEPARATOR = /[\s\-]+/;
  const WORDS = /[\p{L}\p{N}_]+/gu;

  /* How one index turns a reader's (lower-cased) word into its terms, as
   * stemming.py did for the words it indexed:
   * terms(word) -> the query terms (none for a stop word); stem(word) -> the
   * term a word of a result's text counts as (for highlighting); cjk -> a
   * regular expression for a Han or kana run, or null. `piped`: lunr itself
   * stems each term (English: the index's pipeline is lunr's stemmer). */
  function analyzer(made) {
    const kind = made.manifest.analyzer;
    if (kind === "lunr") {
      const stem = (word) => lunr.stemmer(new lunr.Token(trim(word), {})).toString();
      return { piped: true, cjk: null, terms: (word) => [trim(word)], stem };
    }
    if (kind === "snowball") {
      // A form seen in the handbook has the build's stem; an unseen one is cut to the
      // longest term it starts with (at least half of it): Snowball stems are word starts.
      // Both from what is loaded: prepare() loads the forms and terms a query's words need.
      const stem = (word) => {
        const form = trim(word);
        if (made.formMap.has(form)) return made.formMap.get(form);
        for (let k = form.length; k >= Math.max(2, Math.ceil(form.length / 2)); k--) {
          if (made.known.has(form.slice(0, k))) return form.slice(0, k);
        }
        return form;
      };
      return { piped: false, cjk: null, terms: (word) => [stem(word)].filter(Boolean), stem };
    }
    if (kind === "bigram") {
      const cjk = new RegExp(`([${made.manifest.cjk}]+)`, "u");
      return { piped: false, cjk, terms: (word) => pieces(word, cjk).map((p) => p.term), stem: trim };
    }
    return { piped: false, cjk: null, terms: (word) => [trim(word)], stem: trim };
  }

  /* stemming.forms_code read back: front-coded forms, each followed by its stem
   * as "cut this many characters from the end of the form, then add the rest". */
  function decodeForms(code, forms) {
    const items = code ? code.split(" ") : [];
    let previous = "";
    for (let i = 0; i + 1 < items.length; i += 2) {
      const form = previous.slice(0, parseInt(items[i][0], 36)) + items[i].slice(1);
      const cut = parseInt(items[i + 1][0], 36);
      forms.set(form, form.slice(0, form.length - cut) + items[i + 1].slice(1));
      previous = form;
    }
    return forms;
  }

  /* Chinese and Japanese text as stemming.Bigrams cuts it: Han and kana runs
   * as overlapping pairs (a lone character whole), other words whole; each
   * piece with where it starts and ends in `text`, for highlighting. */
  function pieces(text, cjk) {
    const out = [];
    for (const match of text.matchAll(WORDS)) {
      let at = match.index;
      match[0].split(cjk).forEach((part, n) => {
        if (part && n % 2 === 0) out.push({ term: part.toLowerCase(), start: at, end: at + part.length });
        else if (part) {
          const chars = Array.from(part);
          let offset = at;
          if (chars.length === 1) out.push({ term: part, start: at, end: at + part.length });
          for (let i = 0; i + 1 < chars.length; i++) {
            const pair = chars[i] + chars[i + 1];
            out.push({ term: pair, start: offset, end: offset + pair.length });
            offset += chars[i].length;
          }
        }
        at += part.length;
      });
    }
    return out;
  }

  // -- searching -------------------------------------------------------------------

  /* The reader's words as lunr clauses. `field:value` searches one field and
   * must match (so `topics:fundraising` narrows); +word must match, -word must
   * not; word* is a prefix. Other words are optional and scored, and the word
   * still being typed also matches as a prefix, so results come while typing. */
  function clauses(text, { manifest, words }) {
    const { presence, wildcard } = lunr.Query;
    const fields = manifest.fields;
    const out = [];
    const parts = text.trim().split(/\s+/).filter(Boolean);
    const typing = !/\s$/.test(text);
    const terms = (word, clause) => {
      if (word.endsWith("*")) return [{ ...clause, term: word.replace(/\*+$/, ""), wildcard: wildcard.TRAILING, usePipeline: false }];
      return words.terms(word).map((term) => ({ ...clause, term, usePipeline: words.piped }));
    };
    parts.forEach((part, p) => {
      let must = presence.OPTIONAL;
      if (part.length > 1 && (part[0] === "+" || part[0] === "-")) {
        must = part[0] === "+" ? presence.REQUIRED : presence.PROHIBITED;
        part = part.slice(1);
      }
      const field = /^([a-z]+):(.+)$/i.exec(part);
      if (field && fields.includes(field[1].toLowerCase())) {
        const name = field[1].toLowerCase();
        const clause = { fields: [name], presence: must === presence.OPTIONAL ? presence.REQUIRED : must };
        if (name === "topics" || name === "type") {
          // Indexed whole (a slug): stemmed whole by lunr's pipeline in English, else as it is.
          out.push({ ...clause, term: field[2].toLowerCase(), usePipeline: words.piped });
          return;
        }
        for (const value of field[2].toLowerCase().split(SEPARATOR).filter(Boolean)) out.push(...terms(value, clause));
        return;
      }
      const split = part.toLowerCase().split(SEPARATOR).filter(Boolean);
      split.forEach((word, w) => {
        out.push(...terms(word, { presence: must }));
        const last = p === parts.length - 1 && w === split.length - 1;
        const bare = trim(word);
        const cjk = words.cjk && words.cjk.test(bare);
        // From three letters on (one Han or kana character): a shorter prefix matches too many terms to help.
        if (last && typing && must !== presence.PROHIBITED && !word.endsWith("*") && bare.length >= (cjk ? 1 : 3)) {
          out.push({ term: bare, wildcard: wildcard.TRAILING, usePipeline: false, boost: 0.5 });
        }
        if (must === presence.OPTIONAL && !cjk && !word.endsWith("*") && bare.length >= 5) {
          for (const term of words.terms(word)) out.push({ term, editDistance: 1, boost: 0.1, usePipeline: words.piped }); // a typo still finds something
        }
      });
    });
    return out.filter((clause) => clause.term && clause.term !== "*");
  }

  /* One index's results as {ref, terms, engine, score}: terms = the index terms that
   * matched (for highlighting). A filter without words lists every document. */
  function search(engine, text, filter) {
    const query = clauses(text, engine);
    if (!query.length) {
      if (!filter.type && !filter.topic) return [];
      return Array.from({ length: engine.manifest.docs }, (_, ref) => ({ ref, terms: new Set(), engine, listed: true }));
    }
    let results;
    try {
      results = engine.index.query((q) => query.forEach((clause) => q.term(clause.term, { ...clause })));
    } catch (error) {
      return []; // e.g. a query made only of a prefix lunr cannot expand
    }
    return results.map((r) => ({ ref: Number(r.ref), terms: new Set(Object.keys(r.matchData.metadata)), engine, score: r.score }));
  }

  /* One index's results, the first `count` with their doc = [url, title, summary, type,
   * topics, key, original?] (all of them when a filter needs their type and topics). */
  async function ranked(engine, text, filter, count) {
    await prepare(engine, text);
    const found = search(engine, text, filter);
    if (!filter.type && !filter.topic) return withDocs(engine, found.slice(0, count)).then(() => found);
    await withDocs(engine, found);
    const wanted = (doc) => (!filter.type || doc[3] === filter.type) && (!filter.topic || doc[4].includes(filter.topic));
    const kept = found.filter((r) => wanted(r.doc));
    return kept.length && kept[0].listed ? kept.sort((a, b) => a.doc[1].localeCompare(b.doc[1])) : kept;
  }

  /* The reader's language first; then the other languages' results, best first,
   * without a guide or page already found in the reader's language. */
  function merge(first, rest) {
    const seen = new Set(first.map((r) => r.doc[5]).filter(Boolean));
    const more = rest.flat().filter((r) => !r.doc[5] || !seen.has(r.doc[5]));
    more.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.doc[1].localeCompare(b.doc[1]));
    return [...first, ...more];
  }

  /* Search the reader's language and show its results at once; if the handbook has
   * other languages, load them (once) and show everything. `stale()` says the reader
   * has moved on. Returns the last results shown. */
  async function find(text, filter, show, stale, count = Infinity) {
    const own = await ready();
    const first = await ranked(own, text, filter, count);
    if (stale()) return null;
    if (files.size < 2) return show(first, true);
    show(first, false);
    await withDocs(own, first); // every result's key: a guide found here is not listed again
    const rest = await Promise.all((await others()).map((e) => ranked(e, text, filter, Infinity)));
    if (stale()) return null;
    return show(merge(first, rest), true);
  }

  // -- showing results ---------------------------------------------------------------

  const WORD = /[\p{L}\p{N}_'\u2019]+/gu;

  /* Where the words (or Han and kana pairs) that matched are in `text`: [start, end, term]. */
  function matches(text, terms, words) {
    const spans = [];
    if (terms.size && words.cjk) {
      for (const piece of pieces(text, words.cjk)) if (terms.has(piece.term)) spans.push([piece.start, piece.end, piece.term]);
    } else if (terms.size) {
      for (const match of text.matchAll(WORD)) {
        const term = words.stem(match[0].toLowerCase());
        if (terms.has(term)) spans.push([match.index, match.index + match[0].length, term]);
      }
    }
    return spans;
  }

  /* Text with the words (or Han and kana pairs) that matched wrapped in <mark>, built as nodes. */
  function highlighted(text, terms, words) {
    const out = document.createDocumentFragment();
    const spans = matches(text, terms, words);
    let last = 0;
    for (const [start, end] of spans) {
      if (end <= last) continue;
      out.append(text.slice(last, Math.max(start, last)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(Math.max(start, last), end);
      out.append(mark);
      last = end;
    }
    out.append(text.slice(last));
    return out;
  }

  // -- passages: the sentence that matched ---------------------------------------------

  const AROUND = 70; // characters kept before the first match of a long sentence
  const PASSAGE = 220; // characters shown of a long sentence
  const PASSAGES_LOADED = 30; // results on the search page that get their sentence (one small file each)
  const SETTLED = 300; // ms a header query must stay as it is before its results' sentences load:
  // typing "debt" loads nothing for "d", "de" and "deb" on the way (bytes matter on a poor network)
  const texts = new Map(); // "lang/ref" -> Promise of the page's sentences ([] if none)

  function sentencesOf({ engine, ref }) {
    const key = `${engine.lang}/${ref}`;
    if (!texts.has(key)) {
      // A page without sentences (a topic) has no file.
      texts.set(key, part("search-text", "handbookSearchText", engine.lang, ref, engine.build).catch(() => []));
    }
    return texts.get(key);
  }

  const distinct = (spans) => new Set(spans.map((span) => span[2])).size;

  /* The sentence with the most distinct matched terms (the first of equals), cut to
   * PASSAGE characters around its first match; null when none beats `atLeast`. */
  function bestSentence(sentences, terms, words, atLeast) {
    let best = null;
    let most = atLeast;
    for (const sentence of sentences) {
      const spans = matches(sentence, terms, words);
      const count = distinct(spans);
      if (count > most) {
        best = { sentence, first: spans[0][0] };
        most = count;
      }
    }
    if (!best || best.sentence.length <= PASSAGE) return best && best.sentence;
    const { sentence, first } = best;
    let start = Math.max(0, first - AROUND);
    if (start > 0) start = sentence.indexOf(" ", start) + 1 || start;
    let end = Math.min(sentence.length, start + PASSAGE);
    if (end < sentence.length) end = sentence.lastIndexOf(" ", end) > first ? sentence.lastIndexOf(" ", end) : end;
    return `${start > 0 ? "… " : ""}${sentence.slice(start, end).trim()}${end < sentence.length ? " …" : ""}`;
  }

  /* Once a result is on screen: its best sentence in place of the summary, if it matches more. */
  function showPassage(result, summary) {
    const { doc, terms, engine } = result;
    if (!terms.size || doc[3] === "topic") return; // a topic page has no text of its own: its description is all
    sentencesOf(result).then((sentences) => {
      const passage = bestSentence(sentences, terms, engine.words, distinct(matches(doc[2], terms, engine.words)));
      if (!passage || !summary.isConnected) return;
      summary.replaceChildren(highlighted(passage, terms, engine.words));
      summary.classList.add("hb-search-passage");
    });
  }

  function element(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  }

  /* Where a result is read. Another language's original (no version of it in the
   * reader's language) is shown by the reader's own tree in its language (a
   * fallback): go there, so the reader keeps their interface. Otherwise the page
   * whose words matched. */
  function target({ doc, engine }) {
    const own = reader || engine;
    if (engine === own || !doc[6] || own.keys.has(doc[5])) return doc[0];
    const from = engine.store.prefix || "";
    return doc[0].startsWith(from) ? (own.store.prefix || "") + doc[0].slice(from.length) : doc[0];
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

  let languageNames = null;
  function languageName(lang) {
    try {
      languageNames ??= new Intl.DisplayNames([primary], { type: "language" });
      return languageNames.of(lang) || lang;
    } catch (error) {
      return lang;
    }
  }

  /* The result's type, and its language when it is not the reader's (the result
   * itself carries that language, for screen readers). */
  function badges(result) {
    const doc = result.doc;
    // The type's name in the reader's language: from the reader's index when it has loaded.
    const types = (reader || result.engine).store.types;
    const out = [element("span", `hb-search-badge hb-type--${doc[3]}`, types[doc[3]] || doc[3])];
    if (result.engine.lang !== primary) {
      const lang = element("span", "hb-search-badge hb-search-badge--lang", languageName(result.engine.lang));
      lang.lang = primary;
      out.push(lang);
    }
    return out;
  }

  function countMessage(count, text) {
    if (count === 0) return text.trim() ? say(messages.none, { query: text.trim() }) : messages.nothing;
    return say(count === 1 ? messages.one : messages.many, { count });
  }

  const prepared = (text) => ready().then((made) => prepare(made, text).then(() => made));

  // For tests and forks: the same search the box and the page use.
  window.handbookSearch = {
    ready,
    language: primary,
    search: async (text, filter) => {
      const results = await find(text, filter || {}, (r) => r, () => false);
      return results.map((r) => ({ url: target(r), title: r.doc[1], type: r.doc[3], lang: r.engine.lang, terms: [...r.terms] }));
    },
    clauses: async (text) => clauses(text, await prepared(text)),
    engine: (text) => prepared(text), // the index with what `text` needs loaded
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
    try {
      await find(text, {}, (results, final) => showOptions(text, results, final), () => input.value !== text, SHOWN);
    } catch (error) {
      setStatus(status, messages.failed);
      console.error(error);
    }
  }

  function showOptions(text, results, final) {
    if (!final && !results.length) return results; // the other languages may still find something
    options = [];
    active = -1;
    const passages = [];
    listbox.replaceChildren(
      ...results.slice(0, SHOWN).map((result, n) => {
        const { doc, terms } = result;
        const title = element("span", "hb-search-option__title", highlighted(doc[1], terms, result.engine.words));
        const summary = element("span", "hb-search-option__summary", highlighted(doc[2], terms, result.engine.words));
        const node = option(`hb-search-option-${n}`, [...badges(result), title, summary], () => (location.href = href(target(result))));
        if (final) passages.push(() => showPassage(result, summary));
        node.setAttribute("data-handbook-search-result", "");
        if (result.engine.lang !== primary) node.lang = result.engine.lang;
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
    if (passages.length) setTimeout(() => input.value === text && passages.forEach((show) => show()), SETTLED);
    return results;
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
  // search.js (in every page's bundle) loaded this file once the reader focused the box or typed in
  // it, and handles "/": catch up with what the reader did meanwhile.
  if (document.activeElement === input) {
    ready().catch(() => setStatus(status, messages.failed));
    if (input.value.trim()) update();
  }

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
    try {
      setStatus(pageStatus, messages.loading);
      await find(state.q, state, showHits, () => fields.q.value !== state.q);
    } catch (error) {
      setStatus(pageStatus, messages.failed);
      console.error(error);
    }
  }

  function showHits(results, final) {
    list.replaceChildren(
      ...results.map((result, n) => {
        const { doc, terms } = result;
        const link = element("a", "", highlighted(doc[1], terms, result.engine.words));
        link.href = href(target(result));
        const topics = doc[4].map((id) => (reader || result.engine).store.topics[id] || id).join(", ");
        const summary = element("p", "hb-search-hit__summary", highlighted(doc[2], terms, result.engine.words));
        const item = element("li", "hb-search-hit", ...badges(result), element("h2", "hb-search-hit__title", link), summary);
        if (final && n < PASSAGES_LOADED) showPassage(result, summary);
        if (topics) item.append(element("p", "hb-search-hit__topics", topics));
        if (result.engine.lang !== primary) item.lang = result.engine.lang;
        return item;
      }),
    );
    if (final || results.length) setStatus(pageStatus, countMessage(results.length, fields.q.value));
    return results;
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
