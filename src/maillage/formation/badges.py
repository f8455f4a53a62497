"""Open Badges 2.0 with hosted verification: the issuer's profile, each path's badge class and
each assertion as JSON-LD at stable URLs; the badge's image baked with its assertion (a PNG
with one `openbadges` iTXt chunk, an SVG with an `openbadges:assertion` element); revocation.
The recipient is their e-mail address hashed with a salt, as the specification says."""

import hashlib
import io
import json
import secrets
import struct
import uuid
import zlib
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from maillage.core import outbox
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record

from .models import Assertion, Registration, TrainingPath

CONTEXT = "https://w3id.org/openbadges/v2"
KEYWORD = "openbadges"
VERB_LABELS.update({"badge-issued": gettext_lazy("Badge délivré"),
                    "badge-revoked": gettext_lazy("Badge révoqué")})  # fmt: skip


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"formation:{name}", kwargs=kwargs)


def issuer() -> dict:
    return {"@context": CONTEXT, "type": "Issuer", "id": _url("issuer"),
            "name": settings.BADGES_ISSUER_NAME, "url": settings.SITE_URL,
            "email": settings.BADGES_ISSUER_EMAIL}  # fmt: skip


def badge_class(path: TrainingPath) -> dict:
    return {"@context": CONTEXT, "type": "BadgeClass", "id": _url("badge", slug=path.slug),
            "name": path.name, "description": path.description,
            "image": _url("badge-image", slug=path.slug),
            "criteria": {"id": settings.SITE_URL + path.get_absolute_url(),
                         "narrative": path.criteria},
            "issuer": _url("issuer"), "tags": [path.skill]}  # fmt: skip


def identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def assertion(found: Assertion) -> dict:
    return {"@context": CONTEXT, "type": "Assertion", "id": _url("assertion", key=found.key),
            "recipient": {"type": "email", "hashed": True, "salt": found.salt,
                          "identity": found.identity},
            "badge": _url("badge", slug=found.path.slug), "verification": {"type": "hosted"},
            "issuedOn": found.issued_on.isoformat(timespec="seconds"),
            "evidence": settings.SITE_URL + found.get_absolute_url()}  # fmt: skip


def revoked(found: Assertion) -> dict:
    return {"@context": CONTEXT, "type": "Assertion", "id": _url("assertion", key=found.key),
            "revoked": True, "revocationReason": found.revocation_reason}  # fmt: skip


def compact(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# --- award and revoke ------------------------------------------------------------------------


@transaction.atomic
def award(*, registration: Registration) -> Assertion:
    """The badge of the registration's path, to whoever attended; once."""
    if registration.attended is not True:
        raise DomainError(_("Le badge revient à qui a suivi la formation jusqu'au bout."),
                          code="not-completed", status=409)  # fmt: skip
    found = Assertion.objects.filter(registration=registration).first()
    if found is not None:
        if found.revoked_at is not None:  # a corrected mistake, corrected back
            found.revoked_at, found.revocation_reason = None, ""
            found.save(update_fields=["revoked_at", "revocation_reason"])
        return found
    salt = secrets.token_hex(16)
    found = Assertion.objects.create(
        path=registration.session.path, registration=registration,
        recipient_name=registration.name, salt=salt,
        identity=identity(registration.email, salt), issued_on=timezone.now(),
    )  # fmt: skip
    record(found, "badge-issued", path=found.path.slug)
    body = _("Bonjour %(name)s,\n\nVous avez suivi « %(path)s » : le laboratoire vous délivre son "
             "badge.\n\nLe voir, le vérifier et télécharger l'image du badge et l'attestation :\n"
             "%(url)s\n\nL'image du badge contient sa preuve : vous pouvez la déposer sur une "
             "plateforme qui lit les Open Badges.\n\nLe laboratoire d'innovation territoriale de "
             "Martigues") % {"name": registration.name, "path": found.path.name,
                             "url": settings.SITE_URL + found.get_absolute_url()}  # fmt: skip
    outbox.send(to=registration.email, subject=_("Votre badge : %(path)s") % {"path": found.path},
                body=body, about=found, key=f"badge-issued:{found.pk}")  # fmt: skip
    return found


@transaction.atomic
def revoke(*, found: Assertion, reason: str, by=None) -> Assertion:
    found = Assertion.objects.select_for_update().get(pk=found.pk)
    if found.revoked_at is not None:
        raise DomainError(_("Ce badge est déjà révoqué."), code="revoked")
    found.revoked_at, found.revocation_reason = timezone.now(), reason.strip()[:200]
    found.save(update_fields=["revoked_at", "revocation_reason"])
    record(found, "badge-revoked", actor=by, reason=found.revocation_reason)
    return found


def revoke_for(*, registration: Registration, reason: str) -> None:
    found = Assertion.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if found is not None:
        revoke(found=found, reason=reason)


# --- images: drawn once per path, baked per assertion ------------------------------------------


@cache
def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


NAME_SIZE, NAME_WIDTH, NAME_LINES = 30, 284, 4  # the path's name, inside the inner ring
LINE_HEIGHT = 38


def _name_lines(name: str) -> list[str]:
    """The path's name in lines that fit the disc (measured in the badge's own font), the
    last one cut short with an ellipsis if the name is longer than the disc holds."""
    font, lines = _font(NAME_SIZE), [""]
    for word in name.split():
        candidate = f"{lines[-1]} {word}".strip()
        if font.getlength(candidate) <= NAME_WIDTH or not lines[-1]:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > NAME_LINES:
        lines = lines[:NAME_LINES]
        lines[-1] += " …"
    return lines


def _name_tops(lines: list[str]) -> list[float]:
    """Where each line's middle stands: the block centred a little above the disc's centre."""
    first = 200 - 12 - LINE_HEIGHT * (len(lines) - 1) / 2
    return [first + LINE_HEIGHT * n for n in range(len(lines))]


def _footer(path: TrainingPath) -> str:
    return f"FORMATION · {path.hours} H"


def image_png(path: TrainingPath) -> bytes:
    """The badge: a disc in the lab's colour, the lab's name above the path's, its hours below."""
    side = 400
    picture = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, side - 8, side - 8), fill=(11, 93, 107, 255), outline=(8, 60, 70, 255),
                 width=10)  # fmt: skip
    draw.ellipse((40, 40, side - 40, side - 40), outline=(255, 255, 255, 255), width=4)
    draw.text((side / 2, 92), "MAILLAGE", font=_font(24), fill="white", anchor="mm")
    lines = _name_lines(path.name)
    for line, middle in zip(lines, _name_tops(lines), strict=True):
        draw.text((side / 2, middle), line, font=_font(NAME_SIZE), fill="white", anchor="mm")
    draw.line((160, 286, 240, 286), fill="white", width=3)
    draw.text((side / 2, 318), _footer(path), font=_font(20), fill="white", anchor="mm")
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def image_svg(path: TrainingPath, *, baked: str = "") -> str:
    """The badge as SVG; BAKED (an assertion's JSON), if given, inside as Open Badges says."""
    inside = ""
    if baked:
        url = json.loads(baked)["id"]
        inside = (f"<openbadges:assertion verify={quoteattr(url)}><![CDATA[{baked}]]>"
                  "</openbadges:assertion>")  # fmt: skip
    lines = _name_lines(path.name)
    name = "".join(
        f'<text x="200" y="{middle:.0f}" dominant-baseline="middle">{escape(line)}</text>'
        for line, middle in zip(lines, _name_tops(lines), strict=True)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        'width="400" height="400" viewBox="0 0 400 400" role="img" '
        f"aria-label={quoteattr(path.name)}>{inside}"
        '<circle cx="200" cy="200" r="187" fill="#0b5d6b" stroke="#083c46" stroke-width="10"/>'
        '<circle cx="200" cy="200" r="160" fill="none" stroke="#fff" stroke-width="4"/>'
        '<g text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" '
        'fill="#fff">'
        '<text x="200" y="92" dominant-baseline="middle" font-size="24">MAILLAGE</text>'
        f'<g font-size="{NAME_SIZE}">{name}</g>'
        f'<text x="200" y="318" dominant-baseline="middle" font-size="20">{_footer(path)}</text>'
        '</g><line x1="160" y1="286" x2="240" y2="286" stroke="#fff" stroke-width="3"/></svg>'
    )


def baked_png(found: Assertion) -> bytes:
    """The badge's PNG carrying the assertion, in one uncompressed iTXt chunk."""
    info = PngInfo()
    info.add_itxt(KEYWORD, compact(assertion(found)), zip=False)
    out = io.BytesIO()
    Image.open(io.BytesIO(image_png(found.path))).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


# --- checking a baked image --------------------------------------------------------------------


def read_baked(png: bytes) -> str | None:
    """The text of the PNG's `openbadges` iTXt chunks if there is exactly one, else None."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    found, at = [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        data = png[at + 8 : at + 8 + length]
        crc = png[at + 8 + length : at + 12 + length]
        if len(data) < length or len(crc) < 4 or struct.pack(">I", zlib.crc32(kind + data)) != crc:
            return None  # cut or altered
        if kind == b"iTXt" and data.startswith(KEYWORD.encode() + b"\0"):
            rest = data[len(KEYWORD) + 1 :]
            compressed, _method, rest = rest[0], rest[1], rest[2:]
            _language, _sep, rest = rest.partition(b"\0")
            _translated, _sep, text = rest.partition(b"\0")
            found.append(zlib.decompress(text) if compressed else text)
        at += 12 + length
    return found[0].decode("utf-8", "replace") if len(found) == 1 else None


def check_baked(png: bytes) -> tuple[Assertion | None, str]:
    """What a baked image proves: the assertion it carries, if it is ours and unaltered, and a
    sentence saying so or saying what is wrong."""
    text = read_baked(png)
    if text is None:
        return None, _("Cette image ne contient pas de badge lisible.")
    try:
        carried = json.loads(text)
        url = carried["id"]
    except (ValueError, KeyError, TypeError):
        return None, _("Le badge contenu dans cette image est illisible.")
    prefix = _url("assertion", key="00000000-0000-0000-0000-000000000000")[:-36]
    key = url[len(prefix) :] if isinstance(url, str) and url.startswith(prefix) else ""
    found = Assertion.objects.filter(key=key).select_related("path").first() if _uuid(key) else None
    if found is None:
        return None, _("Ce badge n'a pas été délivré par le laboratoire.")
    if found.revoked_at is not None:
        return found, _("Ce badge a été révoqué.")
    if carried != assertion(found):
        return None, _("Cette image a été modifiée : son badge ne correspond pas à celui délivré.")
    return found, _("Badge authentique, délivré par le laboratoire.")


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36
