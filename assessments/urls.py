from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("mine/", views.my_persons, name="my_persons"),
    path("mine/<int:pk>/", views.provider_person, name="provider_person"),
    path("case/<int:pk>/", views.case_overview, name="case"),
    path("case/<int:pk>/assess/", views.assessment_start, name="assessment_start"),
    path("case/<int:pk>/base-provider/", views.link_provider, name="link_provider"),
    path("case/<int:pk>/plan/new/", views.plan_start, name="plan_start"),
    path("case/<int:pk>/quality-of-life/new/", views.survey_add, name="survey_add"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessment/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/goals/add/", views.goal_add, name="goal_add"),
    path("plan/<int:pk>/resources/", views.plan_texts, name="plan_texts"),
    path("plan/<int:pk>/goals/<int:goal_pk>/sub-goals/add/", views.subgoal_add, name="subgoal_add"),
    path("plan/<int:pk>/goals/<int:goal_pk>/activities/add/", views.activity_add, name="activity_add"),
    path("plan/<int:pk>/goals/<int:goal_pk>/delete/", views.goal_delete, name="goal_delete"),
    path("plan/<int:pk>/lines/add/", views.line_add, name="line_add"),
    path("plan/<int:pk>/lines/<int:line_pk>/", views.line_edit, name="line_edit"),
    path("plan/<int:pk>/lines/<int:line_pk>/delete/", views.line_delete, name="line_delete"),
    path("plan/<int:pk>/agree/", views.plan_agree, name="plan_agree"),
    path("plan/<int:pk>/new-version/", views.plan_new_version, name="plan_new_version"),
    path("plan/<int:pk>/discard/", views.plan_discard, name="plan_discard"),
    path("plan/<int:pk>/review/", views.review_add, name="review_add"),
    path("quality-of-life/<int:pk>/", views.survey_detail, name="survey_detail"),
]
