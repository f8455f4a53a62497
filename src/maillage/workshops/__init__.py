"""Les ateliers de scénarisation (issue 5). For now: majority judgment, in `judgment`."""
