"""Language codes: which the register accepts, and how a command-line value is checked.

Its own module so that `--help` and option parsing need nothing heavier.
"""

# ISO 639-1: every two-letter language code (sources, names and kind terms).
_ISO_639_1_TEXT = (
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
    "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
    "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
    "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu"
)
ISO_639_1 = frozenset(_ISO_639_1_TEXT.split())


def not_a_language(value: object) -> str:
    """The one message for a language code the tool does not know, wherever it is given
    (an option, a source's `lang`, a key of a name or title map)."""
    return (
        f"{value!r} is not an ISO 639-1 language code: write two letters such as "
        "en, vi, de, fr, ru, az or kk"
    )


def check_language(value: str) -> str:
    """A two-letter code as given, or ValueError saying what is accepted."""
    code = value.strip().lower()
    if code not in ISO_639_1:
        raise ValueError(not_a_language(value))
    return code
