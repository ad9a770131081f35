"""Role-play (情景演练): branching complaint conversations, played, scored and reviewed.

The pure parts (the scenario as data, its file format, graph checks, play, scoring, free-text
matching) need neither Flask nor the database; `models`, `services` and `runs` keep scenarios
and runs. Playing is open to anyone signed in (a scenario only shows to those it is assigned
to); authoring, assigning and reviewing are for trainers, the blueprint's default.
"""

from flask import Blueprint

from training.access import blueprint_access

bp = Blueprint("roleplay", __name__, url_prefix="/roleplay")
blueprint_access(bp, "trainer")
