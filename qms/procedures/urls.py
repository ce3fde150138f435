from django.urls import include, path

app_name = "procedures"

# One module per part of the app, each with its own views (qms/procedures/views_*.py).
urlpatterns = [
    path("", include("qms.procedures.urls_catalogue")),
    path("", include("qms.procedures.urls_steps")),
    path("", include("qms.procedures.urls_results")),
]
