from django.urls import path

from qms.review import views

app_name = "review"

A = "agencies/<int:agency_id>/management-review/"
R = A + "<int:pk>/"

urlpatterns = [
    path(A, views.review_list, name="list"),
    path(A + "new/", views.review_new, name="new"),
    path(R, views.detail, name="detail"),
    path(R + "edit/", views.review_edit, name="edit"),
    path(R + "compile/", views.compile_inputs, name="compile"),
    path(R + "inputs/<int:input_pk>/", views.input_edit, name="input_edit"),
    path(R + "hold/", views.hold, name="hold"),
    path(R + "outputs/new/", views.output_form, name="output_new"),
    path(R + "outputs/<int:output_pk>/", views.output_form, name="output_edit"),
    path(R + "outputs/<int:output_pk>/done/", views.output_done, name="output_done"),
    path(R + "minutes.docx", views.minutes_docx, name="docx"),
]
