from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Exécute les tâches de fond (courriels, rappels, rapports) de la file en base."
