from django.urls import path

from lindung.bpjs import views

app_name = "bpjs"
urlpatterns = [
    path("program/<int:program_id>/", views.program_files, name="program"),
    path("program/<int:program_id>/batch/<int:pk>/", views.batch_detail, name="batch"),
    path(
        "program/<int:program_id>/batch/<int:pk>/berkas.xlsx", views.batch_file, name="batch-file"
    ),
    path(
        "program/<int:program_id>/batch/<int:pk>/templat-jawaban.xlsx",
        views.answer_template,
        name="answer-template",
    ),
    path("program/<int:program_id>/jawaban/", views.upload_answer, name="upload-answer"),
    path("program/<int:program_id>/jawaban/<int:pk>/", views.answer_report, name="answer"),
]
