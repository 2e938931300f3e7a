/* The search box until a reader starts to search. The search code (lazy/search.js, which
 * then loads lunr.js and the index) arrives only when the box gets focus or a key, as a
 * <script> element (no fetch(): a copy opened from disk works), so a page that is only
 * read downloads none of it. The search page needs it at once. */
(() => {
  "use strict";

  const root = document.querySelector("[data-hb-search]");
  if (!root || !root.dataset.code) return;
  const input = root.querySelector("[data-handbook-search-input]");
  let loading = null;

  /* Loads the search code once; for tests and forks too (window.handbookSearchLoad), after which
   * window.handbookSearch answers. */
  function load() {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      // The code changes only with the handbook's code: its version is in the page, unlike the index's.
      script.src = `${root.dataset.code}?v=${root.dataset.codeVersion}`;
      script.async = true;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.append(script);
    });
    return loading;
  }
  window.handbookSearchLoad = load;

  // Enter may come before the code: the form then goes to the search page itself, and opened
  // from disk there is no server to turn search/ into search/index.html, so name the file.
  const form = input.form;
  if (form && location.protocol === "file:") {
    const action = new URL(form.getAttribute("action"), document.baseURI);
    if (action.pathname.endsWith("/")) {
      action.pathname += "index.html";
      form.action = action.href;
    }
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", load);
  // "/" jumps to the search box from anywhere but a text field.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
  });
  if (document.querySelector("[data-hb-search-page]") || document.activeElement === input) load();
})();
