// finsamplan serve: reload the page when a file changes; line numbers in the editor.
// Everything works without this script; it only adds to the page.
"use strict";

(function () {
  const body = document.body;
  const notice = document.getElementById("andrat");
  const editorPage = body.dataset.page === "editor";

  // Live reload: the server tells when any served file changed since this page was made.
  if (window.EventSource) {
    const source = new EventSource("/andringar?sedan=" + encodeURIComponent(body.dataset.generation || "0"));
    source.addEventListener("reload", function () {
      source.close();
      if (editorPage) {
        notice.textContent = "En fil i mappen har ändrats sedan redigeraren öppnades. Din text här är inte sparad. Om planfilen ändrades av någon annan vägrar Spara att skriva över den.";
      } else {
        window.location.reload();
      }
    });
  }

  // The editor: line numbers beside the text, and jumps to a line (?rad=N, or a finding's link).
  const text = document.getElementById("text");
  if (!text) {
    const here = document.querySelector("ol.kod li.here");
    if (here && document.querySelectorAll("ol.kod").length === 1) here.scrollIntoView({ block: "center" });
    return;
  }
  const gutter = document.createElement("pre");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  text.parentNode.insertBefore(gutter, text);
  text.parentNode.classList.add("numbered");
  function numbers() {
    const count = text.value.split("\n").length;
    let out = "";
    for (let i = 1; i <= count; i++) out += i + "\n";
    gutter.textContent = out;
    gutter.scrollTop = text.scrollTop;
  }
  text.addEventListener("input", numbers);
  text.addEventListener("scroll", function () { gutter.scrollTop = text.scrollTop; });
  numbers();

  function goToLine(line) {
    const lines = text.value.split("\n");
    if (!(line >= 1 && line <= lines.length)) return;
    let start = 0;
    for (let i = 0; i < line - 1; i++) start += lines[i].length + 1;
    text.focus();
    text.setSelectionRange(start, start + lines[line - 1].length);
    const height = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (line - 5) * height);
    gutter.scrollTop = text.scrollTop;
  }
  document.querySelectorAll("a[data-line]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      goToLine(parseInt(a.dataset.line, 10));
    });
  });
  const wanted = parseInt(new URLSearchParams(window.location.search).get("rad"), 10);
  if (wanted) goToLine(wanted);
})();
