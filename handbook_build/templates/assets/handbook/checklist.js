/* Checklists (`- [ ] item` in a guide): a reader's ticks stay on their device.
 *
 * The boxes are real <input type="checkbox"> inside a <label> with the item's text
 * (handbook_build/markdown/checklists.py), so keyboards and screen readers work
 * without this script. This script only remembers them: in localStorage, under
 * one key per page, each box by its position and its text (an edited item starts
 * unticked again). Nothing leaves the browser. Works from file:// too; where
 * storage is refused (private windows in some browsers), the boxes still tick.
 */
(() => {
  "use strict";

  const boxes = Array.from(document.querySelectorAll(".md-content li.task-list-item input.hb-task-box"));
  if (!boxes.length) return;

  const KEY = "handbook-ticks:" + location.pathname.replace(/\/index\.html$/, "/");
  const itemId = (box, index) => index + ":" + (box.closest("label") || box).textContent.trim().replace(/\s+/g, " ").slice(0, 120);

  let storage = null;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (_) {
    storage = null;
  }

  const load = () => {
    if (!storage) return {};
    try {
      const saved = JSON.parse(storage.getItem(KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (_) {
      return {};
    }
  };

  const save = () => {
    if (!storage) return;
    const state = {};
    boxes.forEach((box, index) => {
      if (box.checked !== box.defaultChecked) state[itemId(box, index)] = box.checked;
    });
    try {
      if (Object.keys(state).length) storage.setItem(KEY, JSON.stringify(state));
      else storage.removeItem(KEY);
    } catch (_) {
      /* storage full or refused: the ticks stay on the page until it is closed */
    }
  };

  const saved = load();
  boxes.forEach((box, index) => {
    const id = itemId(box, index);
    if (Object.prototype.hasOwnProperty.call(saved, id)) box.checked = saved[id] === true;
    box.addEventListener("change", save);
  });

  const note = document.querySelector("[data-hb-checklist-note]");
  if (!note) return;
  const firstList = boxes[0].closest("ul.task-list");
  let top = firstList;
  while (top && top.parentElement && top.parentElement.closest("ul.task-list, ol")) top = top.parentElement.closest("ul.task-list, ol");
  if (top && top.parentNode) top.parentNode.insertBefore(note, top);
  note.hidden = false;
  const status = note.querySelector("[data-hb-checklist-status]");
  const clear = note.querySelector("[data-hb-checklist-clear]");
  if (!storage) {
    note.querySelector(".hb-checklist-note__text").textContent = note.dataset.msgUnkept; // in the page's language
  }
  clear.addEventListener("click", () => {
    boxes.forEach((box) => {
      box.checked = box.defaultChecked;
    });
    if (storage) {
      try {
        storage.removeItem(KEY);
      } catch (_) {
        /* nothing to remove */
      }
    }
    if (status) status.textContent = note.dataset.msgCleared;
  });
})();
