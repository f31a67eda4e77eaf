"""Estonian for texts of third-party apps that ship no Estonian catalogue.

django-axes, django-celery-beat and django-simple-history (and a few texts new in Django
5.2's admin) show English on the admin pages. Their msgids are listed here with
``gettext_noop`` so that the project-level ``makemessages`` run (see scripts/messages.sh)
extracts them into locale/, whose catalogue takes precedence over every app's: we
translate them there. makemessages extracts only our own sources, and its --no-obsolete
would drop entries added to the .po by hand, hence this module. Nothing imports it.

A msgid must be the exact string the app passes to gettext: model verbose names are
lower case (the admin capitalises them), field and filter labels as the app spells them.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = [
    # Django 5.2 admin index (visually hidden column headers) and app names.
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Authentication and Authorization"),
    # django-axes: models, fields and filters on its list pages.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access lock out"),
    gettext_noop("Locked Out"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    # django-celery-beat: app, models and the periodic task list.
    gettext_noop("Periodic Tasks"),
    gettext_noop("clocked"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("Clock Time"),
    gettext_noop("One-off Task"),
    gettext_noop("Start Datetime"),
    gettext_noop("Last Run Datetime"),
    gettext_noop("Enable selected tasks"),
    gettext_noop("Disable selected tasks"),
    gettext_noop("Toggle activity of selected tasks"),
    gettext_noop("Run selected tasks"),
    # django-simple-history: the admin history pages.
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Object"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Revert %s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Or press the 'Change History' button to edit the history."),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("You may edit it again below"),
]
