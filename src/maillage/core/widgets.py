"""The browser's own date and time pickers. They read and write ISO values (2026-12-09, 14:30)
whatever the page's language: a value localised as « 09/12/2026 » would show an empty field."""

from django import forms


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class HourInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
