/* okrdocs: a zoom view for the alignment diagrams.

   Without JavaScript each diagram shows scaled to its column. With it, each figure gets a
   "Zoom" button that opens the diagram full-screen in a modal <dialog>, at its natural
   size, where Panzoom (bundled: panzoom.min.js) pans and zooms it with the mouse wheel,
   pinch and drag, and the keyboard: + and - zoom, the arrow keys move, 0 resets, Esc closes.
   A diagram larger than the screen opens on the page's own objectives (a phone shows a
   corner of it otherwise). Closing gives the focus back to the button. In the page, a
   diagram shown much smaller than its natural size is cropped to the page's own
   objectives, with a button that shows the whole. */
(() => {
  "use strict";
  const ZOOM_STEP = 0.25;
  const PAN_STEP = 80;

  // okrdocs' words in the site's language: the page's template puts them on each figure's
  // caption (data-okr-words, okrdocs/site/i18n.py); English when an override leaves them out.
  const ENGLISH = {
    zoom: "Zoom",
    whole: "Show the whole diagram",
    zoomed: "Zoomed diagram",
    diagram: "Diagram",
    hint: "Wheel, pinch or + and - to zoom; drag or arrow keys to move; 0 to reset; Esc to close.",
    close: "Close the zoomed diagram",
    closeText: "Close",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    reset: "Reset the zoom",
    resetText: "Reset",
  };
  const wordsOf = (element) => {
    try {
      const caption = element.querySelector(":scope > figcaption[data-okr-words]");
      return { ...ENGLISH, ...JSON.parse((caption && caption.dataset.okrWords) || "{}") };
    } catch {
      return ENGLISH;
    }
  };

  const openZoom = (figure, button) => {
    const svg = figure.querySelector("svg");
    if (!svg || typeof window.Panzoom !== "function") return;
    const words = wordsOf(figure);
    const caption = figure.querySelector("figcaption");
    const dialog = document.createElement("dialog");
    dialog.className = "okr-zoom";
    dialog.setAttribute("aria-label", words.zoomed + (caption ? ": " + caption.textContent.trim() : ""));
    const bar = document.createElement("div");
    bar.className = "okr-zoom__bar";
    const hint = document.createElement("p");
    hint.className = "okr-zoom__hint";
    hint.textContent = words.hint;
    const tool = (label, text, action) => {
      const control = document.createElement("button");
      control.type = "button";
      control.className = "okr-zoom__tool";
      control.setAttribute("aria-label", label);
      control.textContent = text;
      control.addEventListener("click", action);
      bar.append(control);
      return control;
    };
    const stage = document.createElement("div");
    stage.className = "okr-zoom__stage";
    const copy = svg.cloneNode(true);
    if (figure.dataset.okrWhole) {
      JSON.parse(figure.dataset.okrWhole).forEach((value, index) => copy.setAttribute(WHOLE[index], value));
    }
    // The copy lives beside the original: element ids would be duplicated.
    for (const element of [copy, ...copy.querySelectorAll("[id]")]) element.removeAttribute("id");
    copy.removeAttribute("aria-labelledby");
    copy.removeAttribute("aria-describedby");
    copy.setAttribute("aria-label", caption ? caption.textContent.trim() : words.diagram);
    copy.classList.add("okr-zoom__svg");
    stage.append(copy);
    dialog.append(bar, stage);
    document.body.append(dialog); // Panzoom measures the element: it must be in the page
    dialog.showModal();
    const [startX, startY] = ownObjectivesInView(stage, copy);
    const panzoom = window.Panzoom(copy, { minScale: 0.1, maxScale: 10, step: ZOOM_STEP, cursor: "grab", startX, startY });
    const close = tool(words.close, words.closeText, () => dialog.close());
    tool(words.zoomIn, "+", () => panzoom.zoomIn());
    tool(words.zoomOut, "−", () => panzoom.zoomOut());
    tool(words.reset, words.resetText, () => panzoom.reset());
    bar.append(hint);
    stage.addEventListener("wheel", panzoom.zoomWithWheel);
    dialog.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const scale = panzoom.getScale();
      const moves = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
      if (event.key === "+" || event.key === "=") panzoom.zoomIn();
      else if (event.key === "-" || event.key === "_") panzoom.zoomOut();
      else if (event.key === "0") panzoom.reset();
      else if (event.key in moves) {
        const [x, y] = moves[event.key];
        panzoom.pan(x / scale, y / scale, { relative: true });
      } else return;
      event.preventDefault();
    });
    dialog.addEventListener("close", () => {
      panzoom.destroy();
      dialog.remove();
      button.focus();
    });
    close.focus();
  };

  // The shift that centres the page's own objectives (okrdg-focus) in the stage, along
  // each axis where the diagram is larger than the stage, without showing past its edges.
  const ownObjectivesInView = (stage, svg) => {
    const focus = [...svg.querySelectorAll(".okrdg-focus")];
    // Graphviz names a key result's node after its objective's: <prefix>k_<objective>__<kr>.
    const keyResults = focus.flatMap((node) => [
      ...svg.querySelectorAll(`[id^="${CSS.escape(node.id.replace(/o_([^]*)$/, "k_$1__"))}"]`),
    ]);
    const own = [...focus, ...keyResults].map((node) => node.getBoundingClientRect());
    if (!own.length) return [0, 0];
    const frame = stage.getBoundingClientRect();
    const image = svg.getBoundingClientRect();
    const axis = (low, high, size, view) => {
      if (size <= view) return 0;
      const centre = (Math.min(...own.map((box) => box[low])) + Math.max(...own.map((box) => box[high]))) / 2;
      const shift = view / 2 - (centre - image[low === "left" ? "left" : "top"]);
      return Math.round(Math.max(view - size, Math.min(0, shift)));
    };
    return [axis("left", "right", image.width, frame.width), axis("top", "bottom", image.height, frame.height)];
  };

  // A diagram shown below MIN_SCALE of its natural size opens on the page's own objectives
  // (okrdg-focus) and their key results: its viewBox is cropped to them, so their text is
  // readable in the column,
  // and a button shows the whole diagram (and back). The zoom view always shows the whole.
  const MIN_SCALE = 0.9;
  const CROP_MARGIN = 12; // points, around the own objectives
  const WHOLE = ["viewBox", "width", "height"];

  const wholeOf = (figure, svg) => {
    if (!figure.dataset.okrWhole) figure.dataset.okrWhole = JSON.stringify(WHOLE.map((name) => svg.getAttribute(name)));
    return JSON.parse(figure.dataset.okrWhole);
  };

  const showBox = (svg, box) => {
    svg.setAttribute("viewBox", box.join(" "));
    svg.setAttribute("width", `${box[2]}pt`);
    svg.setAttribute("height", `${box[3]}pt`);
  };

  // The part of the viewBox that holds the own objectives, or null when that is (nearly)
  // the whole diagram, or the diagram shows at a readable size anyway.
  const ownCrop = (svg) => {
    const focus = [...svg.querySelectorAll(".okrdg-focus")];
    // Graphviz names a key result's node after its objective's: <prefix>k_<objective>__<kr>.
    const keyResults = focus.flatMap((node) => [
      ...svg.querySelectorAll(`[id^="${CSS.escape(node.id.replace(/o_([^]*)$/, "k_$1__"))}"]`),
    ]);
    const own = [...focus, ...keyResults].map((node) => node.getBoundingClientRect());
    const shown = svg.getBoundingClientRect();
    const natural = svg.width.baseVal.value;
    if (!own.length || !shown.width || !natural || shown.width >= MIN_SCALE * natural) return null;
    const [x, y, width, height] = svg.getAttribute("viewBox").trim().split(/[\s,]+/).map(Number);
    const units = width / shown.width;
    const left = Math.max(x, x + (Math.min(...own.map((b) => b.left)) - shown.left) * units - CROP_MARGIN);
    const right = Math.min(x + width, x + (Math.max(...own.map((b) => b.right)) - shown.left) * units + CROP_MARGIN);
    const top = Math.max(y, y + (Math.min(...own.map((b) => b.top)) - shown.top) * units - CROP_MARGIN);
    const bottom = Math.min(y + height, y + (Math.max(...own.map((b) => b.bottom)) - shown.top) * units + CROP_MARGIN);
    if (right - left >= MIN_SCALE * width && bottom - top >= MIN_SCALE * height) return null;
    return [left, top, right - left, bottom - top].map((value) => Math.round(value * 100) / 100);
  };

  const control = (controls, className, text, action) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    button.addEventListener("click", action);
    controls.append(button);
    return button;
  };

  const enhance = () => {
    enhanceOverview();
    for (const figure of document.querySelectorAll("figure.okr-diagram")) {
      const svg = figure.querySelector("svg");
      if (!svg) continue;
      const words = wordsOf(figure);
      let controls = figure.querySelector(".okr-diagram__controls");
      if (!controls) {
        controls = document.createElement("div");
        controls.className = "okr-diagram__controls";
        figure.prepend(controls);
      }
      if (!figure.dataset.okrWhole) {
        const crop = ownCrop(svg);
        if (crop) {
          const whole = wholeOf(figure, svg);
          showBox(svg, crop);
          const toggle = control(controls, "okr-diagram__whole", words.whole, () => {
            const cropped = toggle.getAttribute("aria-pressed") !== "true";
            WHOLE.forEach((name, index) => svg.setAttribute(name, whole[index]));
            if (!cropped) showBox(svg, crop);
            toggle.setAttribute("aria-pressed", String(cropped));
          });
          toggle.setAttribute("aria-pressed", "false");
        }
      }
      if (controls.querySelector(".okr-diagram__zoom")) continue;
      const button = control(controls, "okr-diagram__zoom", words.zoom, () => openZoom(figure, button));
      button.setAttribute("aria-haspopup", "dialog");
    }
  };

  // The overview's table: tablesort sorts each column, and the team and health filters
  // live in the URL fragment (#team=sales&health=at-risk), so a filtered view is a link.
  // The screen shows the first TABLE_ROWS rows the filter keeps, in the table's order, and
  // a button shows the rest: a sort then lays out 50 rows, not thousands (laying out the
  // table is most of a sort's time). Print shows every row the filter keeps.
  const TABLE_ROWS = 50;
  const MORE = "okr-row--more";
  const number = (n) => {
    try {
      return n.toLocaleString(document.documentElement.lang || "en"); // the page's language
    } catch {
      return n.toLocaleString("en"); // a lang attribute that is no language tag
    }
  };
  // The words of the count and the button, in the site's language: the template puts
  // them on the filter form (data-okr-*), with {placeholders} for the numbers.
  const say = (form, name, english, values) =>
    Object.entries(values).reduce(
      (text, [key, value]) => text.replace(`{${key}}`, number(value)),
      form.dataset[name] || english,
    );

  const overview = () => {
    const table = document.querySelector("table.okr-overview-table");
    const form = document.querySelector("form.okr-filter");
    return table && form ? { table, form } : null;
  };

  // Caps the rows the filter keeps at TABLE_ROWS (unless the reader chose to see all),
  // and says how many are shown.
  const showRows = ({ table, form }) => {
    const rows = table.tBodies[0].rows;
    const all = table.dataset.okrAll === "true";
    let matching = 0;
    for (const row of rows) {
      if (!row.hidden) matching += 1;
      row.classList.toggle(MORE, !all && !row.hidden && matching > TABLE_ROWS);
    }
    const shown = all ? matching : Math.min(matching, TABLE_ROWS);
    const filtered = form.elements.team.value || form.elements.health.value;
    const counts = { shown, total: rows.length, matching };
    form.querySelector("output").textContent =
      shown < matching && filtered
        ? say(form, "okrShownFiltered", "{shown} of {total} objectives shown, {matching} match the filter", counts)
        : say(form, "okrShown", "{shown} of {total} objectives shown", counts);
    const more = document.querySelector("p.okr-show-all");
    if (more) {
      more.hidden = shown === matching;
      more.firstChild.textContent = say(form, "okrShowAll", "Show all {count}", { count: matching });
    }
  };

  const applyFilter = (scroll) => {
    const found = overview();
    if (!found) return;
    const { table, form } = found;
    const wanted = new URLSearchParams(location.hash.slice(1));
    const team = wanted.get("team") || "";
    const health = wanted.get("health") || "";
    form.elements.team.value = team;
    form.elements.health.value = health;
    for (const row of table.tBodies[0].rows) {
      row.hidden = !(
        (!team || row.dataset.teams.split(" ").includes(team)) &&
        (!health || row.dataset.health.split(" ").includes(health))
      );
    }
    showRows(found);
    if (scroll && (team || health)) form.scrollIntoView({ block: "start" });
  };

  // "Show all": every row the filter keeps, from now on; the focus moves to the first row
  // that was not shown, where the reader's eyes were.
  const addShowAll = (found) => {
    const more = document.createElement("p");
    more.className = "okr-show-all";
    more.hidden = true;
    control(more, "okr-show-all__button", "", () => {
      const next = found.table.tBodies[0].querySelector(`tr.${MORE}:not([hidden])`);
      found.table.dataset.okrAll = "true";
      showRows(found);
      const link = next && next.querySelector("td:nth-child(2) a");
      if (link) link.focus();
    });
    (found.table.closest(".okr-table-scroll") || found.table).after(more);
  };

  const enhanceOverview = () => {
    const found = overview();
    if (!found || found.table.dataset.okrEnhanced) return;
    const { table, form } = found;
    table.dataset.okrEnhanced = "true";
    // The counts and the heatmap link to the table, filtered: with JavaScript only, since
    // only JavaScript filters it (the template leaves them text).
    for (const link of document.querySelectorAll("a.okr-filter-link[data-okr-filter]")) {
      link.href = `#${link.dataset.okrFilter}`;
    }
    if (typeof window.Tablesort === "function") new window.Tablesort(table);
    // Tablesort sorts every row, shown or not; the first TABLE_ROWS of the new order show.
    table.addEventListener("afterSort", () => showRows(found));
    addShowAll(found);
    form.hidden = false;
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("change", () => {
      const chosen = new URLSearchParams();
      for (const name of ["team", "health"]) if (form.elements[name].value) chosen.set(name, form.elements[name].value);
      const fragment = chosen.toString();
      history.replaceState(history.state, "", fragment ? `#${fragment}` : location.pathname + location.search);
      applyFilter(false);
    });
    applyFilter(true);
  };
  window.addEventListener("hashchange", () => applyFilter(true));

  // Printing shows the folded earlier periods too (the stylesheet opens them where the
  // browser lets it; this does it everywhere), and folds them back afterwards.
  // Cropped diagrams print whole, and are cropped again afterwards.
  let unfolded = [];
  let cropped = [];
  window.addEventListener("beforeprint", () => {
    unfolded = [...document.querySelectorAll("details.okr-earlier:not([open])")];
    for (const details of unfolded) details.open = true;
    cropped = [...document.querySelectorAll(".okr-diagram__whole[aria-pressed='false']")];
    for (const toggle of cropped) toggle.click();
  });
  window.addEventListener("afterprint", () => {
    for (const details of unfolded) details.open = false;
    for (const toggle of cropped) toggle.click();
    unfolded = [];
    cropped = [];
  });

  // mkdocs-material's instant navigation swaps pages without a load event: it announces
  // each page on its `document$` observable. Opened from disk (file://), Material turns
  // instant navigation off and `document$` completes without announcing the first page,
  // so the page's own load runs `enhance` too (it skips figures that have their button).
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
