// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // The error summary takes focus so that screen-reader users hear what went wrong first.
  const summary = document.querySelector("[data-autofocus]");
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

  // The leave form shows the working-day count while dates are picked.
  const output = document.querySelector("[data-working-days-url]");
  if (output) {
    const form = output.closest("form");
    const field = (name) => form.querySelector(`[name="${name}"]`);
    const update = async () => {
      const start = field("start_date")?.value;
      const end = field("end_date")?.value;
      if (!start || !end) {
        return;
      }
      const params = new URLSearchParams({
        start, end,
        half_day_start: field("half_day_start")?.checked ? "true" : "false",
        half_day_end: field("half_day_end")?.checked ? "true" : "false",
      });
      const response = await fetch(`${output.dataset.workingDaysUrl}?${params}`, { credentials: "same-origin" });
      const data = await response.json();
      output.textContent = data.working_days !== undefined
        ? output.dataset.template.replace("__DAYS__", data.working_days)
        : data.error;
    };
    ["start_date", "end_date", "half_day_start", "half_day_end"].forEach((name) => {
      field(name)?.addEventListener("change", update);
    });
  }
});
