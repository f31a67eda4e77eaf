from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("persons/", views.person_list, name="persons"),
    path("notice/", views.notice, name="notice"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/person/", views.person_edit, name="person_edit"),
    path("<int:pk>/noticing/", views.noticing_edit, name="noticing_edit"),
    path("<int:pk>/relatives/add/", views.relative_add, name="relative_add"),
    path("<int:pk>/initial/", views.initial_assessment, name="initial_assessment"),
    path("<int:pk>/initial/actions/add/", views.initial_action_add, name="initial_action_add"),
    path("<int:pk>/action-plan/add/", views.action_plan_add, name="action_plan_add"),
    path("<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path("<int:pk>/entry/", views.entry, name="entry"),
    path("<int:pk>/exit/", views.exit_view, name="exit"),
    path("<int:pk>/close/", views.close_view, name="close"),
    path("<int:pk>/network/add/", views.network_add, name="network_add"),
    path("<int:pk>/activities/add/", views.activity_add, name="activity_add"),
    path("<int:pk>/meetings/add/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/decisions/<int:decision_pk>/done/", views.decision_done, name="decision_done"),
]
