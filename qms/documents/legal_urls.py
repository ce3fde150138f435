"""URLs of the legal register; included into the `documents` namespace by `documents/urls.py`
(so no app_name here): `documents:legal_list`, …"""

from django.urls import path

from qms.documents import legal_views as views
from qms.documents.views import choosers, legal_chooser

L = "agencies/<int:agency_id>/legal/"

urlpatterns = [
    path(L, views.legal_list, name="legal_list"),
    path(f"{L}new/", views.legal_create, name="legal_create"),
    path(f"{L}choose/<str:purpose>/", choosers.legal_text_choices, name="legal_choices"),
    path(f"{L}<int:pk>/", views.legal_detail, name="legal_detail"),
    path(f"{L}<int:pk>/edit/", views.legal_edit, name="legal_edit"),
    path(f"{L}<int:pk>/status/", views.legal_status, name="legal_status"),
    path(f"{L}cite/<int:document_id>/", views.citation_add, name="citation_add"),
    path(
        f"{L}cite/<int:document_id>/choices/",
        legal_chooser.citation_choices,
        name="citation_choices",
    ),
    path(f"{L}citations/<int:pk>/remove/", views.citation_remove, name="citation_remove"),
    path(f"{L}citations/<int:pk>/resolve/", views.citation_resolve, name="citation_resolve"),
    path(f"{L}reviews/", views.legal_reviews, name="legal_reviews"),
    path(f"{L}reviews/new/", views.legal_review_create, name="legal_review_create"),
]
