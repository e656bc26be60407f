"""Names in the forms of chats and spoken Cantonese/Hong Kong usage (session deidnames5).

Group chats and messages name people in ways no label or title of a record shows:

* a mention: ``@`` then the member's display name up to a space or a mark (@老马识途 马叔, @好运来 你发的…). A display
  name is a person's handle whatever it spells, so it is masked whole (and then wherever it recurs, such as the
  speaker label of the same member: 老马识途：请问…); ``@所有人``/``@全体成员`` address everyone;
* an English given name written before a Chinese surname (Kelvin陈：…, 找Mary李), as Hong Kong and Guangdong speakers
  name colleagues;
* a surname before the English title ``sir`` or ``Madam`` (张sir, 王Sir, 李madam), the Cantonese way of addressing a
  doctor, a teacher or a policeman.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.person_cues import _AFTER_NAME
from yizhu.privacy.types import Entity

if TYPE_CHECKING:
    from collections.abc import Callable

#: What a mention addresses that is no person: everyone in the group, or a bot.
_NOT_MEMBERS = frozenset({"所有人", "全体成员", "全体", "全员", "大家", "all", "All", "ALL", "everyone"})
#: A display name after @: two to eight characters (Chinese, Latin letters, digits, _ - ·), up to a space or a mark;
#: the @ opens a line or follows a space or a mark (not 颅内高压@作用迅速, a separator of a text export, nor a@b.com).
_MENTION = re.compile(r"(?<![A-Za-z0-9_.\u4e00-\u9fff])[@＠](?P<n>[\u4e00-\u9fffA-Za-z0-9_\-·]{2,8})(?=[\s，,。：:！!？?、）)]|$)")
#: An English title written after a surname (张sir, 李Madam): Cantonese usage.
_LATIN_TITLES = r"(?:[Ss]ir|SIR|[Mm]adam|MADAM|[Mm]iss)(?![A-Za-z])"


class ChatNames:
    """Mixin of :class:`PersonRecognizer` (needs ``_surnames``, ``_roles`` and ``_entity``)."""

    _surnames: frozenset[str]
    _weak: frozenset[str]
    _roles: frozenset[str]
    _entity: Callable[..., Entity]

    def _chat_res(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        res: tuple[re.Pattern[str], re.Pattern[str]] | None = getattr(self, "_chat_compiled", None)
        if res is None:
            sur = "[" + "".join(sorted(self._surnames - self._weak)) + "]"  # (not Horn和Enterline: 和 is weak)
            after = "".join(sorted(_AFTER_NAME))  # (what may follow the surname: a mark, or 就, 说, 来 …)
            res = (
                # Kelvin陈：, 找Mary李就得 (a capitalised English given name of three letters or more, then one surname)
                re.compile(f"(?<![A-Za-z])[A-Z][a-z]{{2,11}}{sur}(?![A-Za-z]|(?![{after}])[\u4e00-\u9fff])"),
                re.compile(f"{sur}(?={_LATIN_TITLES})"),
            )
            self._chat_compiled = res
        return res

    def _chat_names(self, text: str) -> list[Entity]:
        """Mentions (@老马识途), English given names before a surname (Kelvin陈) and surnames before sir (张sir)."""
        out: list[Entity] = []
        if "@" in text or "＠" in text:
            for m in _MENTION.finditer(text):
                name = m.group("n")
                if name in _NOT_MEMBERS or name in self._roles or name.isdigit():
                    continue
                out.append(self._entity(text, m.start("n"), m.end("n"), "mention", 0.85, "a member named after @"))
        latin_surname, latin_title = self._chat_res()
        if any("A" <= c <= "Z" for c in text):
            for m in latin_surname.finditer(text):
                out.append(self._entity(text, m.start(), m.end(), "latin_given_surname", 0.9,
                                        "an English given name before a Chinese surname"))
        if "sir" in text or "Sir" in text or "SIR" in text or "adam" in text or "ADAM" in text or "iss" in text:
            for m in latin_title.finditer(text):
                out.append(self._entity(text, m.start(), m.end(), "surname_latin_title", 0.75,
                                        "a surname before sir or madam"))
        return out
