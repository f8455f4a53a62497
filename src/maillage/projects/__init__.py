"""Les groupes de travail: projects carried out step after step, need after need."""
