"""Forms: the application form generated from a service's requirements, the correction form,
and the clerk's "complete" form (issued document)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.nik import clean_nik, validate_nik
from kupang_portal.accounts.phone import normalize_phone
from kupang_portal.core import uploads
from kupang_portal.core.text import CleanTextMixin
from kupang_portal.workflow.forms import TransitionForm


class DocumentInputsMixin:
    """One optional file input per requirement; the form remembers which files the draft holds."""

    def add_document_fields(self, requirements, existing):
        self.requirements = list(requirements)
        self.existing = existing  # {requirement_id: ApplicationDocument}
        self.document_errors = {}
        for req in self.requirements:
            have = existing.get(req.pk)
            help_parts = [str(_("Format %(types)s, maks. %(max)s.") % {
                "types": req.allowed_label(), "max": uploads.human_size(settings.UPLOAD_MAX_FILE_BYTES)})]
            if req.notes:
                help_parts.insert(0, req.notes)
            self.fields[req.field_name] = forms.FileField(
                label=req.name + ("" if req.is_required else " " + str(_("(opsional)"))),
                required=False,
                help_text=" ".join(help_parts),
                widget=forms.ClearableFileInput(attrs={
                    "accept": ",".join(req.allowed_mimes()),
                    "data-testid": f"upload-{req.order}",
                    "class": "layanan-file",
                    "data-has-file": "1" if have else "0",
                }),
            )
            self.fields[req.field_name].requirement = req
            self.fields[req.field_name].existing = have

    def uploaded_files(self):
        """{requirement: UploadedFile} for the inputs that carry a file."""
        files = {}
        for req in self.requirements:
            uploaded = self.files.get(req.field_name) if self.is_bound else None
            if uploaded:
                files[req] = uploaded
        return files

    def document_rows(self):
        return [(self[req.field_name], req, self.existing.get(req.pk)) for req in self.requirements]


class ApplicationForm(CleanTextMixin, DocumentInputsMixin, forms.Form):
    """The resident's form: a short data section and one upload per requirement."""

    applicant_nik = forms.CharField(
        label=_("NIK pemohon"), max_length=20, required=False,
        help_text=_("16 angka, sesuai KTP-el/KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-testid": "field-nik"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP yang bisa dihubungi"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "data-testid": "field-phone"}),
    )
    notes = forms.CharField(
        label=_("Keterangan tambahan (opsional)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "field-notes"}),
    )

    def __init__(self, *args, service, existing=None, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.submitting = submitting
        # Kept on the service: the submit's completeness check reuses them (services.missing_requirements).
        prefetch_related_objects([service], "requirements")
        self.add_document_fields(service.requirements.all(), existing or {})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Data pemohon"), Field("applicant_nik"), Field("phone"), Field("notes")),
        )

    def clean_applicant_nik(self):
        value = clean_nik(self.cleaned_data.get("applicant_nik", ""))
        if value:
            validate_nik(value)
        elif self.submitting:
            raise ValidationError(_("NIK pemohon wajib diisi."))
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if not value:
            if self.submitting:
                raise ValidationError(_("Nomor HP wajib diisi agar petugas dapat menghubungi Anda."))
            return ""
        return normalize_phone(value)


class RevisionForm(CleanTextMixin, DocumentInputsMixin, forms.Form):
    """The resident's correction after the clerk asked for one."""

    note = forms.CharField(
        label=_("Tanggapan untuk petugas"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "revision-note"}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {d.requirement_id: d for d in application.current_documents() if d.requirement_id}
        self.add_document_fields(application.service.requirements.all(), existing)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("note"))  # the file inputs are rendered with their stored files


class CompleteForm(TransitionForm):
    """Completing an application: the issued document (checked by content like every upload)."""

    issued_document = forms.FileField(
        label=_("Dokumen hasil layanan"), required=False,
        help_text=_("PDF, JPEG atau PNG. Kosongkan bila dokumen fisik diambil pemohon di loket."),
    )

    def clean_issued_document(self):
        uploaded = self.cleaned_data.get("issued_document")
        if uploaded:
            uploads.check_upload(uploaded)
        return uploaded
