// "Copy the link" beside a certificate's address: shown only where the browser can copy;
// elsewhere the address stays in its read-only field, to select and copy by hand.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) {
    return;
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest(".certificate-share").querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(field.value);
      status.textContent = status.dataset.copied;
    });
  }
});
