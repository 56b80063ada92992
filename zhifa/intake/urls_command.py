"""Pages of the command centre, the clue page and the team page, included at /intake/."""

from django.urls import path

from zhifa.intake.views import clue, command, team

urlpatterns = [
    path("command/", command.command_page, name="intake-command"),
    path("command/queue/", command.command_queue_partial, name="intake-command-queue"),
    path("command/markers/", command.command_markers, name="intake-command-markers"),
    path("clues/<int:pk>/", clue.clue_page, name="intake-clue"),
    path("clues/<int:pk>/items/", clue.clue_item_search, name="intake-clue-items"),
    path("clues/<int:pk>/<str:action>/", clue.clue_action, name="intake-clue-action"),
    path("team/", team.team_page, name="intake-team"),
    path("team/queue/", team.team_queue_partial, name="intake-team-queue"),
]
