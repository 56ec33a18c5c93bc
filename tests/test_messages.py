"""Messages that say what happened and a fix that works (issue 23, item 6): each advice is
followed as printed, and it works."""

from __future__ import annotations

import shlex
from pathlib import Path

from conftest import invoke


def test_a_note_text_that_begins_with_a_dash_is_told_to_go_after_dashes(register: Path) -> None:
    args = ["--register", str(register), "note", "add", "vn-az-2025-energy-mou"]
    refused = invoke(*args, "-5% less crude", "--dry-run")
    assert refused.code == 2
    advice = refused.stderr.rsplit("`--`: ", 1)[1].strip()
    assert advice.endswith("-- '-5% less crude'")
    # Followed as printed (ID and [OPTIONS] filled in): the note is taken, text intact.
    command = shlex.split(advice.replace("ID [OPTIONS]", "vn-az-2025-energy-mou --dry-run"))
    followed = invoke("--register", str(register), *command[1:])
    assert followed.code == 0, followed.stderr
    assert "text: -5% less crude" in followed.stdout


def test_a_mistyped_long_option_gets_no_dash_advice(register: Path) -> None:
    result = invoke("--register", str(register), "note", "add", "vn-az-2025-energy-mou", "x",
                    "--stauts", "signed")  # fmt: skip
    assert result.code == 2
    assert "--status" in result.stderr and "`--`" not in result.stderr


def test_a_note_is_fixed_without_an_editor(register: Path) -> None:
    """`note edit ID N --date/--status/--source/--text`: only those fields change, checked
    as a new note is; a refused value changes nothing."""
    args = ["--register", str(register), "note"]
    rel = register / "agreements/vn-az-2025-energy-mou.yaml"
    added = invoke(*args, "add", "vn-az-2025-energy-mou", "First cargo", "--date", "2025-07-02",
                   "--source", "https://example.org/a")  # fmt: skip
    assert added.code == 0, added.stderr
    before = rel.read_text(encoding="utf-8")
    edited = invoke(*args, "edit", "vn-az-2025-energy-mou", "1", "--date", "2025-07",
                    "--text", "First cargo arrived")  # fmt: skip
    assert edited.code == 0, edited.stderr
    after = rel.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]  # fmt: skip
    assert changed == [("  - date: 2025-07-02", "  - date: 2025-07"),
                       ("    text: First cargo", "    text: First cargo arrived")]  # fmt: skip
    for bad in (["--date", "2025-13"], ["--status", "nonsense"], ["--source", "nowhere"]):
        refused = invoke(*args, "edit", "vn-az-2025-energy-mou", "1", *bad)
        assert refused.code == 2, bad
        assert rel.read_text(encoding="utf-8") == after, bad


def test_reading_the_shipped_example_says_so(tmp_path: Path, register: Path) -> None:
    """Outside any register, `validate` and `list` read the example shipped with the tool:
    one line on stderr says so and how to make one's own; inside a register, nothing."""
    for args in (["validate"], ["list", "--format", "csv"]):
        outside = invoke(*args, cwd=tmp_path)
        assert outside.code == 0, outside.stderr
        assert "example register shipped with the tool" in outside.stderr
        assert "agreements init DIR" in outside.stderr
        inside = invoke(*args, cwd=register)
        assert "example register" not in inside.stderr


def test_an_unknown_language_is_refused_in_the_same_words_everywhere(register: Path) -> None:
    """One check and one message for a language code: an option, a source's `lang` in the
    manifest, a key of a title map."""
    option = invoke("--register", str(register), "list", "--lang", "xx")
    manifest = register / "seeds/sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("lang: en", "lang: xx", 1), "utf-8"
    )
    record = register / "agreements/vn-az-2025-energy-mou.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("  vi: Bản", "  xx: Bản", 1),
                      "utf-8")  # fmt: skip
    validated = invoke("--register", str(register), "validate", "--format", "json")
    said = [f["message"] for f in validated.json()]
    words = "'xx' is not an ISO 639-1 language code: write two letters such as"
    assert option.code == 2 and words in option.stderr
    assert sum(words in message for message in said) >= 2, said
