"""Domain actions of the médiation numérique. Each owns its transaction and writes the journal:
the accompaniment's own, and the need's when it answers one (the need's page then shows it)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.core.params import EARLIEST_DAY
from maillage.needs.models import Need
from maillage.territory.models import Place
from maillage.territory.validators import normalise_phone

from . import agenda, communes
from .models import Accompaniment, Appointment, Beneficiary, Participation
from .vocabulary import (
    LONGEST_MINUTES,
    AgeBand,
    Autonomy,
    Gender,
    Kind,
    Level,
    Material,
    PlaceType,
    Redirection,
    SocialStatus,
    Thematique,
    age_band,
    choice_list,
)

VERB_LABELS.update(
    {
        "accompaniment-recorded": gettext_lazy("Accompagnement noté"),
        "accompaniment-archived": gettext_lazy("Accompagnement archivé"),
        "beneficiary-recorded": gettext_lazy("Personne accompagnée enregistrée"),
        "beneficiary-imported": gettext_lazy("Personne importée"),
        "beneficiary-erased": gettext_lazy("Nom et coordonnées effacés"),
    }
)


class Invalid(DomainError):
    """A value that can never be right; FIELD names it (the API's problem says where)."""

    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(message, code="invalid")
        self.field = field


def _one_of(choices, value: str, field: str, what: str) -> str:
    if value not in choices.values:
        raise Invalid(
            field,
            _("%(what)s inconnu(e) : « %(value)s ». Valeurs acceptées : %(values)s.")
            % {"what": what, "value": str(value)[:60], "values": choice_list(choices)},
        )
    return value


def _many_of(choices, values, field: str, what: str) -> list[str]:
    found = []
    for value in values:
        _one_of(choices, value, field, what)
        if value not in found:
            found.append(value)
    return found


@dataclass
class PersonFacts:
    """What is said of someone accompanied; names and contacts only with their consent."""

    first_name: str = ""
    last_name: str = ""
    birth_year: int | None = None
    age_band: str = AgeBand.NON_COMMUNIQUE
    gender: str = Gender.NON_COMMUNIQUE
    social_status: str = SocialStatus.NON_COMMUNIQUE
    commune: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
    consent: bool = False

    def checked(self, *, today: date) -> dict:
        """The fields of a Beneficiary, checked and normalised; Invalid names what is wrong."""
        first, last = self.first_name.strip(), self.last_name.strip()
        phone = email = ""
        if self.phone.strip():
            try:
                phone = normalise_phone(self.phone.strip())
            except ValidationError as error:
                raise Invalid("phone", error.messages[0]) from error
        if self.email.strip():
            email = self.email.strip()
            try:
                validate_email(email)
            except ValidationError as error:
                raise Invalid("email", _("Adresse de courriel invalide.")) from error
        if (first or last or phone or email) and not self.consent:
            raise Invalid(
                "consent",
                _("Sans l'accord de la personne, gardez-la anonyme : ni nom ni coordonnées."),
            )
        if self.birth_year is not None and not 1900 <= self.birth_year <= today.year:
            raise Invalid(
                "birth_year",
                _("L'année de naissance va de 1900 à %(year)s.") % {"year": today.year},
            )
        band = _one_of(AgeBand, self.age_band, "age_band", _("Tranche d'âge"))
        if self.birth_year is not None:
            band = age_band(self.birth_year, today.year)
        try:
            commune = communes.commune_code(self.commune) if self.commune.strip() else ""
        except ValidationError as error:
            raise Invalid("person_commune", error.messages[0]) from error
        return {
            "first_name": first[:100], "last_name": last[:100], "birth_year": self.birth_year,
            "age_band": band, "gender": _one_of(Gender, self.gender, "gender", _("Genre")),
            "social_status": _one_of(SocialStatus, self.social_status, "social_status",
                                     _("Situation")),
            "commune_code": commune, "phone": phone, "email": email,
            "notes": self.notes.strip()[:2000],
        }  # fmt: skip


@dataclass
class AccompanimentFacts:
    """An accompaniment as the form or the API says it, before it is checked."""

    kind: str = Kind.INDIVIDUEL
    day: date | None = None
    duration: int = 0
    place_type: str = PlaceType.LIEU_ACTIVITE
    place: Place | None = None
    commune: str = ""
    autonomy: str = ""
    redirected: bool = False
    redirection: str = ""
    materials: list[str] = field(default_factory=list)
    thematiques: list[str] = field(default_factory=list)
    details: str = ""
    workshop_title: str = ""
    workshop_level: str = ""
    anonymous_people: int = 0

    def checked(self, *, today: date) -> dict:
        kind = _one_of(Kind, self.kind, "kind", _("Type"))
        day = self.day or today
        if day > today:
            raise Invalid(
                "date", _("Un accompagnement se note une fois fait : pas de date future.")
            )
        if day < EARLIEST_DAY:
            raise Invalid("date", _("Choisissez une date après l'an 2000."))
        if not 1 <= self.duration <= LONGEST_MINUTES:
            raise Invalid(
                "duration",
                _("La durée va de 1 minute à %(hours)s heures (en minutes : 15, 30, 45…).")
                % {"hours": LONGEST_MINUTES // 60},
            )
        place_type = _one_of(PlaceType, self.place_type, "place_type", _("Lieu"))
        try:
            commune = communes.commune_code(self.commune) if self.commune.strip() else ""
        except ValidationError as error:
            raise Invalid("commune", error.messages[0]) from error
        materials = _many_of(Material, self.materials, "materials", _("Matériel"))
        if Material.AUCUN in materials and len(materials) > 1:
            raise Invalid("materials", _("« Aucun » matériel ne va pas avec un autre."))
        thematiques = _many_of(Thematique, self.thematiques, "thematiques", _("Thématique"))
        if not thematiques:
            raise Invalid("thematiques", _("Choisissez au moins une thématique."))
        redirection = self.redirection
        if self.redirected:
            if not redirection:
                raise Invalid("redirection", _("Dites vers quel type de structure."))
            _one_of(Redirection, redirection, "redirection", _("Structure de redirection"))
        elif redirection:
            raise Invalid("redirection", _("Une structure de redirection, mais pas d'orientation."))
        autonomy, title, level = self.autonomy, self.workshop_title.strip(), self.workshop_level
        if kind == Kind.INDIVIDUEL:
            if title or level or self.anonymous_people:
                raise Invalid(
                    "kind", _("Titre, niveau et présents sont pour un atelier collectif.")
                )
            if autonomy:
                _one_of(Autonomy, autonomy, "autonomy", _("Autonomie"))
        else:
            if not title:
                raise Invalid("workshop_title", _("Donnez un titre à l'atelier."))
            if level:
                _one_of(Level, level, "workshop_level", _("Niveau"))
            if autonomy:
                raise Invalid(
                    "autonomy", _("L'autonomie se note pour un accompagnement individuel.")
                )
            if not 0 <= self.anonymous_people <= 500:
                raise Invalid("anonymous_people", _("De 0 à 500 personnes présentes."))
        return {
            "kind": kind, "date": day, "duration": self.duration, "place_type": place_type,
            "place": self.place if place_type == PlaceType.LIEU_ACTIVITE else None,
            "commune_code": commune, "autonomy": autonomy, "redirected": self.redirected,
            "redirection": redirection, "materials": materials, "thematiques": thematiques,
            "details": self.details.strip()[:2000], "workshop_title": title[:200],
            "workshop_level": level, "anonymous_people": self.anonymous_people,
        }  # fmt: skip


def new_beneficiary(*, facts: PersonFacts, by: User | None, verb: str = "beneficiary-recorded"):
    """Record someone accompanied (the caller's transaction)."""
    fields = facts.checked(today=timezone.localdate())
    person = Beneficiary(**fields, consent_at=timezone.now() if facts.consent else None,
                         created_by=by)  # fmt: skip
    person.refresh_search_text()
    person.save()
    record(person, verb, actor=by)
    return person


@transaction.atomic
def record_accompaniment(
    *,
    facts: AccompanimentFacts,
    by: User,
    people: list[Beneficiary] = (),
    new_person: PersonFacts | None = None,
    need: Need | None = None,
) -> Accompaniment:
    """Note an accompaniment: of PEOPLE already known to the lab, and of NEW_PERSON if given
    (an individual accompaniment of nobody named is of an anonymous person, recorded as such
    so that the Coop's counts hold). It answers NEED if given."""
    today = timezone.localdate()
    fields = facts.checked(today=today)
    people = list(dict.fromkeys(people))
    if new_person is not None:
        people.append(new_beneficiary(facts=new_person, by=by))
    if fields["kind"] == Kind.INDIVIDUEL:
        if len(people) > 1:
            raise Invalid("people", _("Un accompagnement individuel est celui d'une personne."))
        if not people:
            people.append(new_beneficiary(facts=PersonFacts(), by=by))
    elif not people and not fields["anonymous_people"]:
        raise Invalid("anonymous_people", _("Dites combien de personnes étaient présentes."))
    accompaniment = Accompaniment.objects.create(**fields, need=need, mediator=by)
    seen_before = set(
        Participation.objects.filter(beneficiary__in=people).values_list("beneficiary", flat=True)
    )
    Participation.objects.bulk_create(
        Participation(accompaniment=accompaniment, beneficiary=person,
                      first=person.pk not in seen_before)
        for person in people
    )  # fmt: skip
    summary = describe(accompaniment)
    record(accompaniment, "accompaniment-recorded", actor=by, message=summary)
    if need is not None:
        record(need, "accompaniment-recorded", actor=by, message=summary,
               accompaniment=accompaniment.pk)  # fmt: skip
    return accompaniment


def describe(accompaniment: Accompaniment) -> str:
    """One line for the journal: « 45 min, individuel — Argent, impôts ; Le courriel »."""
    themes = " ; ".join(str(Thematique(t).label) for t in accompaniment.thematiques)
    return _("%(minutes)s min, %(kind)s — %(themes)s") % {
        "minutes": accompaniment.duration,
        "kind": str(Kind(accompaniment.kind).label).lower(),
        "themes": themes,
    }


@transaction.atomic
def archive_accompaniment(*, accompaniment: Accompaniment, by: User) -> Accompaniment:
    """Take a mistaken accompaniment out of the counts; it stays in the journal."""
    if accompaniment.archived_at is not None:
        raise DomainError(_("Cet accompagnement est déjà archivé."), code="archived")
    accompaniment.archived_at = timezone.now()
    accompaniment.save(update_fields=["archived_at"])
    record(accompaniment, "accompaniment-archived", actor=by)
    return accompaniment


@transaction.atomic
def erase_person(*, person: Beneficiary, by: User | None, why: str) -> Beneficiary:
    """Erase who someone is (name, contact details, notes); what the Coop counts stays (age
    band, gender, situation, commune), so that the figures hold."""
    person = Beneficiary.objects.select_for_update().get(pk=person.pk)
    person.first_name = person.last_name = person.phone = person.email = person.notes = ""
    person.birth_year, person.import_key = None, ""
    person.contact_erased_at = timezone.now()
    person.refresh_search_text()
    person.save()
    # The appointments that became their accompaniments held the same name and number.
    for appointment in Appointment.objects.filter(
        accompaniment__participations__beneficiary=person, contact_erased_at__isnull=True
    ):
        agenda.erase_appointment(appointment=appointment, by=by, why=why)
    record(person, "beneficiary-erased", actor=by, why=why)
    return person


def erase_expired_people(*, now=None) -> int:
    """The permanence's retention rule for the people accompanied: their names and contact
    details go NEEDS_RETENTION_DAYS after their last accompaniment (or their recording, if
    none came)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.NEEDS_RETENTION_DAYS)
    recent = Participation.objects.filter(accompaniment__date__gt=limit.date())
    expired = (Beneficiary.objects.known().filter(created_at__lt=limit)
               .exclude(pk__in=recent.values("beneficiary")))  # fmt: skip
    erased = 0
    for person in expired.iterator(chunk_size=500):
        erase_person(person=person, by=None, why="retention")
        erased += 1
    return erased
