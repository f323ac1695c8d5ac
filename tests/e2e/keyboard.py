"""Moving through a page as a keyboard user does: Tab (or Shift+Tab) until focus reaches an element, arrows in a
radio group. Nothing here clicks or focuses an element directly."""

FOCUSED = "(selector) => !!document.activeElement && document.activeElement.matches(selector)"


def is_focused(page, selector: str) -> bool:
    return page.evaluate(FOCUSED, selector)


def tab_to(page, selector: str, *, limit: int = 150, backwards: bool = False) -> int:
    """Press Tab until the focused element matches `selector`; return how many presses it took."""
    for presses in range(limit + 1):
        if is_focused(page, selector):
            return presses
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{limit} presses of Tab did not reach {selector}; focus is on {focused}")


# What the probe 1 February 2030, typed as the digits 01022030, becomes in each order of a date field's parts.
DATE_ORDERS = {"2030-02-01": "%d%m%Y", "2030-01-02": "%m%d%Y"}


def type_date(page, day) -> None:
    """Type `day` into the focused date field, part by part as a keyboard user does.

    The order of the parts (DD.MM.YYYY, MM/DD/YYYY) follows the browser's own locale, not the page's language: the
    field is first given a probe, whose value tells the order; Shift+Tab goes back to its first part.
    """
    page.keyboard.type("01022030")
    probe = page.evaluate("() => document.activeElement.value")
    assert probe in DATE_ORDERS, f"a date field whose parts come in an unknown order: {probe}"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(day.strftime(DATE_ORDERS[probe]))


def arrow_to(page, selector: str, *, limit: int = 20) -> None:
    """Inside a radio group, press ArrowDown until the focused (and so checked) radio matches `selector`."""
    for _ in range(limit):
        if is_focused(page, selector):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys did not reach {selector}")
