"""Bookings at the end of the calendar (9999-12-31 23:00, accepted before slots were limited to
two years ahead) cannot be shown in local time, and broke their pages: they are removed."""

import datetime

from django.db import migrations

NO_HONEST_BOOKING_AFTER = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def remove_bookings_beyond_the_calendar(apps, schema_editor):
    Booking = apps.get_model("mutualisation", "Booking")
    Booking.objects.filter(end__gte=NO_HONEST_BOOKING_AFTER).delete()


class Migration(migrations.Migration):
    dependencies = [("mutualisation", "0003_data_inclusion_id")]
    operations = [
        migrations.RunPython(remove_bookings_beyond_the_calendar, migrations.RunPython.noop)
    ]
