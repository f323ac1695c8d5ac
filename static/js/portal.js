// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // The site-wide alert can be hidden for the rest of the browser session; an edited alert has a new version and shows again.
  const alert = document.querySelector("[data-site-alert]");
  if (alert) {
    const key = `kd-site-alert-dismissed:${alert.dataset.siteAlert}`;
    let storage = null;
    try {
      storage = window.sessionStorage;
    } catch {
      // Storage blocked (privacy settings): the alert simply stays.
    }
    if (storage?.getItem(key)) {
      alert.remove();
    } else if (storage) {
      const button = alert.querySelector("[data-site-alert-dismiss]");
      button.hidden = false;
      button.addEventListener("click", () => {
        storage.setItem(key, "1");
        alert.remove();
        document.getElementById("main")?.focus();
      });
    }
  }

  // On small screens the header's search and navigation fold behind the menu button (a disclosure: the button says
  // whether the menu is open). Without this script the button stays hidden and the menu stays open.
  const menuToggle = document.querySelector("[data-menu-toggle]");
  const menu = menuToggle && document.getElementById(menuToggle.getAttribute("aria-controls"));
  if (menuToggle && menu) {
    const setOpen = (open) => menuToggle.setAttribute("aria-expanded", open ? "true" : "false");
    menuToggle.closest(".portal-header")?.classList.add("portal-header--menu");
    menuToggle.addEventListener("click", () => setOpen(menuToggle.getAttribute("aria-expanded") !== "true"));
    // Escape closes the open menu and puts focus back on its button.
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menuToggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        menuToggle.focus();
      }
    });
  }

  // The error summary takes focus so that screen-reader users hear what went wrong first; without one, the
  // status messages of the action just taken do, instead of leaving focus on the page's body.
  const summary = document.querySelector("[data-autofocus]");
  const statusMessages = document.querySelector("[data-status-focus]");
  if (!summary && statusMessages) {
    statusMessages.focus();
  }
  if (summary) {
    summary.focus();
    // A link in the summary moves focus to its field and scrolls its label or legend into view, not just the input.
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      const input = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input) {
        return;
      }
      event.preventDefault();
      const group = input.closest("fieldset, .kern-form-input, .kern-form-check") || input;
      group.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // The leave form shows the working-day count, and the annual leave left after this request, while dates are picked.
  const output = document.querySelector("[data-working-days-url]");
  if (output) {
    const form = output.closest("form");
    const remaining = form.querySelector("[data-remaining-after]");
    const field = (name) => form.querySelector(`[name="${name}"]`);
    const initial = output.textContent;
    let latest = 0;
    const update = async () => {
      const start = field("start_date")?.value;
      const end = field("end_date")?.value;
      const asked = ++latest;
      // Dates given in the wrong order (or only one of them) show no count at all, never a negative one: the
      // form's own check names the error when it is sent. ISO dates compare as text.
      if (!start || !end || end < start) {
        output.textContent = initial;
        if (remaining) {
          remaining.textContent = "";
        }
        return;
      }
      const params = new URLSearchParams({
        start, end,
        half_day_start: field("half_day_start")?.checked ? "true" : "false",
        half_day_end: field("half_day_end")?.checked ? "true" : "false",
        leave_type: form.querySelector('[name="leave_type"]:checked')?.value || "",
      });
      if (remaining?.dataset.request) {
        params.set("request", remaining.dataset.request);
      }
      const response = await fetch(`${output.dataset.workingDaysUrl}?${params}`, { credentials: "same-origin" });
      const data = await response.json();
      if (asked !== latest) {
        return; // an answer to dates changed since: only the newest one is shown
      }
      output.textContent = data.working_days !== undefined
        ? output.dataset.template.replace("__DAYS__", data.working_days)
        : data.error;
      if (remaining) {
        remaining.textContent = data.remaining_after !== undefined && data.deducts_from_balance
          ? remaining.dataset.template.replace("__DAYS__", data.remaining_after)
          : "";
      }
    };
    ["start_date", "end_date", "half_day_start", "half_day_end"].forEach((name) => {
      field(name)?.addEventListener("change", update);
    });
    form.querySelectorAll('[name="leave_type"]').forEach((radio) => radio.addEventListener("change", update));
  }
});
