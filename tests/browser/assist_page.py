"""Home Assistant's web UI in Debian's headless chromium, driven by Selenium.

The UI is built of web components: elements are found through every shadow root.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)
# The first element matching a CSS selector, looking inside every shadow root.
FIND_DEEP = """
const find = (root, selector) => {
  const hit = root.querySelector(selector);
  if (hit) return hit;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) { const inner = find(el.shadowRoot, selector); if (inner) return inner; }
  }
  return null;
};
return find(document, arguments[0]);
"""
# The icon button whose label (a property, not an attribute) is arguments[0].
FIND_LABELLED_BUTTON = """
const find = (root) => {
  for (const el of root.querySelectorAll('ha-icon-button')) {
    if (el.label === arguments[0]) return el;
  }
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
  }
  return null;
};
return find(document);
"""
# The text of every message in the Assist dialog's conversation.
ASSIST_MESSAGES = """
const out = [];
const walk = (root) => {
  for (const el of root.querySelectorAll('ha-assist-chat')) {
    for (const m of el.shadowRoot.querySelectorAll('.message')) {
      out.push([m.className, m.textContent.trim()]);
    }
  }
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
};
walk(document);
return out;
"""


class PageError(Exception):
    """The page did not show what the check waited for."""


class AssistPage:
    """One browser session on a Home Assistant instance."""

    def __init__(self, url: str) -> None:
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-")
        options.add_argument(f"--user-data-dir={self._profile.name}")
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.url = url

    def close(self) -> None:
        """End the browser and remove its profile."""
        try:
            self.driver.quit()
        finally:
            self._profile.cleanup()

    def _run(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)  # type: ignore[no-untyped-call]

    def _wait_for(self, script: str, *args: Any, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if found := self._run(script, *args):
                    return found
            except WebDriverException:
                pass  # the page is being replaced (navigation after login)
            time.sleep(0.3)
        raise PageError(f"not shown within {timeout:.0f} s: {args}")

    def find(self, selector: str, timeout: float = 60.0) -> WebElement:
        """The first element matching `selector`, in any shadow root."""
        element: WebElement = self._wait_for(FIND_DEEP, selector, timeout=timeout)
        return element

    def log_in(self, username: str, password: str) -> None:
        """Through the login page, as a person would; waits for the dashboard."""
        self.driver.get(self.url)
        self.find("input[name=username]").send_keys(username)
        self.find("input[name=password]").send_keys(password, Keys.ENTER)
        self._wait_for(FIND_LABELLED_BUTTON, "Assist")

    def ask_assist(self, sentence: str) -> None:
        """Open the Assist dialog from the toolbar and type `sentence`."""
        deadline = time.monotonic() + 60
        while True:
            self._wait_for(FIND_LABELLED_BUTTON, "Assist").click()
            try:
                self.find("ha-assist-chat", timeout=5)
                break
            except PageError:
                if time.monotonic() > deadline:
                    raise
        self.find("#message-input").click()
        self.find("input.mdc-text-field__input").send_keys(sentence, Keys.ENTER)

    def messages(self) -> list[tuple[str, str]]:
        """(who, text) of every message in the dialog: who is "user" or "hass"."""
        found = self._run(ASSIST_MESSAGES) or []
        return [("user" if "user" in kind else "hass", text) for kind, text in found]

    def wait_for_reply(self, to: str, timeout: float = 120.0) -> str:
        """The first answer shown after the message `to` (the dialog greets first)."""

        def reply() -> str | None:
            shown = self.messages()
            asked = [i for i, (who, text) in enumerate(shown) if who == "user" and text == to]
            if not asked:
                return None
            answers = [text for who, text in shown[asked[0] + 1 :] if who == "hass"]
            return answers[0] if answers and answers[0].strip("…. ") else None

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (text := reply()) is not None:
                return text
            time.sleep(0.3)
        raise PageError(f"no reply within {timeout:.0f} s; messages: {self.messages()}")

    def screenshot(self, path: Path) -> None:
        """A PNG of the window."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
