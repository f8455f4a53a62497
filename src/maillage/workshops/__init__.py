"""Les ateliers de scénarisation (issue 5): preparing a workshop (agenda, criteria,
registrations, attendance), the room's domain (joining with the code, phases, scenarios, grades:
`live`), majority judgment (`judgment`) and results (`results`). The live pages are to come."""
