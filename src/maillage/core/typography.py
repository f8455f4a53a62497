"""French typography, applied once to every HTML page the site renders in French.

A line never starts with « ? ! : ; » nor with a closing guillemet, nor ends with an opening one:
the space before them (and inside « ») becomes a no-break space. A need's reference
(B-2026-00301) is never broken across lines: it is wrapped in `.ref`, which the stylesheet
keeps whole. Only the text between tags is touched — never a tag, an attribute, a script, a
style, nor the text of a <title>, <option>, <textarea>, <pre> or <code>, which are either not
HTML or copied as they are. The templates' backend (`FrenchTemplates`) calls it, so no template
has to remember it; the words of users (a need's description) get it too."""

import re

from django.template.backends.django import DjangoTemplates
from django.template.backends.django import Template as DjangoTemplate
from django.utils import translation
from django.utils.safestring import mark_safe

NBSP = "\u00a0"

# A tag (its quoted attributes may hold « > »), or a comment.
TAG = re.compile(r"""<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
VERBATIM = {"script", "style", "textarea", "pre", "code", "title", "option"}
NO_MARKUP = {"title", "option"}  # the spaces, but no <span> inside (a textarea's are its value)
SPACE_BEFORE = re.compile(r"[ \t]+(?=[?!:;»])")
SPACE_AFTER = re.compile(r"(?<=«)[ \t]+")
REFERENCE = re.compile(r"(?<![\w-])B-\d{4}-\d{5}(?![\w-])")


def spaces(text: str) -> str:
    """The no-break spaces of French punctuation, in plain text."""
    return SPACE_AFTER.sub(NBSP, SPACE_BEFORE.sub(NBSP, text))


def french(html: str) -> str:
    """HTML with French typography in its text."""
    out, position, inside, last_tag = [], 0, [], ""
    for tag in TAG.finditer(html):
        out.append(_text(html[position : tag.start()], inside, last_tag))
        out.append(tag[0])
        position, last_tag = tag.end(), tag[0]
        name = TAG_NAME.match(tag[0])
        if name and name[1].lower() in VERBATIM:
            element = name[1].lower()
            if tag[0].startswith("</"):
                if element in inside:
                    inside.remove(element)
            elif not tag[0].endswith("/>"):
                inside.append(element)
    out.append(_text(html[position:], inside, last_tag))
    return "".join(out)


def _text(text: str, inside: list[str], last_tag: str) -> str:
    if not text or (inside and not set(inside) <= NO_MARKUP):
        return text
    text = spaces(text)
    if inside or 'class="ref"' in last_tag:
        return text
    return REFERENCE.sub(r'<span class="ref">\g<0></span>', text)


class Template(DjangoTemplate):
    def render(self, context=None, request=None):
        html = super().render(context, request)
        if not translation.get_language() or not translation.get_language().startswith("fr"):
            return html
        return mark_safe(french(html))


class FrenchTemplates(DjangoTemplates):
    """Django's templates; the HTML ones rendered in French get French typography."""

    def get_template(self, template_name):
        template = super().get_template(template_name)
        if template_name.split("#")[0].endswith(".html"):
            return Template(template.template, self)
        return template
