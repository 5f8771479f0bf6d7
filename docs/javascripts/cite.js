/* "Copy" buttons of a review page's Cite section: each copies its style's formatted citation as plain text.
   The buttons are made here, after each citation (they work only with JavaScript; without it the text is still
   there to select). One listener on the document, so it would also work after a page swapped in by Material's
   instant navigation (off: mkdocs.yml). */
(function () {
  "use strict";

  function addButtons() {
    var texts = document.querySelectorAll(".cite-style > .cite-text[id]");
    Array.prototype.forEach.call(texts, function (text) {
      var label = text.parentNode.querySelector(".cite-label");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button cite-copy";
      button.setAttribute("data-cite-target", text.id);
      button.setAttribute("aria-label", "Copy " + (label ? label.textContent.trim() + " " : "") + "citation");
      button.textContent = "Copy";
      text.parentNode.insertBefore(button, text.nextSibling);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addButtons);
  else addButtons();

  function fallbackCopy(text) {
    // Without the asynchronous Clipboard API (e.g. a page served over plain http), select and copy.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function announce(button, message) {
    var live = document.querySelector(".cite-live");
    if (live) live.textContent = message;
    button.textContent = message.indexOf("Copied") === 0 ? "Copied" : "Copy failed";
    window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-cite-target]") : null;
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-cite-target"));
    if (!target) return;
    var text = target.textContent.replace(/\s+/g, " ").trim();
    var label = button.getAttribute("aria-label") || "citation";
    copyText(text).then(
      function () { announce(button, "Copied: " + label.replace(/^Copy /, "")); },
      function () { announce(button, "Copy failed: select the text and copy it"); }
    );
  });
})();
