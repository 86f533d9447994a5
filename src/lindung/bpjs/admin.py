from django.contrib import admin

from lindung.bpjs.models import AnswerImport, SubmissionBatch


@admin.register(SubmissionBatch)
class SubmissionBatchAdmin(admin.ModelAdmin):
    list_display = ["program", "number", "region_code", "created_at", "created_by"]
    readonly_fields = [f.name for f in SubmissionBatch._meta.fields]


@admin.register(AnswerImport)
class AnswerImportAdmin(admin.ModelAdmin):
    list_display = ["program", "file_name", "uploaded_at", "activated", "rejected", "unknown"]
    readonly_fields = [f.name for f in AnswerImport._meta.fields]
