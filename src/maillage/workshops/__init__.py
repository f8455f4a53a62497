"""Les ateliers de scénarisation (issue 5): preparing a workshop (agenda, criteria,
registrations, attendance) and majority judgment (`judgment`). The live part is to come."""
