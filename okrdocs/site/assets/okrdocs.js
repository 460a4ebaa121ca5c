/* okrdocs: a zoom view for the alignment diagrams.

   Without JavaScript each diagram shows scaled to its column. With it, each figure gets a
   "Zoom" button that opens the diagram full-screen in a modal <dialog>, at its natural
   size, where Panzoom (bundled: panzoom.min.js) pans and zooms it with the mouse wheel,
   pinch and drag, and the keyboard: + and - zoom, the arrow keys move, 0 resets, Esc closes.
   A diagram larger than the screen opens on the page's own objectives (a phone shows a
   corner of it otherwise). Closing gives the focus back to the button. */
(() => {
  "use strict";
  const ZOOM_STEP = 0.25;
  const PAN_STEP = 80;

  const openZoom = (figure, button) => {
    const svg = figure.querySelector("svg");
    if (!svg || typeof window.Panzoom !== "function") return;
    const caption = figure.querySelector("figcaption");
    const dialog = document.createElement("dialog");
    dialog.className = "okr-zoom";
    dialog.setAttribute("aria-label", "Zoomed diagram" + (caption ? ": " + caption.textContent.trim() : ""));
    const bar = document.createElement("div");
    bar.className = "okr-zoom__bar";
    const hint = document.createElement("p");
    hint.className = "okr-zoom__hint";
    hint.textContent = "Wheel, pinch or + and - to zoom; drag or arrow keys to move; 0 to reset; Esc to close.";
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
    // The copy lives beside the original: element ids would be duplicated.
    for (const element of [copy, ...copy.querySelectorAll("[id]")]) element.removeAttribute("id");
    copy.removeAttribute("aria-labelledby");
    copy.removeAttribute("aria-describedby");
    copy.setAttribute("aria-label", caption ? caption.textContent.trim() : "Diagram");
    copy.classList.add("okr-zoom__svg");
    stage.append(copy);
    dialog.append(bar, stage);
    document.body.append(dialog); // Panzoom measures the element: it must be in the page
    dialog.showModal();
    const [startX, startY] = ownObjectivesInView(stage, copy);
    const panzoom = window.Panzoom(copy, { minScale: 0.1, maxScale: 10, step: ZOOM_STEP, cursor: "grab", startX, startY });
    const close = tool("Close the zoomed diagram", "Close", () => dialog.close());
    tool("Zoom in", "+", () => panzoom.zoomIn());
    tool("Zoom out", "−", () => panzoom.zoomOut());
    tool("Reset the zoom", "Reset", () => panzoom.reset());
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
    const own = [...svg.querySelectorAll(".okrdg-focus")].map((node) => node.getBoundingClientRect());
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

  const enhance = () => {
    for (const figure of document.querySelectorAll("figure.okr-diagram")) {
      if (figure.querySelector(".okr-diagram__zoom") || !figure.querySelector("svg")) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "okr-diagram__zoom";
      button.setAttribute("aria-haspopup", "dialog");
      button.textContent = "Zoom";
      button.addEventListener("click", () => openZoom(figure, button));
      figure.prepend(button);
    }
  };

  // Printing shows the folded earlier periods too (the stylesheet opens them where the
  // browser lets it; this does it everywhere), and folds them back afterwards.
  let unfolded = [];
  window.addEventListener("beforeprint", () => {
    unfolded = [...document.querySelectorAll("details.okr-earlier:not([open])")];
    for (const details of unfolded) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of unfolded) details.open = false;
    unfolded = [];
  });

  // mkdocs-material's instant navigation swaps pages without a load event: it announces
  // each page on its `document$` observable. Opened from disk (file://), Material turns
  // instant navigation off and `document$` completes without announcing the first page,
  // so the page's own load runs `enhance` too (it skips figures that have their button).
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
