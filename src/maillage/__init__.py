"""Maillage: the platform of the Martigues territorial innovation lab."""
