"""Lookups that hold whatever number a request carries.

Django's own integer lookups (exact, gt, lt…) answer nothing for a number out of the column's
range; its `in` lookup hands the number to the database, where SQLite fails (« Python int too
large to convert to SQLite INTEGER »), as in a form's choice of several records
(ModelMultipleChoiceField) given « 99999999999999999999 »."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`in` without the numbers no row of the column can hold."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]  # fmt: skip
        return super().process_rhs(compiler, connection)
