from django.urls import path

from qms.documents import legal_urls
from qms.documents.views import choosers, reading, register, revisions, sets

app_name = "documents"

D = "agencies/<int:agency_id>/documents/"
R = "agencies/<int:agency_id>/revisions/<int:pk>/"
S = "agencies/<int:agency_id>/document-sets/"

urlpatterns = [
    path(D, register.document_list, name="list"),
    path(f"{D}choose/<str:purpose>/", choosers.document_choices, name="choices"),
    path(f"{D}new/", register.document_create, name="create"),
    path(f"{D}starter/", register.starter_set, name="starter"),
    path(f"{D}unread/", reading.unread_report, name="unread"),
    path(f"{D}export/<str:what>/", register.register_export, name="export"),
    path(f"{D}<int:pk>/", register.document_detail, name="detail"),
    path(f"{D}<int:pk>/edit/", register.document_edit, name="edit"),
    path(f"{D}<int:pk>/review/", register.document_review, name="review"),
    path(f"{D}<int:pk>/revisions/new/", revisions.revision_create, name="revision_create"),
    path(R, revisions.revision_detail, name="revision"),
    path(f"{R}edit/", revisions.revision_edit, name="revision_edit"),
    path(f"{R}upload/", revisions.revision_upload, name="revision_upload"),
    path(f"{R}do/<str:action>/", revisions.revision_action, name="revision_action"),
    path(f"{R}readers/", revisions.reader_add, name="reader_add"),
    path(f"{R}readers/<int:requirement>/remove/", revisions.reader_remove, name="reader_remove"),
    path(f"{R}postings/", revisions.posting_add, name="posting_add"),
    path("agencies/<int:agency_id>/document-files/<int:pk>/", revisions.file_download, name="file"),
    path(S, sets.set_list, name="sets"),
    path(f"{S}new/", sets.set_create, name="set_create"),
    path(f"{S}<int:pk>/", sets.set_detail, name="set"),
    path(f"{S}<int:pk>/edit/", sets.set_edit, name="set_edit"),
    path(f"{S}<int:pk>/revisions/", sets.set_revisions, name="set_revisions"),
    path(f"{S}<int:pk>/export/<str:what>/", sets.set_export, name="set_export"),
    *legal_urls.urlpatterns,
]
