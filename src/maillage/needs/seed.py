"""Needs for the demo territory (through the real services, so journals are true) and for the
large benchmark territory (in bulk)."""

import itertools
import random
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage.core import semantic
from maillage.core.delays import add_working_days
from maillage.core.models import Dimension, JournalEntry, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.territory.models import Organisation

from . import services
from .models import Need, ReferenceCounter

FIRST_ANSWER_DAYS = settings.NEEDS_FIRST_ANSWER_WORKING_DAYS

# (dimension code, what people say)
NEEDS = [
    ("dematerialisation", "Je n'arrive pas à prendre rendez-vous en ligne pour refaire ma carte d'identité."),
    ("dematerialisation", "Mon compte ameli est bloqué, je ne peux plus télécharger mes attestations."),
    ("dematerialisation", "Je dois déclarer mes revenus en ligne mais je n'ai pas d'ordinateur."),
    ("dematerialisation", "Ma mère de 82 ans doit demander sa retraite complémentaire sur internet, seule elle n'y arrive pas."),
    ("dematerialisation", "Je ne reçois pas le code par SMS pour me connecter avec FranceConnect."),
    ("dematerialisation", "Je ne comprends pas le courrier de la CAF arrivé dans mon espace en ligne."),
    ("dematerialisation", "Plus de connexion internet chez moi depuis le déménagement, comment faire mes démarches ?"),
    ("dematerialisation", "Je voudrais faire ma demande de logement social en ligne mais le site me refuse."),
    ("travail", "Je cherche une formation en logistique près de Martigues, avec des horaires compatibles avec mes enfants."),
    ("travail", "Besoin d'aide pour refaire mon CV et ma lettre de motivation."),
    ("travail", "Notre entreprise cherche des apprentis en maintenance industrielle et ne trouve personne."),
    ("travail", "Je voudrais découvrir les métiers du numérique avant de me reconvertir."),
    ("travail", "Je n'arrive pas à m'inscrire sur le site de France Travail."),
    ("travail", "Nos salariés doivent passer aux outils en ligne et beaucoup sont perdus."),
    ("ecologie", "Nous avons une vingtaine d'ordinateurs à donner, qui peut les reconditionner ?"),
    ("ecologie", "Il n'y a pas de bus le dimanche pour aller travailler à la zone de Croix-Sainte."),
    ("ecologie", "Comment réduire la facture d'électricité de notre association ?"),
    ("ecologie", "Je voudrais faire réparer mon téléphone plutôt que d'en racheter un."),
    ("dematerialisation", "Le réseau mobile ne passe pas à Carro, impossible de télétravailler."),
    ("pratiques-sociales", "Les parents de l'école ne savent pas utiliser l'espace numérique de travail."),
    ("pratiques-sociales", "Depuis ma retraite je me sens seule, je voudrais des activités près de chez moi."),
    ("pratiques-sociales", "Mon fils passe trop de temps sur les écrans, j'aimerais des conseils."),
    ("pratiques-sociales", "Notre association cherche une salle pour des cours de français le soir."),
    ("pratiques-sociales", "Je voudrais apprendre à faire des appels vidéo avec mes petits-enfants."),
    (None, "J'ai reçu un message bizarre qui me demande mes codes bancaires, est-ce une arnaque ?"),
    (None, "Je ne sais pas à qui m'adresser pour un problème de voisinage avec des poubelles."),
]  # fmt: skip
# (title, dimension code, what in a need's words says it belongs there)
SHARED = [
    ("Démarches en ligne sans ordinateur ni personne pour aider", "dematerialisation",
     ["déclarer mes revenus", "ameli", "retraite complémentaire", "FranceConnect",
      "courrier de la CAF", "logement social en ligne"]),
    ("Rendez-vous en ligne pour les papiers d'identité", "dematerialisation", ["carte d'identité"]),
    ("Réseau mobile à Carro", "dematerialisation", ["réseau mobile"]),
    ("Ordinateurs à reconditionner", "ecologie", ["ordinateurs à donner"]),
    ("Bus du dimanche vers les zones d'activités", "ecologie", ["bus le dimanche"]),
]  # fmt: skip
ANSWERS = [
    "Bonjour, nous pouvons vous recevoir à la permanence mardi matin, sans rendez-vous.",
    "Nous avons transmis votre demande à France Services, qui vous appellera cette semaine.",
    "Un conseiller numérique du centre social peut vous accompagner : passez jeudi après-midi.",
    "Votre besoin rejoint celui d'autres habitants : nous en parlerons à l'atelier du mois prochain.",
]
ENDINGS = ["", "", " Merci d'avance.", " C'est assez urgent.", " Je suis disponible le matin.",
           " Je ne sais pas à qui m'adresser."]  # fmt: skip
STATES = (
    ["recu"] * 15 + ["qualifie"] * 15 + ["oriente"] * 10 + ["en-atelier"] * 5 + ["en-projet"] * 5
)
STATES += ["resolu"] * 35 + ["clos"] * 15
FIRST_NAMES = ["Karim", "Léa", "Monique", "Rachid", "Sandrine", "Yasmina", "Paul", "Inès", "Gilles"]
NEIGHBOURHOODS = ["Ferrières", "Jonquières", "L'Île", "Canto-Perdrix", "Carro", "La Couronne",
                  "Notre-Dame des Marins", "Croix-Sainte", "Lavéra", "Saint-Julien"]  # fmt: skip


def _walk(
    need: Need, state: str, facilitator: User, rng: random.Random, dimension: Dimension | None
) -> None:
    """Take a need to STATE the way the desk would."""
    if state == "recu":
        return
    dimension = need.dimension or dimension
    services.qualify_need(
        need=need, by=facilitator, title=need.display_title[:80], dimension=dimension
    )
    if state == "qualifie" and rng.random() < 0.3:
        return  # qualified today, the answer still to write
    services.answer_need(need=need, by=facilitator, message=rng.choice(ANSWERS))
    if state == "qualifie":
        return
    if state == "clos":
        services.change_status(need=need, to="clos", by=facilitator, reason=rng.choice(
            ["hors-champ", "sans-nouvelles", "reoriente-ailleurs", "doublon"]),
            message="Nous clôturons ce besoin ; n'hésitez pas à revenir vers nous.")  # fmt: skip
        return
    middle = (
        state
        if state in {"oriente", "en-atelier", "en-projet"}
        else rng.choice(["oriente", "en-atelier"])
    )
    services.change_status(need=need, to=middle, by=facilitator, message="")
    if state == "resolu":
        services.change_status(need=need, to="resolu", by=facilitator,
                               message="C'est réglé : merci de nous avoir fait confiance.")  # fmt: skip


# How long ago a need in each state was raised (days): a need still « reçu » is a few days old,
# a resolved one may date from any month of the year.
AGE_BY_STATE = {
    "recu": (0, 2), "qualifie": (1, 25), "oriente": (4, 60), "en-atelier": (10, 90),
    "en-projet": (20, 200), "resolu": (6, 340), "clos": (6, 340),
}  # fmt: skip
# The desk answers more slowly in the summer and in the rush of September (a factor on delays).
SEASON = {7: 1.8, 8: 2.2, 9: 1.4, 12: 1.3}
SHARE_LATE = 0.08  # of the open needs, those whose next news is overdue


def _backdate(need: Need, rng: random.Random) -> None:
    """Spread the demo over the past year as the desk would have lived it: the need raised
    some days ago for its state, answered after a delay that varies with the need and the
    season, ended weeks later; its journal moved along with it."""
    now = timezone.now()
    low, high = AGE_BY_STATE[need.status]
    if need.is_open and need.first_answered_at is None:
        low, high = 0, 2  # not answered yet: raised these last days
    created = now - timedelta(days=rng.uniform(low, high))
    # People write in the day (online, into the evening); the desk and the phone in its hours.
    hours = (8, 22) if need.channel == Need.Channel.EN_LIGNE else (9, 17)
    local = timezone.localtime(created)
    created = local.replace(hour=rng.randint(*hours), minute=rng.randint(0, 59))
    if created > now:
        created -= timedelta(days=1)
    season = SEASON.get(timezone.localtime(created).month, 1.0)
    answered = ended = None
    if need.first_answered_at:
        answered = min(created + timedelta(days=rng.lognormvariate(-0.4, 0.8) * season),
                       max(created, now - timedelta(hours=1)))  # fmt: skip
    if need.closed_at:
        start = answered or created
        ended = min(start + timedelta(days=rng.lognormvariate(2.3, 0.7) * season),
                    max(start, now - timedelta(minutes=30)))  # fmt: skip
    promised = add_working_days(created, FIRST_ANSWER_DAYS)
    if not need.is_open:
        due = None
    elif answered is None:
        due = promised  # the first answer: late or not as the calendar has it
    elif rng.random() < SHARE_LATE:
        due = now - timedelta(days=rng.uniform(0.2, 4))
    else:
        due = now + timedelta(days=rng.uniform(0.5, 9))
    Need.objects.filter(pk=need.pk).update(
        created_at=created, answer_promised_at=promised, first_answered_at=answered,
        closed_at=ended, due_at=due,
    )  # fmt: skip
    _move_journal(need, created=created, answered=answered, ended=ended, now=now)


def _move_journal(need: Need, *, created, answered, ended, now) -> None:
    """Each entry at its moment: received at CREATED, answered at ANSWERED, the ending at
    ENDED, and those between spread between their neighbours."""
    entries = list(JournalEntry.objects.about(need).order_by("at", "id"))
    anchors = {0: created}
    for n, entry in enumerate(entries):
        if entry.verb == "need-answered" and answered:
            anchors[n] = answered
    if ended:
        anchors[len(entries) - 1] = ended
    last = max(anchors)
    known = sorted(anchors.items())
    for n, entry in enumerate(entries):
        if n in anchors:
            at = anchors[n]
        elif n > last:  # after the last known moment: the hours that followed
            at = min(anchors[last] + timedelta(hours=2 * (n - last)), now)
        else:
            (before, start), (after, end) = next(
                (a, b) for a, b in itertools.pairwise(known) if a[0] < n < b[0]
            )
            at = start + (end - start) * (n - before) / (after - before)
        JournalEntry.objects.filter(pk=entry.pk).update(at=at)


@transaction.atomic
def load_demo(*, count: int = 300) -> int:
    """Raise COUNT needs through the desk's services, in every state, over the last eight months."""
    rng = random.Random(13500)
    facilitators = list(
        services.facilitators().filter(role=User.Role.ANIMATEUR).order_by("pk")
    ) or list(services.facilitators().order_by("pk"))
    organisations = list(Organisation.objects.active())
    dimensions = {d.code: d for d in Dimension.objects.all()}
    shared = {
        title: services.create_shared_need(title=title, by=facilitators[0], dimension=dimensions[code],
                                           description=f"Plusieurs demandes convergent : « {title} ».")
        for title, code, _phrases in SHARED
    }  # fmt: skip
    for n in range(count):
        code, text = NEEDS[n % len(NEEDS)]
        with_contact = rng.random() < 0.7
        # Each need is backdated right after, so the same words never look like a double submit.
        need = services.raise_need(
            description=text + rng.choice(ENDINGS),
            dimension=dimensions[code] if code and rng.random() < 0.6 else None,
            consent=with_contact,
            name=rng.choice(FIRST_NAMES) if with_contact else "",
            email=f"demandeur{n + 1}@example.org" if with_contact and rng.random() < 0.6 else "",
            neighbourhood=rng.choice(NEIGHBOURHOODS),
            channel=rng.choice(
                [
                    "en-ligne",
                    "en-ligne",
                    "accueil",
                    "telephone",
                    "courriel",
                    "atelier",
                    "partenaire",
                ]
            ),
            organisation=rng.choice(organisations) if rng.random() < 0.2 else None,
        )
        state = rng.choice(STATES)
        _walk(need, state, rng.choice(facilitators), rng, dimensions[code] if code else None)
        for title, _code, phrases in SHARED:
            said = any(phrase.lower() in text.lower() for phrase in phrases)
            if said and state != "recu" and rng.random() < 0.8:
                services.link_to_shared_need(
                    need=need, shared_need=shared[title], by=facilitators[0]
                )
                break
        need.refresh_from_db()
        _backdate(need, rng)
    return count


@cache
def _vector(text: str) -> bytes | None:
    """The vector of a synthetic need's text, computed once per distinct text."""
    if not semantic.available():
        return None
    return semantic.to_bytes(semantic.embed([text], query=True)[0])


@cache
def _indexed_texts(text: str, neighbourhood: str) -> tuple[str, str]:
    """The folded and stemmed texts of a synthetic need (they repeat: compute each once)."""
    return search_document(text, neighbourhood), stem_document(text, neighbourhood)


@transaction.atomic
def load_large(*, seed: int = 1, count: int = 100_000, batch: int = 5_000) -> int:
    """Add COUNT needs, each with its journal (received, assigned), in bulk."""
    rng = random.Random(seed)
    owners = list(services.facilitators().order_by("pk")) or [None]
    dimensions = [*list(Dimension.objects.all()), None]
    organisation_ids = list(Organisation.objects.values_list("pk", flat=True)[:5000]) or [None]
    now = timezone.now()
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=now.year)
    need_type = JournalEntry._meta.get_field("subject_type").related_model.objects.get_for_model(
        Need
    )
    created = 0
    while created < count:
        needs = []
        for _ in range(min(batch, count - created)):
            counter.last += 1
            _code, text = rng.choice(NEEDS)
            status = rng.choice(STATES)
            at = now - timedelta(days=rng.uniform(0, 720))
            closed = status in Need.CLOSED_STATUSES
            hood = rng.choice(NEIGHBOURHOODS)
            needs.append(Need(
                reference=f"B-{now.year}-{counter.last:05d}", description=text,
                dimension=rng.choice(dimensions), status=status,
                closure_reason="autre" if status == "clos" else "", channel=rng.choice(Need.Channel.values),
                neighbourhood=hood, organisation_id=rng.choice(organisation_ids) if rng.random() < 0.2 else None,
                owner=rng.choice(owners), created_at=at, closed_at=at + timedelta(days=9) if closed else None,
                due_at=None if closed else at + timedelta(days=rng.uniform(2, 400)),
                answer_promised_at=add_working_days(at, FIRST_ANSWER_DAYS),
                search_text=_indexed_texts(text, hood)[0], search_stems=_indexed_texts(text, hood)[1],
                embedding=_vector(text), embedded_at=now if _vector(text) else None,
            ))  # fmt: skip
        Need.objects.bulk_create(needs, batch_size=batch)
        JournalEntry.objects.bulk_create(
            [JournalEntry(subject_type=need_type, subject_id=n.pk, verb=verb, is_public=public, at=n.created_at)
             for n in needs for verb, public in (("need-raised", True), ("need-assigned", False))],
            batch_size=batch,
        )  # fmt: skip
        created += len(needs)
    counter.save(update_fields=["last"])
    return created
