from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import User
from maillage.core.services import issue_api_token


class Command(BaseCommand):
    help = "Gère les jetons d'API : `token create EMAIL` affiche un nouveau jeton pour ce compte."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Créer un jeton pour le compte EMAIL.")
        create.add_argument("email")
        create.add_argument("--label", default="", help="À quoi servira le jeton.")

    def handle(self, *args, action: str, email: str, label: str, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun compte actif avec l'adresse {email}.")
        self.stdout.write(issue_api_token(user=user, label=label))
