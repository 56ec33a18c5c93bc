"""An unknown option is answered with the closest options first (issue 23, item 6): click
lists every option over its cutoff alphabetically, so "--sinse" was offered "--kind"
before "--since"."""

from __future__ import annotations

import pytest

from conftest import invoke


@pytest.mark.parametrize(
    ("args", "meant", "not_meant"),
    [
        (("list", "--sinse", "2025"), "--since", "--kind"),
        (("note", "add", "x", "--stauts", "done"), "--status", "--author"),
        (("report", "--as-off", "2025-01-01"), "--as-of", None),
        (("--regster", "x", "list"), "--register", None),
    ],
)
def test_the_closest_option_is_suggested(
    args: tuple[str, ...], meant: str, not_meant: str | None
) -> None:
    shown = invoke(*args)
    assert shown.code == 2
    said = shown.stderr.strip().splitlines()[-1]
    assert meant in said, said
    if not_meant is not None:
        assert not_meant not in said, said
    assert "Traceback" not in shown.stderr


def test_an_option_like_nothing_gets_no_guess() -> None:
    shown = invoke("list", "--zzzz")
    assert shown.code == 2
    assert "--zzzz" in shown.stderr and "mean" not in shown.stderr
